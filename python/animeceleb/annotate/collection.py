"""A collection: the model files under one folder, their store, and their proposals.

Models are named by their path relative to the folder (``gene/Gene_light.pmx``), which is also
their key in the store; nothing outside the list found when scanning is ever opened.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from .. import _core
from ..render import FramingError
from .inspect import Inspector
from .propose import DECIDER, annotate_model
from .store import DEFAULT_NAME, AnnotationStore, file_info

__all__ = ["MODEL_SUFFIXES", "Collection", "find_models"]

MODEL_SUFFIXES = (".pmx", ".pmd")


def find_models(folder: str | Path) -> list[str]:
    """Relative POSIX paths of every .pmx/.pmd file under ``folder``, sorted."""
    root = Path(folder)
    if not root.is_dir():
        raise NotADirectoryError(f"models folder {root} does not exist or is not a folder")
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and p.suffix.lower() in MODEL_SUFFIXES)


class Collection:
    """The models under ``models_dir`` with their annotation store (default:
    ``models_dir/annotations.json``).  Thread-safe; keeps the last few models loaded."""

    def __init__(self, models_dir: str | Path, store: str | Path | None = None,
                 inspector: Inspector | None = None, max_loaded: int = 4) -> None:
        self.root = Path(models_dir).resolve()
        self.keys = find_models(self.root)
        self.store = AnnotationStore(Path(store) if store else self.root / DEFAULT_NAME)
        self._inspector = inspector
        self._models: OrderedDict[str, Any] = OrderedDict()
        self._errors: dict[str, str] = {}
        self._lock = threading.RLock()
        self._key_locks: dict[str, threading.Lock] = {}
        self._hashes: dict[str, tuple[int, int, dict[str, Any]]] = {}  # key -> mtime, size, info
        self.max_loaded = max_loaded

    @property
    def inspector(self) -> Inspector:
        if self._inspector is None:
            self._inspector = Inspector()
        return self._inspector

    def path(self, key: str) -> Path:
        if key not in self.keys:
            raise KeyError(f"no model {key!r} in {self.root}")
        return self.root / key

    def error(self, key: str) -> str | None:
        """Why the model could not be loaded (None: it loaded, or was not tried yet)."""
        return self._errors.get(key)

    def load(self, key: str) -> Any:
        """The parsed model (``animeceleb.PmxError`` on a broken file)."""
        path = self.path(key)
        with self._lock:
            if key in self._models:
                self._models.move_to_end(key)
                return self._models[key]
        try:
            model = _core.load_model(path)
        except (_core.PmxError, OSError) as e:
            self._errors[key] = str(e)
            raise
        with self._lock:
            self._models[key] = model
            while len(self._models) > self.max_loaded:
                self._models.popitem(last=False)
        return model

    def file_info(self, key: str) -> dict[str, Any]:
        """The file's SHA-256 and size, hashed again only when its size or time changed."""
        path = self.path(key)
        st = path.stat()
        with self._lock:
            cached = self._hashes.get(key)
        if cached is not None and cached[:2] == (st.st_mtime_ns, st.st_size):
            return dict(cached[2])
        info = file_info(path)
        with self._lock:
            self._hashes[key] = (st.st_mtime_ns, st.st_size, info)
        return dict(info)

    def _key_lock(self, key: str) -> threading.Lock:
        with self._lock:
            return self._key_locks.setdefault(key, threading.Lock())

    def ensure_proposals(self, key: str, force: bool = False, inspect: bool = True
                         ) -> dict[str, Any]:
        """The model's store record, proposing first when it has no proposals, when its file
        changed since, or when ``force``.  Decisions are never touched."""
        with self._key_lock(key):
            rec = self.store.model(key)
            info = self.file_info(key)
            fresh = (rec["proposals"].get("targets")
                     and rec["file"].get("sha256") == info["sha256"])
            if fresh and not force:
                return rec
            model = self.load(key)
            info.update(name=model.name, morphs=len(model.morphs))
            by = DECIDER
            try:
                assignments = annotate_model(model, self.inspector if inspect else None)
                by += " + image inspection" if inspect else ""
            except FramingError as e:  # no 首/頭: names and geometry only
                assignments = annotate_model(model, None)
                by += f" (no image inspection: {e})"
            self.store.set_proposals(key, {t: a.to_json() for t, a in assignments.items()},
                                     info, by)
            return self.store.model(key)

    def propose_all(self, force: bool = False, inspect: bool = True,
                    progress: bool = True) -> dict[str, str]:
        """Propose for every model (with a progress bar); returns {key: error} for the models
        that failed to load."""
        from tqdm import tqdm

        failed: dict[str, str] = {}
        for key in tqdm(self.keys, desc="proposing", unit="model", disable=not progress):
            try:
                self.ensure_proposals(key, force=force, inspect=inspect)
            except (_core.PmxError, OSError, ValueError) as e:
                failed[key] = str(e)
        return failed
