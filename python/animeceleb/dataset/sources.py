"""The models a dataset is made from: found, hashed, checked, and annotated.

Each model gets an identity number (``org_id``): its position in the list of models found (the
sorted relative paths under MODELS_DIR, or the sample variants in order), broken models
included, so a model's number never depends on whether another one could be loaded.

A model's annotation comes from the collection's annotation store when the store has a record
for it made from the same file (people's decisions over proposals); otherwise it is proposed
from names and geometry (``propose_annotation``; ``inspect`` adds the rendered image checks).
Nothing is written next to the models: the annotations used go into the dataset.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import _core
from ..annotate import AnnotationStore, AnnotationStoreError, find_models, resolve_annotation
from ..annotate.store import DEFAULT_NAME, file_info
from ..pose import TARGET_MORPHS, annotated_targets
from ..render import FramingError, require_head_bones

__all__ = [
    "ModelSource",
    "annotation_sha256",
    "collect_models",
    "images_per_model",
    "sample_sources",
]


@dataclass
class ModelSource:
    """One model: where it is, what it is (sha256), its annotation, or why it is skipped."""

    org_id: int
    key: str  # relative path under MODELS_DIR, or "sample-N"
    path: Path
    sha256: str = ""
    bytes: int = 0
    name: str = ""
    annotation: dict[str, str | None] = field(default_factory=dict)
    annotation_from: str = ""  # "store" or "proposed"
    skipped: str | None = None  # the reason, when the model can't be used

    @property
    def annotation_sha256(self) -> str:
        return annotation_sha256(self.annotation)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"org_id": self.org_id, "key": self.key, "sha256": self.sha256,
                               "bytes": self.bytes, "name": self.name}
        if self.skipped is not None:
            out["skipped"] = self.skipped
        else:
            out.update(annotation_from=self.annotation_from,
                       annotation_sha256=self.annotation_sha256,
                       annotated_targets=len(annotated_targets(self.annotation)))
        return out


def annotation_sha256(annotation: Mapping[str, str | None]) -> str:
    """A hash of an annotation's meaning: the 23 targets and their sources, canonically."""
    canon = json.dumps([[t, annotation.get(t)] for t in TARGET_MORPHS], ensure_ascii=False,
                       separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def images_per_model(annotation: Mapping[str, str | None], override: int | None = None) -> int:
    """Poses per partition: the paper's rule (100 when the model has more than five annotated
    target morphs, else 20) unless ``override``."""
    if override is not None:
        return override
    return 100 if len(annotated_targets(annotation)) > 5 else 20


def sample_sources(count: int) -> list[tuple[str, Path]]:
    """The first ``count`` built-in sample characters (built and cached on first use)."""
    from ..sample import sample_model_path

    return [(f"sample-{n}", Path(sample_model_path(n))) for n in range(count)]


def collect_models(models_dir: str | Path | None, samples: int = 8,
                   store: str | Path | None = None, inspect: bool = False,
                   log: Callable[[str], None] | None = None) -> list[ModelSource]:
    """Every model with its identity number, hash and annotation, or the reason it is skipped
    (a file that fails to parse, a model without 首 or 頭)."""
    if models_dir is None:
        found = sample_sources(samples)
        annotations = None
    else:
        root = Path(models_dir)
        found = [(key, root / key) for key in find_models(root)]
        store_path = Path(store) if store else root / DEFAULT_NAME
        if store and not store_path.is_file():
            raise ValueError(f"annotation store {store_path} does not exist")
        annotations = AnnotationStore(store_path) if store_path.is_file() else None
        if annotations is not None:
            try:
                annotations.load()
            except AnnotationStoreError as e:
                raise ValueError(f"annotation store {store_path}: {e}") from e
    out: list[ModelSource] = []
    for org_id, (key, path) in enumerate(found):
        src = ModelSource(org_id, key, path)
        out.append(src)
        try:
            info = file_info(path)
            src.sha256, src.bytes = info["sha256"], info["bytes"]
            model = _core.load_model(path)
        except (_core.PmxError, OSError) as e:
            src.skipped = f"cannot load: {e}"
            continue
        src.name = model.name
        try:
            require_head_bones(model)
        except FramingError as e:
            src.skipped = str(e)
            continue
        if log is not None and inspect:
            log(f"annotating {key} (proposals with image inspection where the store has none)")
        try:
            src.annotation, src.annotation_from = resolve_annotation(
                annotations, key, model, src.sha256, inspect=inspect, log=log)
        except ValueError as e:  # FramingError (inspection), a morph the core refuses
            src.skipped = f"cannot annotate: {e}"
            continue
    return out
