"""What Sample draws: models, styles, lights and poses from a seed, with the dataset policy.

Draw ``i`` (a frame, or a pair with ``pairs``) uses its own generator,
``default_rng(SeedSequence([seed, i]))``, so a stream is a pure function of the seed and the
server's models, and any draw can be made without the ones before it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from ..pose import sample_light, sample_pose
from .messages import FrameSpec
from .proto.animeceleb.v1 import render_pb2 as pb
from .registry import ModelEntry

__all__ = ["sample_specs"]


def sample_specs(seed: int, entries: Sequence[ModelEntry], styles: Sequence[str],
                 pairs: bool, partition: str, size: int,
                 encoding: pb.ImageEncoding.ValueType,
                 start: int = 0) -> Iterator[FrameSpec]:
    """Frame specs forever from draw ``start`` on (the caller stops at its count)."""
    i = start
    while True:
        rng = np.random.default_rng(np.random.SeedSequence([seed, i]))
        entry = entries[int(rng.integers(len(entries)))] if len(entries) > 1 else entries[0]
        style = styles[int(rng.integers(len(styles)))] if len(styles) > 1 else styles[0]
        roles = (pb.PAIR_ROLE_SOURCE, pb.PAIR_ROLE_DRIVING) if pairs else (
            pb.PAIR_ROLE_UNSPECIFIED,)
        for role in roles:
            pose = sample_pose(rng, entry.annotation, partition).to_array()
            light = float(np.float32(sample_light(rng)))
            yield FrameSpec(entry=entry, pose=pose, style=style, light=light, size=size,
                            encoding=encoding, pair_id=i if pairs else 0, role=role)
        i += 1
