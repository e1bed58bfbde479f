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
    "ANGLE_RANGE",
    "LIGHT_RANGE",
    "PARTITIONS",
    "POSE_LAYOUT",
    "STANDARD_SOURCE_NAMES",
    "TARGET_MORPHS",
    "Pose",
    "annotated_targets",
    "realisable_choices",
    "realize",
    "sample_light",
    "sample_pose",
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


# ----- the sampling policy (DESIGN.md; paper section 3.1 D) ----------------------------------

ANGLE_RANGE = (-20.0, 20.0)  # yaw, pitch, roll in degrees, rotated partition
LIGHT_RANGE = (0.3, 0.9)  # directional light intensity
PARTITIONS = ("rotated", "frontal")  # frontal: head angles zero
_PARTS: dict[str, tuple[str, ...]] = {
    "eyes": ("eye_close", "eye_smile", "eye_wide"),
    "brows": ("brow_up", "brow_down", "brow_troubled"),
}


def annotated_targets(annotation: Mapping[str, str | None] | None = None) -> tuple[str, ...]:
    """The target morphs the annotation maps to a source morph, in ``TARGET_MORPHS`` order
    (None: the standard MMD names).  The paper's per-model image count counts these."""
    names = STANDARD_SOURCE_NAMES if annotation is None else annotation
    return tuple(t for t in TARGET_MORPHS if names.get(t))


def realisable_choices(annotation: Mapping[str, str | None] | None = None
                       ) -> dict[str, tuple[str, ...]]:
    """Per part ("eyes", "brows", "mouth"), the target morphs a pose can realise on the model.

    A side target needs its own morph.  "Both" needs the both morph, or the two side morphs
    (then it is realised as right + left at the same weight); a model with only one side's morph
    offers only that side, since "both" would close one eye.
    """
    have = set(annotated_targets(annotation))
    out: dict[str, tuple[str, ...]] = {}
    for part, bases in _PARTS.items():
        choices: list[str] = []
        for base in bases:
            right, left = f"{base}_right", f"{base}_left"
            if base in have or (right in have and left in have):
                choices.append(base)
            choices += [t for t in (right, left) if t in have]
        out[part] = tuple(choices)
    out["mouth"] = tuple(t for t in _MOUTH if t in have)
    return out


def sample_pose(rng: np.random.Generator,
                annotation: Mapping[str, str | None] | None = None,
                partition: str = "rotated") -> Pose:
    """One pose the model can realise: per part one realisable target morph drawn uniformly,
    its weight uniform in [0, 1] (a "both" target sets right and left to it); head angles
    uniform in ``ANGLE_RANGE`` (``partition="rotated"``) or zero (``"frontal"``).

    The draws are made in a fixed order (part choice then weight, eyes, brows, mouth, then
    yaw, pitch, roll), so one ``rng`` state gives one pose.
    """
    if partition not in PARTITIONS:
        raise ValueError(f"partition must be one of {PARTITIONS}, got {partition!r}")
    values = dict.fromkeys(POSE_LAYOUT, 0.0)
    for choices in realisable_choices(annotation).values():
        if not choices:
            continue
        target = choices[int(rng.integers(len(choices)))]
        weight = float(rng.uniform(0.0, 1.0))
        if target in values:
            values[target] = weight
        else:
            values[f"{target}_right"] = values[f"{target}_left"] = weight
    if partition == "rotated":
        yaw, pitch, roll = rng.uniform(*ANGLE_RANGE, size=3)
        values.update(yaw=float(yaw), pitch=float(pitch), roll=float(roll))
    return Pose(**values)


def sample_light(rng: np.random.Generator) -> float:
    """A light intensity uniform in ``LIGHT_RANGE``."""
    return float(rng.uniform(*LIGHT_RANGE))
