"""The dataset's text files, rebuilt from the models and the seed once every image is on disk.

Nothing here reads the images: poses and lights are drawn again from each image's own generator
(``plan.sample_image``), which is what the images were rendered from, so the label files of a
resumed run are exactly those of an uninterrupted one. Every file is written atomically.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..annotate.store import FORMAT as STORE_FORMAT
from ..annotate.store import VERSION as STORE_VERSION
from ..atomic import write_atomic
from ..pose import POSE_LAYOUT
from . import layout
from .plan import sample_image
from .sources import ModelSource
from .split import split_identities

__all__ = ["FORMAT", "VERSION", "DatasetPlan", "format_number", "write_outputs"]

FORMAT = "animeceleb-dataset"
VERSION = 1


def format_number(v: float) -> str:
    """A rounded label number in the shortest text that reads back to the same float."""
    s = f"{v:.6f}".rstrip("0").rstrip(".")
    return "0" if s in ("", "-0") else s


@dataclass
class DatasetPlan:
    """What the dataset holds: models (with their counts), styles, partitions, seed."""

    sources: list[ModelSource]
    counts: dict[int, int]  # org_id -> poses per partition, for the models used
    styles: tuple[str, ...]
    partitions: tuple[str, ...]
    seed: int
    size: int
    split: tuple[int, int]
    fingerprint: dict[str, Any]
    options: dict[str, Any]
    failed: dict[int, str] = field(default_factory=dict)  # org_id -> why rendering failed

    def used(self) -> list[ModelSource]:
        return [s for s in self.sources
                if s.skipped is None and s.org_id not in self.failed]

    def images(self) -> list[str]:
        """Every image's path relative to OUT, in label order."""
        return [layout.image_relpath(p, st, s.org_id, i) for s in self.used()
                for p in self.partitions for i in range(self.counts[s.org_id])
                for st in self.styles]


def _write_text(path: Path, text: str, tmp: Path) -> bytes:
    data = text.encode("utf-8")
    write_atomic(path, data, tmp, fsync=True)
    return data


def write_outputs(out: Path, plan: DatasetPlan, tmp: Path) -> dict[str, Any]:
    """Write labels, loader label files, split lists, annotations and the manifest; returns
    the manifest."""
    used = plan.used()
    labels = [",".join(layout.LABELS_HEADER)]
    loader: dict[str, list[str]] = {p: [",".join(layout.LOADER_HEADER)] for p in plan.partitions}
    images: list[dict[str, Any]] = []
    for src in used:
        for partition in plan.partitions:
            for i in range(plan.counts[src.org_id]):
                pose, light = sample_image(plan.seed, src.sha256, partition, i, src.annotation)
                numbers = ",".join(format_number(float(v)) for v in pose)
                loader[partition].append(f"{src.org_id},{layout.cluster(src.org_id)},"
                                         f"{layout.png_name(src.org_id, i)},{numbers}")
                for style in plan.styles:
                    rel = layout.image_relpath(partition, style, src.org_id, i)
                    labels.append(f"{src.org_id},{rel},{numbers}")
                    images.append({"path": rel, "org_id": src.org_id, "partition": partition,
                                   "index": i, "style": style, "light": light})
    _write_text(out / layout.LABELS, "\n".join(labels) + "\n", tmp)
    for partition, rows in loader.items():
        _write_text(out / partition / layout.LOADER_LABELS, "\n".join(rows) + "\n", tmp)

    train, test = split_identities([(s.org_id, s.sha256) for s in used], plan.seed, plan.split)
    for name, ids in ((layout.TRAIN_LIST, train), (layout.TEST_LIST, test)):
        _write_text(out / name, "".join(f"{i}\n" for i in ids), tmp)

    ann = {"format": "animeceleb-dataset-annotations", "version": 1,
           "models": {s.key: {"org_id": s.org_id, "sha256": s.sha256,
                              "from": s.annotation_from,
                              "annotation_sha256": s.annotation_sha256,
                              "targets": s.annotation} for s in used}}
    ann_bytes = _write_text(out / layout.ANNOTATIONS,
                            json.dumps(ann, ensure_ascii=False, indent=1) + "\n", tmp)

    models = []
    for s in plan.sources:
        rec = s.to_json()
        if s.org_id in plan.failed:
            rec["skipped"] = plan.failed[s.org_id]
        elif s.skipped is None:
            rec["poses_per_partition"] = plan.counts[s.org_id]
        models.append(rec)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "generator": {"name": "animeceleb", "version": __version__},
        "fingerprint": plan.fingerprint,
        "options": plan.options,
        "pose_layout": list(POSE_LAYOUT),
        "styles": list(plan.styles),
        "partitions": list(plan.partitions),
        "size": plan.size,
        "layout": {
            "labels": layout.LABELS,
            "loader_labels": {p: f"{p}/{layout.LOADER_LABELS}" for p in plan.partitions},
            "image": "<partition>/<style>/<num_cluster>/<folder>/<folder>_<index>.png",
        },
        "annotations": {"file": layout.ANNOTATIONS,
                        "sha256": hashlib.sha256(ann_bytes).hexdigest(),
                        "from_store": sum(s.annotation_from == "store" for s in used),
                        "store_format": {"format": STORE_FORMAT, "version": STORE_VERSION}},
        "models": models,
        "split": {"ratio": list(plan.split), "train": train, "test": test},
        "counts": {"identities": len(used), "images": len(images)},
        "images": images,
    }
    _write_text(out / layout.MANIFEST, _manifest_text(manifest), tmp)
    return manifest


def _manifest_text(manifest: dict[str, Any]) -> str:
    """Indented JSON, except one compact line per image (millions of them in a full set)."""
    head = {k: v for k, v in manifest.items() if k != "images"}
    text = json.dumps(head, ensure_ascii=False, indent=1)
    assert text.endswith("\n}")
    rows = ",\n".join("  " + json.dumps(im, separators=(",", ":")) for im in manifest["images"])
    return text[:-2] + ',\n "images": [\n' + rows + "\n ]\n}\n"

