"""The pose vector: 20 numbers, and how they become morph weights and head angles on a model.

``TARGET_MORPHS`` lists the 23 target morphs of DESIGN.md in table order; ``POSE_LAYOUT`` the 20
entries of a pose vector.  A pose is realised on a model through its *annotation*, a mapping
``target morph -> the model's own morph name (or None)``; ``realize`` applies DESIGN.md's rule:
when the right and left entries are equal and positive and the model has the "both" morph, that
morph is applied, otherwise the side morphs are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass, fields

import numpy as np

__all__ = [
    "POSE_LAYOUT",
    "STANDARD_SOURCE_NAMES",
    "TARGET_MORPHS",
    "Pose",
    "realize",
]

_SIDED = ("eye_close", "eye_smile", "eye_wide", "brow_up", "brow_down", "brow_troubled")
_MOUTH = ("mouth_a", "mouth_i", "mouth_u", "mouth_e", "mouth_o")

TARGET_MORPHS: tuple[str, ...] = tuple(
    name for base in _SIDED for name in (base, f"{base}_right", f"{base}_left")
) + _MOUTH

POSE_LAYOUT: tuple[str, ...] = (
    tuple(name for base in _SIDED for name in (f"{base}_right", f"{base}_left"))
    + _MOUTH
    + ("yaw", "pitch", "roll")
)

# The standard MMD face morph names, used when a model has no annotation.  One-sided names
# follow the common convention (ウィンク２ = plain wink, ウィンク = smiling wink); annotation
# decides from the geometry where a model differs (DESIGN.md).  No standard name: None.
STANDARD_SOURCE_NAMES: dict[str, str | None] = {
    "eye_close": "まばたき",
    "eye_close_right": "ウィンク２右",
    "eye_close_left": "ウィンク２",
    "eye_smile": "笑い",
    "eye_smile_right": "ウィンク右",
    "eye_smile_left": "ウィンク",
    "eye_wide": "びっくり",
    "eye_wide_right": None,
    "eye_wide_left": None,
    "brow_up": "上",
    "brow_up_right": None,
    "brow_up_left": None,
    "brow_down": "下",
    "brow_down_right": None,
    "brow_down_left": None,
    "brow_troubled": "困る",
    "brow_troubled_right": None,
    "brow_troubled_left": None,
    "mouth_a": "あ",
    "mouth_i": "い",
    "mouth_u": "う",
    "mouth_e": "え",
    "mouth_o": "お",
}


@dataclass(frozen=True)
class Pose:
    """One pose vector, fields in ``POSE_LAYOUT`` order.  Morphs in [0, 1], angles in degrees."""

    eye_close_right: float = 0.0
    eye_close_left: float = 0.0
    eye_smile_right: float = 0.0
    eye_smile_left: float = 0.0
    eye_wide_right: float = 0.0
    eye_wide_left: float = 0.0
    brow_up_right: float = 0.0
    brow_up_left: float = 0.0
    brow_down_right: float = 0.0
    brow_down_left: float = 0.0
    brow_troubled_right: float = 0.0
    brow_troubled_left: float = 0.0
    mouth_a: float = 0.0
    mouth_i: float = 0.0
    mouth_u: float = 0.0
    mouth_e: float = 0.0
    mouth_o: float = 0.0
    yaw: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0

    @classmethod
    def from_array(cls, values: Sequence[float] | np.ndarray) -> Pose:
        arr = np.asarray(values, dtype=np.float64).reshape(-1)
        if arr.shape != (len(POSE_LAYOUT),):
            raise ValueError(f"a pose has {len(POSE_LAYOUT)} numbers, got shape {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ValueError("a pose must be finite")
        return cls(*(float(v) for v in arr))

    def to_array(self) -> np.ndarray:
        return np.array(astuple(self), dtype=np.float32)

    @classmethod
    def coerce(cls, pose: Pose | Sequence[float] | np.ndarray | None) -> Pose:
        """A ``Pose`` from a Pose, 20 numbers, or None (the neutral pose)."""
        if pose is None:
            return cls()
        if isinstance(pose, Pose):
            return pose
        return cls.from_array(pose)


assert tuple(f.name for f in fields(Pose)) == POSE_LAYOUT


def realize(
    pose: Pose | Sequence[float] | np.ndarray,
    annotation: Mapping[str, str | None] | None = None,
) -> tuple[dict[str, float], tuple[float, float, float]]:
    """Morph weights by the model's own morph names, and (yaw, pitch, roll) in degrees for 首.

    ``annotation`` maps target morphs to source morph names (missing or None: not available);
    None uses ``STANDARD_SOURCE_NAMES``.  Zero weights are left out.  Two targets mapped to the
    same source add up (clipped to 1).  A side value whose morph the model lacks is dropped, as
    is a "both" value without any morph (the sampler draws only realisable poses).
    """
    p = Pose.coerce(pose)
    names = STANDARD_SOURCE_NAMES if annotation is None else annotation
    weights: dict[str, float] = {}

    def add(target: str, value: float) -> None:
        source = names.get(target)
        if value > 0.0 and source:
            weights[source] = min(1.0, weights.get(source, 0.0) + value)

    for base in _SIDED:
        right = getattr(p, f"{base}_right")
        left = getattr(p, f"{base}_left")
        if right == left and right > 0.0 and names.get(base):
            add(base, right)
        else:
            add(f"{base}_right", right)
            add(f"{base}_left", left)
    for target in _MOUTH:
        add(target, getattr(p, target))
    return weights, (p.yaw, p.pitch, p.roll)
