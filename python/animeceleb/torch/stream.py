"""``RenderStreamDataset``: same-identity pairs from a render server as tensors.

A thin layer over ``animeceleb.service.PairStream`` (which does the work and needs no torch):
each DataLoader worker gets its own seed stream from ``get_worker_info()``, opens its own
connection (after the fork), and reconnects with backoff when the server restarts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import torch
from torch.utils.data import IterableDataset, get_worker_info

from ..service.pairs import Backoff, PairStream
from .convert import image_tensor, pose_tensor

__all__ = ["RenderStreamDataset"]

Item = tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]


class RenderStreamDataset(IterableDataset[Item]):
    """Yields ``(source, driving, source_pose, driving_pose)``: two (4, H, W) float32 RGBA images
    in [0, 1] of one model in one style, and their (20,) float32 pose vectors (POSE_LAYOUT).

    ``count`` pairs per pass over the dataset, split between workers (None: endless).  The other
    arguments are ``PairStream``'s.
    """

    def __init__(self, address: str | Sequence[str], seed: int = 0, count: int | None = None,
                 model_id: str | None = None, styles: Sequence[str] | None = None,
                 size: int = 256, partition: str = "rotated", chunk: int = 64,
                 token: str | None = None, tls: bool | bytes | str | Path = False,
                 backoff: Backoff | None = None) -> None:
        super().__init__()
        self.address = address if isinstance(address, str) else list(address)
        self.seed, self.count, self.model_id, self.styles = seed, count, model_id, styles
        self.size, self.partition, self.chunk = size, partition, chunk
        self.token, self.tls, self.backoff = token, tls, backoff

    def pairs(self) -> PairStream:
        """The pair stream of the calling DataLoader worker (or of the main process)."""
        info = get_worker_info()
        worker_id, num_workers = (info.id, info.num_workers) if info is not None else (0, 1)
        return PairStream(self.address, seed=self.seed, worker_id=worker_id,
                          num_workers=num_workers, count=self.count, model_id=self.model_id,
                          styles=self.styles, size=self.size, partition=self.partition,
                          chunk=self.chunk, token=self.token, tls=self.tls,
                          backoff=self.backoff)

    def __iter__(self) -> Iterator[Item]:
        for pair in self.pairs():
            yield (image_tensor(pair.source.image), image_tensor(pair.driving.image),
                   pose_tensor(pair.source.pose), pose_tensor(pair.driving.pose))
