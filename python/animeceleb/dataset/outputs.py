"""The dataset's text files, rebuilt from the models and the seed once every image is on disk.

Nothing here reads the images: poses and lights are drawn again from each image's own generator
(``plan.sample_image``), which is what the images were rendered from, so the label files of a
resumed run are exactly those of an uninterrupted one. Every file is written atomically.

labels.csv states each image's own pose (a frontal image's head angles are zero). The loader
files (each style root's combined_pose.csv and cached.json) have one row per pose index, as the
published loader reads them for both partition folders: they carry the rotated partition's poses
(the frontal ones when only that partition is made); a paired frontal twin has the same
expression with zero head angles.
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

__all__ = ["FORMAT", "VERSION", "DatasetPlan", "ImageLabel", "format_number", "image_labels",
           "write_outputs"]

FORMAT = "animeceleb-dataset"
VERSION = 2  # 2: one loader root per style, paired partitions, float-only pose numbers


def format_number(v: float) -> str:
    """A rounded pose number as the shortest text that reads back to the same float, always
    with a decimal point ("0.0", never "0"), so that readers such as pandas take every pose
    column for floats even when all its values are whole."""
    s = f"{v:.6f}".rstrip("0")
    if s.endswith("."):
        s += "0"
    return "0.0" if s == "-0.0" else s


@dataclass
class DatasetPlan:
    """What the dataset holds: models (with their counts), styles, partitions, seed."""

    sources: list[ModelSource]
    counts: dict[int, int]  # org_id -> poses per partition, for the models to render
    styles: tuple[str, ...]
    partitions: tuple[str, ...]
    seed: int
    size: int
    split: tuple[int, int]
    fingerprint: dict[str, Any]
    options: dict[str, Any]
    paired: bool = True
    format: str = "folder"  # or "webdataset"
    shard_size: int = 1000  # images per WebDataset shard
    failed: dict[int, str] = field(default_factory=dict)  # org_id -> why rendering failed

    def planned(self) -> list[ModelSource]:
        """The models to render (a model that fails while rendering stays planned)."""
        return [s for s in self.sources if s.org_id in self.counts]

    def used(self) -> list[ModelSource]:
        return [s for s in self.planned() if s.org_id not in self.failed]

    def images(self) -> list[str]:
        """Every image's path relative to OUT, in label order."""
        return [layout.image_relpath(p, st, s.org_id, i) for s in self.used()
                for p in self.partitions for i in range(self.counts[s.org_id])
                for st in self.styles]

    @property
    def loader_partition(self) -> str:
        """The partition whose poses the loader files carry: rotated when there is one."""
        return self.partitions[0]


@dataclass(frozen=True)
class ImageLabel:
    """One image's label: what labels.csv, the manifest and the shards say of it."""

    path: str
    org_id: int
    partition: str
    index: int
    style: str
    numbers: tuple[str, ...]  # the 20 pose numbers as written (format_number)
    light: float


def image_labels(plan: DatasetPlan) -> list[ImageLabel]:
    """Every image's label, in label order, drawn again from the seed."""
    out = []
    for src in plan.used():
        for partition in plan.partitions:
            for i in range(plan.counts[src.org_id]):
                pose, light = sample_image(plan.seed, src.sha256, partition, i, src.annotation,
                                           plan.paired)
                numbers = tuple(format_number(float(v)) for v in pose)
                out += [ImageLabel(layout.image_relpath(partition, style, src.org_id, i),
                                   src.org_id, partition, i, style, numbers, light)
                        for style in plan.styles]
    return out


def _write_text(path: Path, text: str, tmp: Path) -> bytes:
    data = text.encode("utf-8")
    write_atomic(path, data, tmp, fsync=True)
    return data


