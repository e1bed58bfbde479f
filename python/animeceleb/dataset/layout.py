"""Where everything of a generated dataset lives, and how files are named.

The layout follows the published AnimeCeleb loaders (``Animo/data/animeceleb.py``): a root with
``combined_pose.csv`` (``org_id, num_cluster, png_name`` and the pose vector) whose images are
``root/<dataset_folder>/<num_cluster>/<folder>/<png_name>``, ``folder`` being
``png_name.split('_')[0]``.
Here each partition is such a root and each style one of its ``dataset_folder``s: the styles
render the same poses under the same names, so one label file serves them all::

    OUT/
      labels.csv                 org_id, path (relative to OUT), 20 pose numbers: every image
      manifest.json              generator, options, models (sha256), annotations, split, images
      annotations.json           the annotation each model was rendered with
      train_list.txt test_list.txt   identities (org_id) per line, split by identity
      contact_sheet.png
      rotated/combined_pose.csv  the loaders' label file of the partition
      rotated/S1/0/00003/00003_0007.png   <partition>/<style>/<cluster>/<folder>/<png>
      frontal/...
      .generate/                 bookkeeping of an unfinished run (lock, shards, temporary files)
"""

from __future__ import annotations

from pathlib import Path

from ..pose import POSE_LAYOUT

__all__ = [
    "ANNOTATIONS",
    "CLUSTER_SIZE",
    "CONTACT_SHEET",
    "LABELS",
    "LOADER_HEADER",
    "LOADER_LABELS",
    "LABELS_HEADER",
    "MANIFEST",
    "STATE_DIR",
    "TEST_LIST",
    "TRAIN_LIST",
    "cluster",
    "folder",
    "image_relpath",
    "parse_image_relpath",
    "png_name",
]

LABELS = "labels.csv"
LOADER_LABELS = "combined_pose.csv"
MANIFEST = "manifest.json"
ANNOTATIONS = "annotations.json"
TRAIN_LIST = "train_list.txt"
TEST_LIST = "test_list.txt"
CONTACT_SHEET = "contact_sheet.png"
STATE_DIR = ".generate"
CLUSTER_SIZE = 1000  # identities per cluster folder, so no folder holds too many entries

LABELS_HEADER: tuple[str, ...] = ("org_id", "path", *POSE_LAYOUT)
LOADER_HEADER: tuple[str, ...] = ("org_id", "num_cluster", "png_name", *POSE_LAYOUT)


def cluster(org_id: int) -> str:
    return str(org_id // CLUSTER_SIZE)


def folder(org_id: int) -> str:
    """The identity's folder: digits only, so ``png_name.split('_')[0]`` gives it back."""
    return f"{org_id:05d}"


def png_name(org_id: int, index: int) -> str:
    return f"{folder(org_id)}_{index:04d}.png"


def image_relpath(partition: str, style: str, org_id: int, index: int) -> str:
    """The image's path relative to OUT, with forward slashes."""
    return f"{partition}/{style}/{cluster(org_id)}/{folder(org_id)}/{png_name(org_id, index)}"


def parse_image_relpath(path: str) -> tuple[str, str, int, int]:
    """(partition, style, org_id, index) of a path made by ``image_relpath``."""
    parts = Path(path).parts
    if len(parts) != 5 or not parts[4].endswith(".png"):
        raise ValueError(f"not a dataset image path: {path!r}")
    partition, style, _, fold, name = parts
    ident, _, index = name[: -len(".png")].partition("_")
    if ident != fold or not ident.isdigit() or not index.isdigit():
        raise ValueError(f"not a dataset image path: {path!r}")
    return partition, style, int(ident), int(index)
