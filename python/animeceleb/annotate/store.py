"""The annotation store: one human-readable, versioned JSON file per collection.

Layout (``format`` and ``version`` say what it is; keys are sorted, text is UTF-8, indented)::

    {
      "format": "animeceleb-annotation", "version": 1,
      "targets": ["eye_close", ...],
      "models": {
        "gene/Gene_light.pmx": {                       # path relative to the models folder
          "file": {"sha256": "...", "bytes": 123, "name": "...", "morphs": 184},
          "proposals": {"at": "...", "by": "animeceleb 0.1.0 matcher + image inspection",
                        "targets": {"eye_close": {"source": "まばたき", "confidence": 0.92,
                                                  "reason": "...", "flags": [], ...}}},
          "decisions": {"mouth_a": {"status": "reassigned", "source": "い",
                                    "proposed": "あ", "by": "person:alice", "at": "..."}}
        }
      }
    }

Proposals are what the program proposes and are replaced whenever they are regenerated;
decisions are what a person (or anything else named in ``by``) decided, and regenerating
proposals never touches them.  A decision's status is ``accepted`` (the proposal, which is kept
as ``source``), ``reassigned`` (another morph) or ``rejected`` (the model has no morph for this
target).  The effective annotation of a model is its decisions over its proposals.

Every change is one read-modify-write of the whole file under an exclusive lock on a sidecar
``.lock`` file, written to a temporary file and renamed over the old one, so concurrent saves
(threads or processes) never lose one another and a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..pose import TARGET_MORPHS

__all__ = [
    "FORMAT",
    "STATUSES",
    "VERSION",
    "AnnotationStore",
    "AnnotationStoreError",
    "file_info",
]

FORMAT = "animeceleb-annotation"
VERSION = 1
STATUSES = ("accepted", "reassigned", "rejected")
DEFAULT_NAME = "annotations.json"


class AnnotationStoreError(ValueError):
    """The store file is not an annotation store of a version this program reads, or a change
    to it is invalid."""


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def file_info(path: str | os.PathLike[str], model: Any = None) -> dict[str, Any]:
    """Identity of a model file: its SHA-256 and size (and name/morph count from ``model``)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    info: dict[str, Any] = {"sha256": h.hexdigest(), "bytes": os.path.getsize(path)}
    if model is not None:
        info["name"] = model.name
        info["morphs"] = len(model.morphs)
    return info


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """An exclusive lock between threads and processes (flock; msvcrt on Windows)."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        except ImportError:  # Windows
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _empty() -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "targets": list(TARGET_MORPHS), "models": {}}


class AnnotationStore:
    """The store file of one collection (created on the first change)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock_path = self.path.with_name(self.path.name + ".lock")
        self._thread_lock = threading.Lock()  # flock is per process on some systems

    # ----- reading -------------------------------------------------------------------------

    def load(self) -> dict[str, Any]:
        """The whole store as it is on disk now (an empty one when the file does not exist)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return _empty()
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise AnnotationStoreError(f"{self.path}: not JSON ({e})") from e
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise AnnotationStoreError(f"{self.path}: not an {FORMAT} file")
        if data.get("version") != VERSION:
            raise AnnotationStoreError(
                f"{self.path}: store version {data.get('version')!r}, this program reads "
                f"version {VERSION}")
        if not isinstance(data.get("models"), dict):
            raise AnnotationStoreError(f"{self.path}: 'models' must be an object")
        return data

    def model(self, key: str) -> dict[str, Any]:
        """One model's record: ``file``, ``proposals``, ``decisions`` (empty if unknown)."""
        rec = self.load()["models"].get(key, {})
        return {"file": rec.get("file", {}), "proposals": rec.get("proposals", {}),
                "decisions": rec.get("decisions", {})}

    def annotation(self, key: str, decided_only: bool = False) -> dict[str, str | None]:
        """``{target: source or None}``: decisions over proposals (``decided_only``: targets
        without a decision are None)."""
        rec = self.model(key)
        proposed = rec["proposals"].get("targets", {})
        out: dict[str, str | None] = {}
        for t in TARGET_MORPHS:
            d = rec["decisions"].get(t)
            if d is not None:
                out[t] = d.get("source") if d.get("status") != "rejected" else None
            else:
                out[t] = None if decided_only else proposed.get(t, {}).get("source")
        return out

    def progress(self) -> dict[str, int]:
        """Decided targets per model."""
        return {k: len(v.get("decisions", {})) for k, v in self.load()["models"].items()}

    # ----- changing ------------------------------------------------------------------------

    def update(self, change: Callable[[dict[str, Any]], Any]) -> Any:
        """Apply ``change`` to the freshly read store under the lock and write it back;
        returns what ``change`` returned."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._thread_lock, _exclusive(self._lock_path):
            data = self.load()
            result = change(data)
            self._write(data)
            return result

    def _write(self, data: dict[str, Any]) -> None:
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        write_atomic(self.path, text.encode("utf-8"), self.path.parent, fsync=True)

    def set_proposals(self, key: str, targets: Mapping[str, Mapping[str, Any]],
                      info: Mapping[str, Any] | None = None, by: str = "") -> None:
        """Replace a model's proposals (``{target: proposal record}``); decisions stay."""
        unknown = set(targets) - set(TARGET_MORPHS)
        if unknown:
            raise AnnotationStoreError(f"unknown target morphs: {sorted(unknown)}")

        def change(data: dict[str, Any]) -> None:
            rec = data["models"].setdefault(key, {})
            if info is not None:
                rec["file"] = dict(info)
            rec["proposals"] = {"at": _now(), "by": by,
                                "targets": {t: dict(targets[t]) for t in TARGET_MORPHS
                                            if t in targets}}
            rec.setdefault("decisions", {})

        self.update(change)

    def decide(self, key: str, target: str, status: str, source: str | None = None,
               by: str = "person", note: str = "") -> dict[str, Any]:
        """Record a decision: ``accepted`` (the current proposal; ``source`` may name it to
        guard against a proposal that changed meanwhile), ``reassigned`` (``source`` required)
        or ``rejected``.  Returns the decision."""
        if target not in TARGET_MORPHS:
            raise AnnotationStoreError(f"unknown target morph {target!r}")
        if status not in STATUSES:
            raise AnnotationStoreError(f"status must be one of {STATUSES}, got {status!r}")
        if status == "reassigned" and not source:
            raise AnnotationStoreError("a reassignment needs a source morph")

        def change(data: dict[str, Any]) -> dict[str, Any]:
            rec = data["models"].setdefault(key, {})
            proposed = rec.get("proposals", {}).get("targets", {}).get(target, {}).get("source")
            if status == "accepted":
                if source is not None and source != proposed:
                    raise AnnotationStoreError(
                        f"{key} {target}: the proposal is {proposed!r}, not {source!r}")
                chosen: str | None = proposed
            else:
                chosen = source if status == "reassigned" else None
            d = {"status": status, "source": chosen, "proposed": proposed, "by": by,
                 "at": _now()}
            if note:
                d["note"] = note
            rec.setdefault("decisions", {})[target] = d
            return d

        result: dict[str, Any] = self.update(change)
        return result

    def clear(self, key: str, target: str) -> None:
        """Forget a decision (the proposal applies again)."""

        def change(data: dict[str, Any]) -> None:
            data["models"].get(key, {}).get("decisions", {}).pop(target, None)

        self.update(change)