def _loader_files(out: Path, plan: DatasetPlan, labels: list[ImageLabel], tmp: Path) -> None:
    """Each style root's combined_pose.csv and the identity cache the loader would build from
    it (json.dump of {org_id: num_cluster, folder_name, img_names, pose_information}): with
    the cache there, the loader's first run finds its identities by the split lists' text."""
    rows = [",".join(layout.LOADER_HEADER)]
    tree: dict[str, dict[str, Any]] = {}
    first_style = plan.styles[0]
    for lab in labels:
        if lab.partition != plan.loader_partition or lab.style != first_style:
            continue
        png = layout.png_name(lab.org_id, lab.index)
        rows.append(f"{lab.org_id},{layout.cluster(lab.org_id)},{png},{','.join(lab.numbers)}")
        ident = tree.setdefault(str(lab.org_id), {
            "num_cluster": layout.cluster(lab.org_id), "folder_name": layout.folder(lab.org_id),
            "img_names": [], "pose_information": []})
        ident["img_names"].append(png)
        ident["pose_information"].append([float(v) for v in lab.numbers])
    csv_text = "\n".join(rows) + "\n"
    cache_text = json.dumps(tree)
    for style in plan.styles:
        _write_text(out / layout.loader_file(style), csv_text, tmp)
        _write_text(out / layout.loader_file(style, layout.LOADER_CACHE), cache_text, tmp)


def write_outputs(out: Path, plan: DatasetPlan, tmp: Path,
                  shards: list[dict[str, Any]] | None = None,
                  labels: list[ImageLabel] | None = None) -> dict[str, Any]:
    """Write labels, the loader files (folder format), split lists, annotations and the
    manifest (last: a finished dataset is one with a manifest); returns the manifest.
    ``shards``: the WebDataset shards written (path, images); ``labels``: image_labels(plan)
    when the caller has them."""
    used = plan.used()
    labels = image_labels(plan) if labels is None else labels
    rows = [",".join(layout.LABELS_HEADER)]
    rows += [f"{lab.org_id},{lab.path},{','.join(lab.numbers)}" for lab in labels]
    _write_text(out / layout.LABELS, "\n".join(rows) + "\n", tmp)
    if plan.format == "folder":
        _loader_files(out, plan, labels, tmp)

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
    files: dict[str, Any] = {
        "format": plan.format,
        "labels": layout.LABELS,
        "split_lists": [layout.TRAIN_LIST, layout.TEST_LIST],
        "roots": {st: layout.STYLE_ROOTS[st] for st in plan.styles},
        "partition_folders": {p: layout.PARTITION_FOLDERS[p] for p in plan.partitions},
        "image": "<root>/<partition folder>/<num_cluster>/<folder>/<folder>_<index>.png",
    }
    if plan.format == "folder":
        files["loader_labels"] = [layout.loader_file(st) for st in plan.styles]
        files["loader_cache"] = [layout.loader_file(st, layout.LOADER_CACHE)
                                 for st in plan.styles]
        files["loader_poses"] = plan.loader_partition
    else:
        files["shards"] = shards or []
        files["shard_size"] = plan.shard_size
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "generator": {"name": "animeceleb", "version": __version__},
        "fingerprint": plan.fingerprint,
        "options": plan.options,
        "pose_layout": list(POSE_LAYOUT),
        "styles": list(plan.styles),
        "partitions": list(plan.partitions),
        "paired": plan.paired,
        "size": plan.size,
        "layout": files,
        "annotations": {"file": layout.ANNOTATIONS,
                        "sha256": hashlib.sha256(ann_bytes).hexdigest(),
                        "from_store": sum(s.annotation_from == "store" for s in used),
                        "store_format": {"format": STORE_FORMAT, "version": STORE_VERSION}},
        "models": models,
        "split": {"ratio": list(plan.split), "train": train, "test": test},
        "counts": {"identities": len(used), "images": len(labels)},
        "images": [{"path": lab.path, "org_id": lab.org_id, "partition": lab.partition,
                    "index": lab.index, "style": lab.style, "light": lab.light}
                   for lab in labels],
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

