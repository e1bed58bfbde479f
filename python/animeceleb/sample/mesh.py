"""Shared mesh-building helpers for the sample character.

Every piece of the character is a :class:`Part`: a small indexed triangle mesh
with per-vertex normals, UVs, a skin binding (one bone, or a BDEF2 blend of two)
and the vertex-morph offsets it contributes. ``assemble`` (in ``__init__``)
concatenates parts into the serde layout of ``pmx_core::model::Model``.

Winding: a PMX front face is the one whose corners, in file order, satisfy
``cross(v1 - v0, v2 - v0) · n > 0`` in the stored (left-handed) coordinates,
where ``n`` is the outward normal; seen from the front in MMD's left-handed
view (x right, y up, looking along +Z) such a triangle runs clockwise. This
was checked on the shared model Gene (99.8% of its triangles agree with their
stored normals this way). :func:`orient` enforces it on every part.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Part:
    """A piece of mesh drawn with one material and bound to one or two bones."""

    name: str
    material: str
    positions: np.ndarray  # (N, 3)
    normals: np.ndarray  # (N, 3), unit, outward
    uvs: np.ndarray  # (N, 2)
    faces: np.ndarray  # (M, 3) local vertex indices, front faces as documented above
    region: str  # "skin", "eyes", "brows", "mouth", "hair", "body"
    side: int = 0  # -1 the character's right (-X), +1 its left (+X), 0 centre
    # One bone name for the whole part, or (N,) names per vertex.
    bone_a: str | np.ndarray = "頭"
    bone_b: str | np.ndarray | None = None
    weight_a: np.ndarray | None = None  # (N,) weight of bone_a when bone_b is set
    morphs: dict[str, np.ndarray] = field(default_factory=dict)  # name -> (N, 3) offsets

    def __post_init__(self) -> None:
        n = len(self.positions)
        assert self.normals.shape == (n, 3), self.name
        assert self.uvs.shape == (n, 2), self.name
        assert self.faces.ndim == 2 and self.faces.shape[1] == 3, self.name
        assert self.faces.size == 0 or (self.faces.min() >= 0 and self.faces.max() < n), self.name


def grid_faces(rows: int, cols: int, wrap: bool = False) -> np.ndarray:
    """Two triangles per quad of a ``rows`` x ``cols`` vertex grid (index ``r * cols + c``).

    With ``wrap`` the last column joins the first. The winding is arbitrary;
    callers fix it with :func:`orient`.
    """
    cc = cols if wrap else cols - 1
    rr, cg = np.meshgrid(np.arange(rows - 1), np.arange(cc), indexing="ij")
    r = rr.ravel()
    c = cg.ravel()
    c1 = (c + 1) % cols
    a = r * cols + c
    b = r * cols + c1
    d = (r + 1) * cols + c
    e = (r + 1) * cols + c1
    return np.concatenate([np.stack([a, b, e], 1), np.stack([a, e, d], 1)]).astype(np.int64)


def face_cross(positions: np.ndarray, faces: np.ndarray) -> np.ndarray:
    p = positions[faces]
    return np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0])


def orient(faces: np.ndarray, positions: np.ndarray, normals: np.ndarray) -> np.ndarray:
    """Flip triangles so ``cross(v1 - v0, v2 - v0)`` agrees with the vertex normals.

    ``positions`` may be a non-degenerate pose of the part (e.g. an open
    eyelid) when the neutral pose has zero-area triangles; triangles that are
    degenerate even there keep their order.
    """
    c = face_cross(positions, faces)
    n = normals[faces].sum(1)
    flip = (c * n).sum(1) < 0
    out = faces.copy()
    out[flip] = out[flip][:, [0, 2, 1]]
    return out


def vertex_normals(positions: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted vertex normals of a mesh whose faces are already oriented."""
    c = face_cross(positions, faces)
    n = np.zeros_like(positions)
    for k in range(3):
        np.add.at(n, faces[:, k], c)
    return normalize(n)


def normalize(v: np.ndarray) -> np.ndarray:
    ln = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(ln > 1e-12, ln, 1.0)


def smoothstep(e0: float, e1: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((np.asarray(x, dtype=np.float64) - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def lerp(a, b, t):
    return a + (b - a) * t


def mirror_x(part: Part, name: str, side: int) -> Part:
    """The mirror image of ``part`` through x = 0 (winding re-fixed, morphs mirrored)."""
    flipx = np.array([-1.0, 1.0, 1.0])
    return Part(
        name=name,
        material=part.material,
        positions=part.positions * flipx,
        normals=part.normals * flipx,
        uvs=part.uvs.copy(),
        faces=part.faces[:, [0, 2, 1]].copy(),
        region=part.region,
        side=side,
        bone_a=part.bone_a,
        bone_b=part.bone_b,
        weight_a=None if part.weight_a is None else part.weight_a.copy(),
        morphs={k: v * flipx for k, v in part.morphs.items()},
    )
