"""The models a server renders: found under its configured folders only, named by id.

An id is the model's path relative to its folder (``gene/Gene_light.pmx``), prefixed with the
folder's name when several folders are served.  No request ever names a path: an id not in the
registry is NOT_FOUND.  Summaries and annotations are made once at start; parsed models are kept
in a small LRU and reloaded on demand.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import _core
from ..annotate import Collection, resolve_annotation
from ..pose import TARGET_MORPHS, annotated_targets
from ..render import FramingError, require_head_bones

__all__ = ["ModelEntry", "ModelRegistry", "UnknownModel"]

logger = logging.getLogger(__name__)


class UnknownModel(KeyError):
    """No model with this id is served."""


@dataclass(frozen=True)
class ModelEntry:
    id: str
    path: Path
    name: str
    name_en: str
    vertex_count: int
    face_count: int
    bone_count: int
    morph_count: int
    material_count: int
    format: str  # "pmx" or "pmd"
    format_version: float
    annotation: Mapping[str, str | None]  # target morph -> the model's morph (or None)
    credit: str

    @property
    def target_morphs(self) -> tuple[str, ...]:
        return annotated_targets(self.annotation)


def _credit(path: Path, root: Path) -> str:
    """The first line of the nearest SOURCE.txt between the model and its folder's root."""
    for folder in (path.parent, *path.parent.parents):
        source = folder / "SOURCE.txt"
        if source.is_file():
            for line in source.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.strip():
                    return line.strip()
        if folder == root:
            break
    return ""


def _annotation(coll: Collection, key: str, model: Any, write_store: bool
                ) -> dict[str, str | None]:
    """Decisions over current proposals from the store, else proposals from names + geometry.
    Only an explicitly configured store is written to."""
    if write_store:
        coll.ensure_proposals(key, inspect=False)
        return coll.store.annotation(key)
    sha256 = coll.file_info(key)["sha256"]
    annotation, _ = resolve_annotation(coll.store, key, model, sha256,
                                       log=lambda m: logger.info("%s", m))
    return annotation


class ModelRegistry:
    """Every servable model, by id.  Thread-safe."""

    def __init__(self, folders: Iterable[Path | str], store: Path | str | None = None,
                 max_loaded: int = 16) -> None:
        roots = [Path(f).resolve() for f in folders]
        prefixed = len(roots) > 1
        self._entries: dict[str, ModelEntry] = {}
        self._loaded: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.max_loaded = max_loaded
        self.skipped: dict[str, str] = {}  # id -> why it is not served
        for root in roots:
            coll = Collection(root, store=store)
            for key in coll.keys:
                model_id = f"{root.name}/{key}" if prefixed else key
                if model_id in self._entries:
                    raise ValueError(f"two models would have the id {model_id!r}; "
                                     "serve folders with different names")
                try:
                    model = coll.load(key)
                    require_head_bones(model)
                    annotation = _annotation(coll, key, model, store is not None)
                except (_core.PmxError, OSError, ValueError, FramingError) as e:
                    logger.warning("not serving %s: %s", model_id, e)
                    self.skipped[model_id] = str(e)
                    continue
                path = coll.path(key)
                self._entries[model_id] = ModelEntry(
                    id=model_id, path=path, name=model.name, name_en=model.name_en,
                    vertex_count=int(model.vertex_count), face_count=int(model.face_count),
                    bone_count=len(model.bones), morph_count=len(model.morphs),
                    material_count=len(model.materials), format=path.suffix.lower()[1:],
                    format_version=float(model.format_version),
                    annotation={t: annotation.get(t) for t in TARGET_MORPHS},
                    credit=_credit(path, root))
                self._keep(model_id, model)
        logger.info("serving %d models from %s", len(self._entries),
                    ", ".join(str(r) for r in roots))

    @property
    def ids(self) -> list[str]:
        return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def entry(self, model_id: str) -> ModelEntry:
        try:
            return self._entries[model_id]
        except KeyError:
            raise UnknownModel(model_id) from None

    def entries(self) -> list[ModelEntry]:
        return list(self._entries.values())

    def model(self, model_id: str) -> Any:
        """The parsed model (loaded again if it fell out of the LRU)."""
        entry = self.entry(model_id)
        with self._lock:
            model = self._loaded.get(model_id)
            if model is not None:
                self._loaded.move_to_end(model_id)
                return model
        model = _core.load_model(entry.path)
        self._keep(model_id, model)
        return model

    def _keep(self, model_id: str, model: Any) -> None:
        with self._lock:
            self._loaded[model_id] = model
            self._loaded.move_to_end(model_id)
            while len(self._loaded) > self.max_loaded:
                self._loaded.popitem(last=False)
