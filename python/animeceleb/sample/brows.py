"""Eyebrows: a tapered band above each eye, thick at the inner end.

Built for the character's left brow (+X) in the eye's local (u, v) units and
mirrored for the right. Shapes (offsets are "shape at 1.0 minus neutral"):

- ``up`` (上): the whole brow rises, a little more in the middle;
- ``down`` (下): the brow lowers, its inner end most (a frown);
- ``troubled`` (困る): the inner end rises and the outer end drops (ハの字).
"""

from __future__ import annotations

import numpy as np

from .eyes import EYE_ELEV, EYE_PHI
from .head import on_head
from .mesh import Part, grid_faces, lerp, mirror_x, orient

N_S = 17
BROW_OFFSET = 0.03
SHAPES = ("up", "down", "troubled")


def _centre(s, state):
    up, down, tr = state.get("up", 0.0), state.get("down", 0.0), state.get("troubled", 0.0)
    u = lerp(-0.15, 0.21, s)
    v = 0.30 + 0.035 * np.sin(np.pi * s**0.8) - 0.03 * s
    v = v + up * (0.055 + 0.015 * np.sin(np.pi * s))
    v = v - down * (0.045 + 0.02 * (1 - s))
    u = u - down * 0.012 * (1 - s)
    v = v + tr * (0.075 * (1 - s) ** 1.2 - 0.035 * s)
    return u, v


def _brow(state):
    s = np.linspace(0.0, 1.0, N_S)
    u, v = _centre(s, state)
    thick = 0.012 + 0.026 * (1 - s) ** 0.7
    vv = np.stack([v - thick * 0.45, v + thick * 0.55])
    uu = np.stack([u, u + 0.006 * (1 - s)])
    p, n = on_head(EYE_PHI + uu, EYE_ELEV + vv, BROW_OFFSET)
    return p.reshape(-1, 3), n.reshape(-1, 3)


def build_brows() -> list[Part]:
    """Both brows: the right (-X) first, then the left (+X)."""
    p, n = _brow({})
    faces = orient(grid_faces(2, N_S), p, n)
    uv = np.tile([[0.5, 0.5]], (len(p), 1))
    left = Part("brow_L", "眉", p, n, uv, faces, region="brows", side=1)
    left.morphs = {k: _brow({k: 1.0})[0] - p for k in SHAPES}
    right = mirror_x(left, "brow_R", side=-1)
    return [right, left]
