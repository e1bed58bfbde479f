"""A small anime mouth: a lip line, and an inner mouth that opens under it.

The mouth is laid on the skin in local (u, v) angle units around
(``phi = 0``, ``MOUTH_ELEV``). In the neutral pose the upper and lower lip
curves coincide on a gentle smile line, so the inner mouth (口内, textured
with tongue and upper teeth) has zero area; a vowel moves the curves apart.
Dark lines (口線) ride on both curves, thick on top and thin below.

Vowels, as (half width factor, upper lip rise, lower lip drop, roundness):
あ wide open, い wide and flat (teeth show), う small and pursed,
え medium open and wide, お tall and round.
"""

from __future__ import annotations

import numpy as np

from .head import on_head
from .mesh import Part, grid_faces, lerp, orient

MOUTH_ELEV = -0.665
HALF_WIDTH = 0.11
CLOSED_SAG = 0.012  # the neutral line dips this much in the middle (a faint smile)
N_S = 25
N_R = 8
INNER_OFFSET = 0.008
LINE_OFFSET = 0.014

# name -> (width factor, upper rise, lower drop, exponent: smaller = rounder/boxier)
VOWELS = {
    "a": (1.35, 0.035, 0.250, 0.75),
    "i": (1.55, 0.015, 0.070, 0.40),
    "u": (0.65, 0.035, 0.085, 0.5),
    "e": (1.40, 0.025, 0.150, 0.55),
    "o": (0.95, 0.060, 0.230, 0.55),
}
SHAPES = tuple(VOWELS)


def _curves(s, state):
    """Upper and lower lip curves (u, v_up, v_lo) for a state {vowel: weight}."""
    x = 2 * s - 1  # -1 .. 1 across
    base_u = HALF_WIDTH * x
    base_v = -CLOSED_SAG * (1 - x**2)
    u, vu, vl = base_u.copy(), base_v.copy(), base_v.copy()
    for name, w in state.items():
        wf, rise, drop, ex = VOWELS[name]
        prof = np.clip(1 - x**2, 0, 1) ** ex
        u = u + w * base_u * (wf - 1)
        vu = vu + w * (rise * prof + CLOSED_SAG * (1 - x**2) * 0.5)
        vl = vl - w * drop * prof
    return u, vu, vl


def _place(u, v, offset):
    return on_head(u, MOUTH_ELEV + v, offset)


def _inner(state):
    s = np.linspace(0.0, 1.0, N_S)
    u, vu, vl = _curves(s, state)
    r = np.linspace(0.0, 1.0, N_R)[:, None]
    v = lerp(vl[None], vu[None], r)
    p, n = _place(np.broadcast_to(u, v.shape), v, INNER_OFFSET)
    return p.reshape(-1, 3), n.reshape(-1, 3)


def _lines(state):
    s = np.linspace(0.0, 1.0, N_S)
    u, vu, vl = _curves(s, state)
    x = 2 * s - 1
    taper = np.clip(1 - x**2, 0, 1) ** 0.35
    t_up = 0.004 + 0.010 * taper
    t_lo = 0.002 + 0.004 * taper
    rows_upper = np.stack([vu - t_up * 0.4, vu + t_up * 0.6])
    rows_lower = np.stack([vl - t_lo * 0.7, vl + t_lo * 0.3])
    v = np.concatenate([rows_upper, rows_lower])
    p, n = _place(np.broadcast_to(u, v.shape), v, LINE_OFFSET)
    return p.reshape(-1, 3), n.reshape(-1, 3)


def build_mouth() -> list[Part]:
    p, n = _inner({})
    s, r = np.meshgrid(np.linspace(0, 1, N_S), np.linspace(0, 1, N_R))
    uv = np.stack([s.ravel(), 1 - r.ravel()], -1)
    faces = orient(grid_faces(N_R, N_S), _inner({"a": 1.0})[0], n)
    inner = Part("mouth_inner", "口", p, n, uv, faces, region="mouth")
    inner.morphs = {k: _inner({k: 1.0})[0] - p for k in SHAPES}

    lp, ln = _lines({})
    g = grid_faces(2, N_S)
    lf = np.vstack([g, g + 2 * N_S])
    lf = orient(lf, lp, ln)
    lines = Part(
        "mouth_line", "口線", lp, ln, np.tile([[0.5, 0.5]], (len(lp), 1)), lf, region="mouth"
    )
    lines.morphs = {k: _lines({k: 1.0})[0] - lp for k in SHAPES}
    return [inner, lines]
