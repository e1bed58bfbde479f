"""``FolderPairDataset``: a generated dataset (PNG files or WebDataset shards) as a PyTorch
``Dataset`` of pairs.

A thin layer over ``animeceleb.dataset.PairFolder`` (which holds the pairing logic and needs no
torch): images become float tensors (C, H, W) in [0, 1], poses float32 tensors of 20 numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from torch.utils.data import Dataset

from ..dataset.pairs import PairFolder
from .convert import image_tensor, pose_tensor

__all__ = ["FolderPairDataset"]


class FolderPairDataset(Dataset):
    """Items: ``source``, ``driving`` (C, H, W) float tensors, ``source_pose``,
    ``driving_pose`` (20,) tensors, ``identity`` (int). Arguments as ``PairFolder``
    (``partitions``: "rotated"/"rotation", "frontal"); the default ``background`` is white
    (RGB, as the published loader composites), None keeps RGBA."""

    def __init__(self, root: str | Path, split: str | None = None,
                 partitions: Sequence[str] | None = None, styles: Sequence[str] | None = None,
                 background: tuple[int, int, int] | None = (255, 255, 255),
                 seed: int = 0) -> None:
        self.pairs = PairFolder(root, split, partitions, styles, background, seed)

    def __len__(self) -> int:
        return len(self.pairs)

    def set_epoch(self, epoch: int) -> None:
        self.pairs.set_epoch(epoch)

    def __getitem__(self, i: int) -> dict[str, Any]:
        item = self.pairs[i]
        return {"source": image_tensor(item["source"]),
                "driving": image_tensor(item["driving"]),
                "source_pose": pose_tensor(item["source_pose"]),
                "driving_pose": pose_tensor(item["driving_pose"]),
                "identity": item["identity"]}
