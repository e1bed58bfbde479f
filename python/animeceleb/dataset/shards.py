"""WebDataset output (``--format webdataset``): tar shards of PNG + pose JSON.

Each style root and partition has its own run of shards, ``<root>/<partition folder>-NNNNNN.tar``
(``layout.shard_relpath``), ``shard_size`` images each, in label order. A sample is two members
named by its key, the image's path without ``.png``: ``<key>.json`` (the image's labels.csv
row: ``org_id``, ``path`` and the 20 pose numbers) and ``<key>.png``. Any tar reader reads them;
the ``webdataset`` package groups them into samples by key.

Which images go into which shard is fixed by the plan before anything is rendered (a model that
fails while rendering leaves its places empty instead of moving the others), so shard contents
never depend on the order work finishes in. Workers write PNGs under ``.generate/stage``;
once every image is rendered the shards are written, each atomically, with fixed member order,
mtime, owner and mode (the same bytes whatever ``--workers``), and their staged images deleted.
A killed run resumes from the staged images and the shards already written.
"""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from ..atomic import atomic_file
from ..pose import POSE_LAYOUT
from . import layout
from .outputs import DatasetPlan, ImageLabel

__all__ = ["ShardReader", "assign_shards", "done_images", "image_reader", "sample_json",
           "write_shards"]

_FORMAT = tarfile.USTAR_FORMAT  # plain headers: no PAX records (they would carry times)


def assign_shards(plan: DatasetPlan) -> dict[str, list[tuple[int, str]]]:
    """Shard path -> its places: (org_id, image path), failed models included."""
    shards: dict[str, list[tuple[int, str]]] = {}
    for style in plan.styles:
        for partition in plan.partitions:
            seq = [(s.org_id, layout.image_relpath(partition, style, s.org_id, i))
                   for s in plan.planned() for i in range(plan.counts[s.org_id])]
            for n, start in enumerate(range(0, len(seq), plan.shard_size)):
                shards[layout.shard_relpath(style, partition, n)] = \
                    seq[start:start + plan.shard_size]
    return shards


def _members(path: Path) -> list[str]:
    """A shard's member names in order; none when it is missing or unreadable."""
    try:
        with tarfile.open(path) as tar:
            return tar.getnames()
    except (OSError, tarfile.TarError):
        return []


def _images_in(names: list[str]) -> set[str]:
    return {n for n in names if n.endswith(".png")}


def done_images(out: Path, stage: Path, plan: DatasetPlan) -> set[str]:
    """The images already rendered: staged, or in the shard they belong to."""
    done: set[str] = set()
    for shard, places in assign_shards(plan).items():
        inside = _images_in(_members(out / shard))
        done.update(rel for _, rel in places if rel in inside or (stage / rel).is_file())
    return done


def sample_json(label: ImageLabel) -> bytes:
    """The sample's pose JSON: the keys of labels.csv, numbers as in labels.csv."""
    record: dict[str, Any] = {"org_id": label.org_id, "path": label.path}
    record.update(zip(POSE_LAYOUT, (float(v) for v in label.numbers), strict=True))
    return json.dumps(record, separators=(",", ":")).encode("utf-8")


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), 0, 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    tar.addfile(info, io.BytesIO(data))


def _expected_names(rels: list[str]) -> list[str]:
    return [f"{rel[:-4]}{ext}" for rel in rels for ext in (".json", ".png")]


def write_shards(out: Path, stage: Path, tmp: Path, plan: DatasetPlan,
                 labels: list[ImageLabel]) -> list[dict[str, Any]]:
    """Write every shard that is missing or holds other images (its images come from the stage
    or from the shard's earlier version); returns [{"path", "images"}] of the shards."""
    by_path = {lab.path: lab for lab in labels}
    written = []
    for shard, places in assign_shards(plan).items():
        target = out / shard
        rels = [rel for org_id, rel in places if org_id not in plan.failed]
        if not rels:  # every image of it belongs to failed models
            target.unlink(missing_ok=True)
            continue
        old_names = _members(target)
        if old_names != _expected_names(rels):
            with ExitStack() as stack:
                old = stack.enter_context(tarfile.open(target)) if old_names else None
                f = stack.enter_context(atomic_file(target, tmp, fsync=True))
                tar = stack.enter_context(tarfile.open(fileobj=f, mode="w", format=_FORMAT))
                for rel in rels:
                    staged = stage / rel
                    # staged (rendered by this run), else kept from the shard's earlier version
                    member = None if staged.is_file() or old is None else old.extractfile(rel)
                    png = staged.read_bytes() if member is None else member.read()
                    _add(tar, f"{rel[:-4]}.json", sample_json(by_path[rel]))
                    _add(tar, rel, png)
        for rel in rels:
            (stage / rel).unlink(missing_ok=True)
        written.append({"path": shard, "images": len(rels)})
    shutil.rmtree(stage, ignore_errors=True)
    return written


class ShardReader:
    """Random access to a WebDataset dataset's images by path (for the contact sheet and the
    pair datasets): the shards' member offsets, read once."""

    def __init__(self, out: str | Path, shards: list[str]) -> None:
        self.out = Path(out)
        self._index: dict[str, tuple[str, int, int]] = {}
        for shard in shards:
            with tarfile.open(self.out / shard) as tar:
                for m in tar.getmembers():
                    if m.name.endswith(".png"):
                        self._index[m.name] = (shard, m.offset_data, m.size)

    def __contains__(self, path: str) -> bool:
        return path in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def read(self, path: str) -> bytes:
        shard, offset, size = self._index[path]
        with open(self.out / shard, "rb") as f:
            f.seek(offset)
            return f.read(size)


def image_reader(out: str | Path) -> Callable[[str], bytes]:
    """A function giving an image's PNG bytes by its path (relative to OUT), in either
    format of a finished dataset (read from its manifest)."""
    out = Path(out)
    try:
        files = json.loads((out / layout.MANIFEST).read_text(encoding="utf-8"))["layout"]
    except (OSError, ValueError, KeyError):
        files = {}
    if files.get("format") == "webdataset":
        return ShardReader(out, [s["path"] for s in files["shards"]]).read
    return lambda rel: (out / rel).read_bytes()
