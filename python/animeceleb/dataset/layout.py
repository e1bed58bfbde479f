"""Where everything of a generated dataset lives, and how files are named.

The layout is the one the published AnimeCeleb loader (``Animo/data/animeceleb.py``) reads
unchanged: a loader root holds ``combined_pose.csv`` (``org_id, num_cluster, png_name`` and
the 20 pose numbers) and its images are
``root/<dataset_folder>/<num_cluster>/<folder>/<png_name>`` with ``folder`` being
``png_name.split('_')[0]``; ``dataset_folder`` is ``rotation`` (the loader's default, which
its validation always uses) or ``frontal``. Here each style is one loader root (the published
configs name roots like ``combined_default``), and the two partitions are its folders::

    OUT/
      labels.csv                 org_id, path (relative to OUT), 20 pose numbers: every image
      manifest.json              generator, options, models (sha256), annotations, split, images
      annotations.json           the annotation each model was rendered with
      data/train_list.txt data/test_list.txt   identities (org_id), one per line
      contact_sheet.png
      combined_default/          the loader root of style S1 (STYLE_ROOTS)
        combined_pose.csv        the loader's label file
        cached.json              the loader's identity cache, written ready
        rotation/0/00003/00003_0007.png      <root>/<partition folder>/<cluster>/<folder>/<png>
        frontal/0/00003/00003_0007.png       its frontal twin (paired datasets)
      .generate/                 bookkeeping of an unfinished run (lock, staged images, temp)

With ``--format webdataset`` the images go into tar shards instead,
``<root>/<partition folder>-000000.tar``, each sample keyed by its image path without ``.png``.
The partitions are named ``rotated`` and ``frontal`` in the API (``animeceleb.pose``); only the
folder of ``rotated`` is called ``rotation``.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from ..pose import PARTITIONS, POSE_LAYOUT

__all__ = [
    "ANNOTATIONS",
    "CLUSTER_SIZE",
    "CONTACT_SHEET",
    "FORMATS",
    "LABELS",
    "LABELS_HEADER",
    "LOADER_CACHE",
    "LOADER_HEADER",
    "LOADER_LABELS",
    "MANIFEST",
    "PARTITION_FOLDERS",
    "SPLIT_DIR",
    "STATE_DIR",
    "STYLE_ROOTS",
    "TEST_LIST",
    "TRAIN_LIST",
    "cluster",
    "folder",
    "image_relpath",
    "loader_file",
    "parse_image_relpath",
    "partition_name",
    "png_name",
    "shard_relpath",
]

LABELS = "labels.csv"
LOADER_LABELS = "combined_pose.csv"
LOADER_CACHE = "cached.json"
MANIFEST = "manifest.json"
ANNOTATIONS = "annotations.json"
# The loader reads its split lists from data/ under its working directory (or ../data/ or
# ../../../data/, which is Animo/data/ seen from a Hydra run folder).
SPLIT_DIR = "data"
TRAIN_LIST = f"{SPLIT_DIR}/train_list.txt"
TEST_LIST = f"{SPLIT_DIR}/test_list.txt"
CONTACT_SHEET = "contact_sheet.png"
STATE_DIR = ".generate"
CLUSTER_SIZE = 1000  # identities per cluster folder, so no folder holds too many entries
FORMATS = ("folder", "webdataset")  # PNG files, or tar shards of PNG + pose JSON

# One loader root per style. S1 (MMD's own shading, the paper's head-reenactment style) is the
# published configs' "combined_default"; S2's two-tone cel shading is their "combined_toon2";
# the other two are named for their look.
STYLE_ROOTS: dict[str, str] = {"S1": "combined_default", "S2": "combined_toon2",
                               "S3": "combined_flat", "S4": "combined_soft"}
PARTITION_FOLDERS: dict[str, str] = {"rotated": "rotation", "frontal": "frontal"}
_ROOT_STYLES = {root: style for style, root in STYLE_ROOTS.items()}
_FOLDER_PARTITIONS = {f: p for p, f in PARTITION_FOLDERS.items()}

LABELS_HEADER: tuple[str, ...] = ("org_id", "path", *POSE_LAYOUT)
LOADER_HEADER: tuple[str, ...] = ("org_id", "num_cluster", "png_name", *POSE_LAYOUT)

assert set(PARTITION_FOLDERS) == set(PARTITIONS)


def partition_name(name: str) -> str:
    """The partition a name means: ``rotated``/``rotation`` or ``frontal``."""
    if name in PARTITIONS:
        return name
    if name in _FOLDER_PARTITIONS:
        return _FOLDER_PARTITIONS[name]
    raise ValueError(f"partitions are {', '.join(PARTITIONS)}; got {name!r}")


def cluster(org_id: int) -> str:
    return str(org_id // CLUSTER_SIZE)


def folder(org_id: int) -> str:
    """The identity's folder: digits only, so ``png_name.split('_')[0]`` gives it back."""
    return f"{org_id:05d}"


def png_name(org_id: int, index: int) -> str:
    return f"{folder(org_id)}_{index:04d}.png"


def loader_file(style: str, name: str = LOADER_LABELS) -> str:
    """A file of the style's loader root, relative to OUT."""
    return f"{STYLE_ROOTS[style]}/{name}"


def image_relpath(partition: str, style: str, org_id: int, index: int) -> str:
    """The image's path relative to OUT, with forward slashes."""
    return (f"{STYLE_ROOTS[style]}/{PARTITION_FOLDERS[partition]}/{cluster(org_id)}/"
            f"{folder(org_id)}/{png_name(org_id, index)}")


def shard_relpath(style: str, partition: str, number: int) -> str:
    """A WebDataset shard's path relative to OUT."""
    return f"{STYLE_ROOTS[style]}/{PARTITION_FOLDERS[partition]}-{number:06d}.tar"


def parse_image_relpath(path: str) -> tuple[str, str, int, int]:
    """(partition, style, org_id, index) of a path made by ``image_relpath``."""
    parts = PurePosixPath(path).parts
    bad = ValueError(f"not a dataset image path: {path!r}")
    if len(parts) != 5 or not parts[4].endswith(".png"):
        raise bad
    root, part, clus, fold, name = parts
    ident, _, index = name[: -len(".png")].partition("_")
    if (root not in _ROOT_STYLES or part not in _FOLDER_PARTITIONS or ident != fold
            or not ident.isdigit() or not index.isdigit() or clus != cluster(int(ident))):
        raise bad
    return _FOLDER_PARTITIONS[part], _ROOT_STYLES[root], int(ident), int(index)
