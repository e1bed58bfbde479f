"""What a run makes: per-image poses and lights, and the chunks of work.

Every image's randomness comes from its own generator, seeded from (run seed, model file hash,
partition, index) through ``np.random.SeedSequence``: an image is the same whichever worker
renders it, in whatever order, and whether the run was interrupted and resumed. Pose numbers and
the light are rounded to ``DECIMALS`` before rendering, so the label file holds exactly what was
rendered.

Paired (the default, as in the paper): pose ``index`` is drawn once, from the generator of the
rotated image; the rotated image is rendered with it and its frontal twin with the same
expression and light and zero head angles. Unpaired: each partition draws its own poses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass

import numpy as np

from ..pose import PARTITIONS, POSE_LAYOUT, sample_light, sample_pose

__all__ = [
    "ANGLES", "CHUNK_POSES", "DECIMALS", "Chunk", "image_rng", "make_chunks", "sample_image",
]

ANGLES = ("yaw", "pitch", "roll")  # the last three numbers of the pose
DECIMALS = 6  # label precision; the renderer gets the rounded numbers too
CHUNK_POSES = 8  # poses per unit of work: a worker's lost work on a kill, the progress step


def image_rng(seed: int, model_sha256: str, partition: str, index: int) -> np.random.Generator:
    """The generator of one image (all its styles)."""
    if partition not in PARTITIONS:
        raise ValueError(f"partition must be one of {PARTITIONS}, got {partition!r}")
    words = [int(model_sha256[i:i + 8], 16) for i in range(0, 32, 8)]
    entropy = [int(seed), *words, PARTITIONS.index(partition), int(index)]
    return np.random.default_rng(np.random.SeedSequence(entropy))


def sample_image(seed: int, model_sha256: str, partition: str, index: int,
                 annotation: Mapping[str, str | None],
                 paired: bool = True) -> tuple[np.ndarray, float]:
    """(pose as 20 float64 numbers in POSE_LAYOUT order, light), rounded to DECIMALS, of the
    image ``index`` of ``partition``; ``paired``: a frontal image is its rotated twin with
    zero head angles."""
    if partition not in PARTITIONS:
        raise ValueError(f"partition must be one of {PARTITIONS}, got {partition!r}")
    drawn_as = "rotated" if paired else partition
    rng = image_rng(seed, model_sha256, drawn_as, index)
    pose = sample_pose(rng, annotation, drawn_as)
    light = sample_light(rng)
    # from the float64 draws (Pose.to_array is float32)
    values = np.round(np.array(astuple(pose), dtype=np.float64), DECIMALS)
    if partition == "frontal":
        values[-len(ANGLES):] = 0.0
    return values + 0.0, round(light, DECIMALS)  # + 0.0: no "-0.0" in labels


assert POSE_LAYOUT[-len(ANGLES):] == ANGLES


@dataclass(frozen=True)
class Chunk:
    """Poses ``start..stop`` of one model's partition, each rendered in every style."""

    org_id: int
    partition: str
    start: int
    stop: int


def make_chunks(org_id: int, count: int, partitions: Sequence[str],
                size: int = CHUNK_POSES) -> list[Chunk]:
    return [Chunk(org_id, p, a, min(a + size, count))
            for p in partitions for a in range(0, count, size)]
