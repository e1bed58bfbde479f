"""Source/driving pairs of a generated dataset: what head-reenactment training reads.

``PairFolder(root)`` indexes ``labels.csv``; item ``i`` is image ``i`` as the source and another
image of the same identity and style as the driving frame, with both pose vectors. The driving
image is drawn from a generator seeded by (seed, epoch, i): reproducible, and different each
epoch after ``set_epoch``. ``twin_index(i)`` is the image of the same name in the other
partition (in a paired dataset: the same expression, rotated or frontal). Images are numpy arrays
(H, W, 4) uint8 straight alpha, or (H, W, 3) composited over ``background``, read from the files
or from the WebDataset shards; ``animeceleb.torch.FolderPairDataset`` makes tensors of them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..pose import POSE_LAYOUT
from . import layout
from .shards import image_reader

__all__ = ["PairFolder"]


class PairFolder:
    """Pairs of one identity and style from a generated dataset folder.

    ``split``: "train" or "test" (the folder's split lists) or None (all identities);
    ``partitions`` ("rotated" or "rotation", "frontal") / ``styles`` ("S1".."S4"): keep only
    these (None: all); ``background``: an RGB colour to composite over (None: keep RGBA).
    """

    def __init__(self, root: str | Path, split: str | None = None,
                 partitions: Sequence[str] | None = None, styles: Sequence[str] | None = None,
                 background: tuple[int, int, int] | None = None, seed: int = 0) -> None:
        self.root = Path(root)
        labels = self.root / layout.LABELS
        if not labels.is_file():
            raise FileNotFoundError(f"{labels} not found: not a finished generated dataset")
        keep_ids: set[int] | None = None
        if split is not None:
            names = {"train": layout.TRAIN_LIST, "test": layout.TEST_LIST}
            if split not in names:
                raise ValueError(f"split must be 'train', 'test' or None, got {split!r}")
            text = (self.root / names[split]).read_text(encoding="utf-8")
            keep_ids = {int(line) for line in text.split()}
        keep_parts = None if partitions is None else {layout.partition_name(p)
                                                      for p in partitions}
        self.background = background
        self.seed = seed
        self.epoch = 0
        paths: list[str] = []
        ids: list[int] = []
        groups: list[tuple[int, str]] = []
        poses: list[list[float]] = []
        with open(labels, encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header is None or tuple(header) != layout.LABELS_HEADER:
                raise ValueError(f"{labels}: unexpected header {header}")
            for row in reader:
                partition, style, org_id, _ = layout.parse_image_relpath(row[1])
                if keep_ids is not None and org_id not in keep_ids:
                    continue
                if keep_parts is not None and partition not in keep_parts:
                    continue
                if styles is not None and style not in styles:
                    continue
                paths.append(row[1])
                ids.append(org_id)
                groups.append((org_id, style))
                poses.append([float(v) for v in row[2:]])
        self.paths = paths
        self.identities = np.array(ids, dtype=np.int64)
        self.poses = np.array(poses, dtype=np.float32).reshape(-1, len(POSE_LAYOUT))
        members: dict[tuple[int, str], list[int]] = {}
        for i, g in enumerate(groups):
            members.setdefault(g, []).append(i)
        self._group_of = [members[g] for g in groups]
        self._row = {path: i for i, path in enumerate(paths)}
        self._read = image_reader(self.root)

    def __len__(self) -> int:
        return len(self.paths)

    def set_epoch(self, epoch: int) -> None:
        """Draw other driving frames (same sources) from now on."""
        self.epoch = int(epoch)

    def driving_index(self, i: int) -> int:
        """The driving image paired with source ``i``: another image of its identity and
        style when it has one."""
        group = self._group_of[i]
        others = [j for j in group if j != i] or group
        rng = np.random.default_rng([self.seed, self.epoch, i])
        return others[int(rng.integers(len(others)))]

    def twin_index(self, i: int) -> int | None:
        """The image of the same identity, style and name in the other partition (kept by the
        filters), or None."""
        partition, style, org_id, index = layout.parse_image_relpath(self.paths[i])
        other = "frontal" if partition == "rotated" else "rotated"
        return self._row.get(layout.image_relpath(other, style, org_id, index))

    def image(self, i: int) -> np.ndarray:
        from PIL import Image

        with Image.open(io.BytesIO(self._read(self.paths[i]))) as im:
            rgba = np.asarray(im.convert("RGBA"))
        if self.background is None:
            return rgba
        a = rgba[..., 3:4].astype(np.float32) / 255.0
        bg = np.asarray(self.background, dtype=np.float32)
        return np.round(rgba[..., :3] * a + bg * (1.0 - a)).astype(np.uint8)

    def __getitem__(self, i: int) -> dict[str, Any]:
        if not -len(self) <= i < len(self):
            raise IndexError(f"index {i} out of range for {len(self)} images")
        i %= len(self)
        j = self.driving_index(i)
        return {"source": self.image(i), "driving": self.image(j),
                "source_pose": self.poses[i].copy(), "driving_pose": self.poses[j].copy(),
                "identity": int(self.identities[i]), "source_path": self.paths[i],
                "driving_path": self.paths[j]}
