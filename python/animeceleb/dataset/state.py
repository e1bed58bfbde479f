"""The bookkeeping of a run in OUT/.generate: one writer at a time, and the run's fingerprint.

The fingerprint is everything that decides what the images are (generator, seed, size, styles,
partitions, counts, models by hash, annotations by hash, split). A run into a folder that holds
a dataset, finished or not, with another fingerprint is refused: mixing two datasets' images
would be silent corruption. Temporary files live in OUT/.generate/tmp, emptied at every start;
images waiting for their WebDataset shard in OUT/.generate/stage, kept until their shard is
written.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from . import layout

__all__ = ["GenerateError", "RunState", "describe_difference"]


class GenerateError(RuntimeError):
    """The run can't start or go on (folder in use, another dataset there, bad options)."""


def describe_difference(old: dict[str, Any], new: dict[str, Any]) -> str:
    keys = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
    return ", ".join(keys) or "nothing"


def _try_lock(fd: int) -> None:
    """An exclusive lock on ``fd`` now, or OSError (released when ``fd`` is closed)."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


class RunState:
    """OUT/.generate: lock, fingerprint, temporary files."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.dir = out / layout.STATE_DIR
        self.tmp = self.dir / "tmp"
        self.stage = self.dir / "stage"  # images waiting for their shard (webdataset)
        self.run_file = self.dir / "run.json"
        self._lock_fd: int | None = None
        self._finished = False
        self._begun = False

    @contextlib.contextmanager
    def locked(self) -> Iterator[RunState]:
        """Hold OUT for this run; a second run on the same folder fails at once."""
        created = not self.dir.exists()
        self.dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.dir / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _try_lock(fd)
        except OSError:
            os.close(fd)
            raise GenerateError(f"another animeceleb generate is writing {self.out}") from None
        self._lock_fd = fd
        try:
            shutil.rmtree(self.tmp, ignore_errors=True)  # left by a killed run
            self.tmp.mkdir(parents=True, exist_ok=True)
            yield self
        finally:
            os.close(fd)
            self._lock_fd = None
            # nothing to resume (finished, or refused before starting): leave no bookkeeping
            if self._finished or (created and not self._begun):
                shutil.rmtree(self.tmp, ignore_errors=True)
                with contextlib.suppress(OSError):
                    (self.dir / "lock").unlink()
                    self.dir.rmdir()

    def previous(self) -> dict[str, Any] | None:
        """The fingerprint this folder was made with: an unfinished run's, else a finished
        dataset's manifest; None when the folder holds no dataset."""
        for path, pick in ((self.run_file, lambda d: d),
                           (self.out / layout.MANIFEST, lambda d: d.get("fingerprint"))):
            if path.is_file():
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, json.JSONDecodeError) as e:
                    raise GenerateError(f"{path} is unreadable ({e}); use a new folder") from e
                fp = pick(data) if isinstance(data, dict) else None
                if not isinstance(fp, dict):
                    raise GenerateError(f"{path} is not an animeceleb dataset file")
                return fp
        return None

    def begin(self, fingerprint: dict[str, Any]) -> None:
        """Check the folder against ``fingerprint`` and record it."""
        old = self.previous()
        if old is None:
            others = [p.name for p in self.out.iterdir() if p.name != layout.STATE_DIR]
            if others:
                raise GenerateError(
                    f"{self.out} is not empty and holds no animeceleb dataset "
                    f"({', '.join(sorted(others)[:5])}); choose an empty or new folder")
        elif old != fingerprint:
            raise GenerateError(
                f"{self.out} holds a dataset made with other settings "
                f"(differs in: {describe_difference(old, fingerprint)}); rerun with the same "
                f"models, annotations and options to resume it, or choose a new folder")
        text = json.dumps(fingerprint, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        write_atomic(self.run_file, text.encode("utf-8"), self.tmp, fsync=True)
        self._begun = True

    def finish(self) -> None:
        """The dataset is complete (its manifest holds the fingerprint): drop the bookkeeping
        (the lock file goes when the lock is released)."""
        self._finished = True
        shutil.rmtree(self.tmp, ignore_errors=True)
        shutil.rmtree(self.stage, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            self.run_file.unlink()
