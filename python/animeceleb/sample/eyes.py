"""Big anime eyes: a textured eye plate, skin-coloured lids, and lash lines.

An eye is laid out in local (u, v) angle units around its centre on the head
(``u`` toward the outer corner, ``v`` up) and built for the character's left
eye (+X); the right eye is its exact mirror image. Layers, each a little
further out along the skin normal so they draw in order from any side:

1. the eye plate (白目): white, iris, pupil and highlights all in one texture,
   spanning the outline between the lower lid ``bot(s)`` and upper lid ``top(s)``;
   its interior is BDEF2-weighted to the eye bone (0 at the outline), so a
   turned eye bone slides the iris while the outline stays put;
2. eyelids (まぶた): skin-coloured sheets of zero area in the neutral pose,
   hanging from the upper and lower outline; closing the eye pulls their free
   edges together along a "closed" curve, hiding the plate;
3. lashes (まつげ): a thick upper lash line with an outer flick riding on the
   upper lid's edge, and a short thin lower lash line riding on the lower lid's.

Shapes (all morph offsets are "shape at 1.0 minus neutral"):

- ``close``: lids meet on a curve sagging slightly down (a plain shut eye);
- ``smile``: lids meet on an arch bowed up, the "^ ^" of a smiling anime eye;
- ``wide``: the upper lid rises and the lower drops; the plate stretches with them.
"""

from __future__ import annotations

import numpy as np

from .head import on_head, skin_uv
from .mesh import Part, grid_faces, lerp, mirror_x, orient, smoothstep

EYE_PHI = 0.40  # azimuth of the (left) eye's centre
EYE_ELEV = -0.17  # elevation of the eye centres
# The eye texture covers this local box: u from inner to outer, v bottom to top.
EYE_BOX = (-0.19, 0.21, -0.22, 0.26)
# Iris centre and radii in local units (a tall ellipse, top hidden by the lash).
IRIS = (0.005, 0.0, 0.105, 0.155)

N_S = 21  # columns along the eye, inner -> outer corner
N_R = 10  # rows of the eye plate, bottom -> top
N_LID = 6  # rows of each eyelid sheet

PLATE_OFFSET = 0.010
LID_OFFSET = 0.018
LASH_OFFSET = 0.026

SHAPES = ("close", "smile", "wide")


def _s():
    return np.linspace(0.0, 1.0, N_S)


def corner_line(s):
    return lerp(-0.035, 0.035, s)


def eye_u(s):
    return lerp(-0.17, 0.185, s)


def top(s):
    return corner_line(s) + 0.175 * np.sin(np.pi * s) ** 0.55


def bot(s):
    return corner_line(s) - 0.165 * np.sin(np.pi * s) ** 0.9


def outline(s, state):
    """Upper and lower lid edges, and the plate's top and bottom, for a state dict."""
    c, m, w = state.get("close", 0.0), state.get("smile", 0.0), state.get("wide", 0.0)
    sp = np.sin(np.pi * s)
    plate_top = top(s) + w * 0.05 * sp**0.7
    plate_bot = bot(s) - w * 0.035 * sp
    shut_close = corner_line(s) - 0.075 * sp**0.8
    shut_smile = corner_line(s) - 0.035 + 0.085 * sp**0.7
    up = plate_top + c * (shut_close - top(s)) + m * (shut_smile - top(s))
    lo = plate_bot + c * (shut_close - bot(s)) + m * (shut_smile - bot(s))
    return plate_top, plate_bot, up, lo


def _place(u, v, offset):
    return on_head(EYE_PHI + u, EYE_ELEV + v, offset)


def _plate(state):
    s = _s()
    pt, pb, _, _ = outline(s, state)
    r = np.linspace(0.0, 1.0, N_R)
    rr, ss = np.meshgrid(r, s, indexing="ij")
    v = lerp(pb[None, :], pt[None, :], rr)
    u = np.broadcast_to(eye_u(s)[None, :], v.shape)
    p, n = _place(u, v, PLATE_OFFSET)
    return p.reshape(-1, 3), n.reshape(-1, 3), u.ravel(), v.ravel(), ss.ravel(), rr.ravel()


def _lid(state, upper: bool):
    s = _s()
    pt, pb, up, lo = outline(s, state)
    k = np.linspace(0.0, 1.0, N_LID)
    a, b = (pt, up) if upper else (pb, lo)
    v = lerp(a[None, :], b[None, :], k[:, None])
    u = np.broadcast_to(eye_u(s)[None, :], v.shape)
    p, n = _place(u, v, LID_OFFSET)
    return p.reshape(-1, 3), n.reshape(-1, 3), u.ravel(), v.ravel()


