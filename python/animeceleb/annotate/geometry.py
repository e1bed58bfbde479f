"""What a morph does to the mesh: which visible vertices it moves, on which side, in which part
of the face, and how its shape compares with another morph's.

Everything is measured on the model's own offsets at weight 1.0 (vertex morphs directly; group,
bone and flip morphs through the poser), on the vertices of visible materials only (a hidden
overlay mesh that a morph also moves, like Gene's 青ざめ, says nothing about what one sees).

Sides are the character's own: right is -X (MMD's 右), left is +X, around the midline of the
eye bones (or the head bone).  Heights are measured from the eye bones' line in units of the
distance between the eyes, positive upwards, which puts every model's brows, eyes and mouth in
the same bands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

__all__ = [
    "REGION_BANDS",
    "Fit",
    "Landmarks",
    "ModelGeometry",
    "MorphShape",
    "landmarks",
]

# Height bands (eye spans above the eye line) of the face parts; a centroid in none is "other".
REGION_BANDS: dict[str, tuple[float, float]] = {
    "brow": (0.42, 1.8),
    "eye": (-0.45, 0.42),
    "mouth": (-2.8, -0.45),
}
ONE_SIDED = 0.9  # share of the movement on one side for a one-sided morph
BOTH_SIDED = 0.25  # each side's share at least this for a both-sided morph
MOVED = 1e-6  # offsets below this (model units) count as no movement

# Shape agreement classes, best first, with the cosine each needs (exact: residual instead).
FIT_CLASSES = ("exact", "scaled", "similar", "loose")
_EXACT_RESIDUAL = 0.02
_COSINE = {"scaled": 0.995, "similar": 0.9, "loose": 0.75}


@dataclass(frozen=True)
class Landmarks:
    """Where the face is: the midline X, the eye line Y and the eye span, in model units."""

    mid_x: float
    eye_y: float | None
    eye_span: float | None
    source: str  # which bones they came from

    @property
    def has_eyes(self) -> bool:
        return self.eye_y is not None and self.eye_span is not None and self.eye_span > 0


def landmarks(model: Any) -> Landmarks:
    """The face landmarks from the eye bones 右目/左目 (or 頭 for the midline alone)."""
    pos = {b.name: np.asarray(b.position, dtype=np.float64) for b in model.bones}
    if "右目" in pos and "左目" in pos:
        r, le = pos["右目"], pos["左目"]
        span = float(abs(le[0] - r[0]))
        if span > 0:
            return Landmarks(float((r[0] + le[0]) / 2), float((r[1] + le[1]) / 2), span,
                             "右目/左目")
    mid = float(pos["頭"][0]) if "頭" in pos else 0.0
    return Landmarks(mid, None, None, "頭" if "頭" in pos else "origin")


@dataclass(frozen=True)
class Fit:
    """How a one-sided morph compares with a both-sided one on the same side."""

    cosine: float
    residual: float  # |a - b_side| / |b_side|
    scale: float  # the best s in a ~ s * b_side

    @property
    def grade(self) -> str | None:
        """"exact", "scaled", "similar", "loose", or None (a different shape)."""
        if self.residual <= _EXACT_RESIDUAL:
            return "exact"
        for grade in ("scaled", "similar", "loose"):
            if self.cosine >= _COSINE[grade]:
                return grade
        return None


@dataclass
class MorphShape:
    """The visible movement of one morph at weight 1.0."""

    index: int
    name: str
    vertices: np.ndarray  # (K,) int64, visible vertices it moves
    offsets: np.ndarray  # (K,3) float64
    right_share: float  # share of the movement on the character's right (-X)
    height: float | None  # centroid height over the eye line, in eye spans (+ up)
    kind: str

    @property
    def moves(self) -> bool:
        return len(self.vertices) > 0

    @cached_property
    def magnitude(self) -> float:
        return float(np.linalg.norm(self.offsets, axis=1).sum())

    @property
    def side(self) -> str:
        """"right", "left", "both", "asymmetric" or "none" (moves nothing visible)."""
        if not self.moves:
            return "none"
        if self.right_share >= ONE_SIDED:
            return "right"
        if self.right_share <= 1.0 - ONE_SIDED:
            return "left"
        if BOTH_SIDED <= self.right_share <= 1.0 - BOTH_SIDED:
            return "both"
        return "asymmetric"

    @property
    def region(self) -> str | None:
        """"brow", "eye", "mouth", "other"; None where the model has no eye landmarks."""
        if self.height is None:
            return None
        for region, (lo, hi) in REGION_BANDS.items():
            if lo < self.height <= hi:
                return region
        return "other"

    def describe(self) -> str:
        where = f", {self.region}" if self.region else ""
        h = f" (height {self.height:+.2f})" if self.height is not None else ""
        return (f"moves {len(self.vertices)} visible vertices, {self.side}"
                f" ({100 * self.right_share:.0f}% on the right){where}{h}")


@dataclass
class ModelGeometry:
    """Morph shapes of one model, computed on demand and cached."""

    model: Any
    marks: Landmarks = field(init=False)
    visible: np.ndarray = field(init=False)  # (V,) bool
    _shapes: dict[int, MorphShape] = field(init=False, default_factory=dict)
    _dense: dict[int, np.ndarray] = field(init=False, default_factory=dict)
    _poser: Any = field(init=False, default=None)

    def __post_init__(self) -> None:
        m = self.model
        self.marks = landmarks(m)
        self.positions = np.asarray(m.positions, dtype=np.float64)
        self.visible = _visible_vertices(m)
        self._index = {mo.name: mo.index for mo in m.morphs}
        span = self.marks.eye_span
        self._tol = 0.02 * span if span else 1e-3
        x = self.positions[:, 0] - self.marks.mid_x
        self._right = x < -self._tol
        self._left = x > self._tol

    def index(self, morph: int | str) -> int:
        if isinstance(morph, str):
            if morph not in self._index:
                raise KeyError(f"the model has no morph named {morph!r}")
            return self._index[morph]
        return int(morph)

    def shape(self, morph: int | str) -> MorphShape:
        i = self.index(morph)
        if i not in self._shapes:
            self._shapes[i] = self._measure(i)
        return self._shapes[i]

    def _sparse(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(vertices, offsets) that morph ``i`` moves at weight 1.0, visible vertices only."""
        mo = self.model.morphs[i]
        if mo.kind == "vertex":
            idx, off = self.model.vertex_morph(i)
            idx = np.asarray(idx, dtype=np.int64)
            verts, inverse = np.unique(idx, return_inverse=True)
            acc = np.zeros((len(verts), 3))
            np.add.at(acc, inverse, np.asarray(off, dtype=np.float64))
        elif mo.kind in ("group", "flip", "bone", "impulse"):
            if self._poser is None:
                self._poser = self.model.poser()
            p = self._poser
            p.reset()
            p.set_morph(i, 1.0)
            posed = np.asarray(p.evaluate().positions, dtype=np.float64)
            p.reset()
            diff = posed - self.positions
            verts = np.flatnonzero(np.abs(diff).max(axis=1) > 0.0)
            acc = diff[verts]
        else:  # UV and material morphs move nothing
            return np.zeros(0, dtype=np.int64), np.zeros((0, 3))
        keep = (verts < len(self.visible))
        keep[keep] = self.visible[verts[keep]]
        keep &= np.linalg.norm(acc, axis=1) >= MOVED
        return verts[keep], acc[keep]

    def _measure(self, i: int) -> MorphShape:
        verts, off = self._sparse(i)
        mag = np.linalg.norm(off, axis=1)
        right = float(mag[self._right[verts]].sum())
        left = float(mag[self._left[verts]].sum())
        share = right / (right + left) if right + left > 0 else 0.5
        height = None
        if self.marks.has_eyes and len(verts):
            y = float((self.positions[verts, 1] * mag).sum() / mag.sum())
            assert self.marks.eye_y is not None and self.marks.eye_span is not None
            height = (y - self.marks.eye_y) / self.marks.eye_span
        mo = self.model.morphs[i]
        return MorphShape(i, mo.name, verts, off, share, height, mo.kind)

    def dense(self, morph: int | str) -> np.ndarray:
        """(V,3) visible offsets (cached: meant for the few reference morphs)."""
        i = self.index(morph)
        if i not in self._dense:
            s = self.shape(i)
            d = np.zeros_like(self.positions)
            d[s.vertices] = s.offsets
            self._dense[i] = d
        return self._dense[i]

    def fit(self, one_sided: int | str, both: int | str) -> Fit:
        """Compare a one-sided morph with a both-sided one restricted to the same side (the
        vertices of that side, plus any the one-sided morph moves near the midline)."""
        s = self.shape(one_sided)
        b = self.dense(both)
        side_mask = self._right if s.right_share >= 0.5 else self._left
        b_side = b[side_mask]
        extra = s.vertices[~side_mask[s.vertices]]  # the one-sided morph's midline vertices
        nb2 = float((b_side * b_side).sum() + (b[extra] * b[extra]).sum())
        na2 = float((s.offsets * s.offsets).sum())
        if na2 == 0.0 or nb2 == 0.0:
            return Fit(0.0, float("inf"), 0.0)
        dot = float((s.offsets * b[s.vertices]).sum())
        res2 = max(na2 - 2.0 * dot + nb2, 0.0)
        return Fit(dot / float(np.sqrt(na2 * nb2)), float(np.sqrt(res2 / nb2)), dot / nb2)


def _visible_vertices(model: Any) -> np.ndarray:
    """(V,) bool: vertices of triangles whose material is drawn (diffuse alpha > 0)."""
    faces = np.asarray(model.faces, dtype=np.int64).reshape(-1, 3)
    visible = np.zeros(model.vertex_count, dtype=bool)
    start = 0
    for mat in model.materials:
        n = int(mat.face_count)
        if n and float(mat.diffuse[3]) > 0.0:
            tri = faces[start:start + n]
            visible[tri[tri < model.vertex_count]] = True
        start += n
    return visible