# The upper lash runs past the outer corner into a flick, pointing out and down.
N_LASH = 27
FLICK = 0.16  # extra length past the outer corner, in s units


def _lash_upper(state):
    s_all = np.linspace(-0.02, 1.0 + FLICK, N_LASH)
    s = np.clip(s_all, 0.0, 1.0)
    _, _, up, _ = outline(s, state)
    past = np.clip(s_all - 1.0, 0.0, None)
    u = eye_u(s) + past * 0.30
    edge = up - past * 0.22
    thick = (0.012 + 0.042 * smoothstep(0.0, 0.45, s_all) + 0.014 * s) * (
        1 - smoothstep(1.0, 1.0 + FLICK, s_all)
    )
    thick = thick + 0.004
    lower = edge - 0.014 * (1 - smoothstep(1.0, 1.0 + FLICK, s_all))
    upper_ = edge + thick
    v = np.stack([lower, upper_])
    uu = np.stack([u, u + 0.01 * past])
    p, n = _place(uu, v, LASH_OFFSET)
    return p.reshape(-1, 3), n.reshape(-1, 3)


N_LOWER_LASH = 12


def _lash_lower(state):
    s = np.linspace(0.42, 1.0, N_LOWER_LASH)
    _, _, _, lo = outline(s, state)
    thick = 0.004 + 0.011 * smoothstep(0.42, 0.75, s)
    v = np.stack([lo - thick, lo + 0.006])
    u = np.broadcast_to(eye_u(s)[None, :], v.shape)
    p, n = _place(u, v, LASH_OFFSET)
    return p.reshape(-1, 3), n.reshape(-1, 3)


def _morphs(fn, neutral):
    return {name: fn({name: 1.0})[0] - neutral for name in SHAPES}


def _flat(fn, rows, cols, name, material, uvs, open_state=None, **kw):
    p, n = fn({})[:2]
    faces = grid_faces(rows, cols)
    ref = fn(open_state)[0] if open_state else p
    faces = orient(faces, ref, n)
    part = Part(name, material, p, n, uvs, faces, region="eyes", side=1, **kw)
    part.morphs = _morphs(lambda st: fn(st), p)
    return part


def build_left_eye(lash_uv=(0.5, 0.5)) -> list[Part]:
    """The character's left eye (+X) as parts with ``close``/``smile``/``wide`` offsets."""
    p, n, u, v, ss, rr = _plate({})
    u0, u1, v0, v1 = EYE_BOX
    uv = np.stack([(u - u0) / (u1 - u0), (v1 - v) / (v1 - v0)], -1)
    faces = orient(grid_faces(N_R, N_S), p, n)
    weight_eye = (np.sin(np.pi * ss) * np.sin(np.pi * rr)) ** 0.8
    plate = Part(
        "eye_plate",
        "白目",
        p,
        n,
        uv,
        faces,
        region="eyes",
        side=1,
        bone_a="左目",
        bone_b="頭",
        weight_a=weight_eye,
    )
    plate.morphs = _morphs(lambda st: _plate(st), p)

    parts = [plate]
    for upper in (True, False):

        def fn(st, upper=upper):
            return _lid(st, upper)

        lp, ln, lu, lv = fn({})
        luv = skin_uv(EYE_PHI + lu, np.pi / 2 - (EYE_ELEV + lv))
        parts.append(
            _flat(
                fn,
                N_LID,
                N_S,
                "eyelid_upper" if upper else "eyelid_lower",
                "まぶた",
                luv,
                open_state={"close": 1.0},
            )
        )
    lash_cols = N_LASH
    parts.append(
        _flat(
            _lash_upper,
            2,
            lash_cols,
            "lash_upper",
            "まつげ",
            np.tile(np.asarray(lash_uv, float), (2 * lash_cols, 1)),
        )
    )
    parts.append(
        _flat(
            _lash_lower,
            2,
            N_LOWER_LASH,
            "lash_lower",
            "まつげ",
            np.tile(np.asarray(lash_uv, float), (2 * N_LOWER_LASH, 1)),
        )
    )
    return parts


def build_eyes() -> list[Part]:
    """Both eyes: the right eye (-X) first, then the left (+X)."""
    left = build_left_eye()
    right = []
    for part in left:
        r = mirror_x(part, part.name + "_R", side=-1)
        if r.bone_a == "左目":
            r.bone_a = "右目"
        right.append(r)
    for part in left:
        part.name = part.name + "_L"
    return right + left


def eye_bone_position(side: int) -> np.ndarray:
    """Centre of an eyeball (behind the plate): side -1 right eye, +1 left eye."""
    p, _ = on_head(EYE_PHI, EYE_ELEV, -0.35)
    return p * np.array([side, 1.0, 1.0]) if side < 0 else p
