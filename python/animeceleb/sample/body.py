"""Neck and shoulders.

The neck is a tube from inside the torso up into the head. Its skin blends in
two BDEF2 stages, each a smoothstep in height: from the tube's lowest ring
(inside the torso) to mid-neck from 上半身 to 首 (its base stays attached to
the body when 首 turns), over the upper half from 首 to 頭 (so a turn of 頭
bends the throat too). The stages meet at mid-neck, where the vertex follows
首 alone, so the weights are continuous and turning 首 twists the neck
gradually, without a crease. The shoulders are a rounded, boxy shell under a
top with a sailor-style collar band (in the cloth texture), bound to 上半身.
"""

from __future__ import annotations

import numpy as np

from .head import skin_uv
from .mesh import Part, grid_faces, orient, smoothstep, vertex_normals
from .skeleton import BODY_Z, HEAD_Y, NECK_Y

N_AROUND = 40
NECK_MID_Y = 0.5 * (NECK_Y + HEAD_Y)


def _catmull(keys: np.ndarray, per: int) -> np.ndarray:
    """Catmull-Rom through rows of ``keys``, ``per`` samples per span."""
    k = np.vstack([keys[:1], keys, keys[-1:]])
    out = []
    for i in range(1, len(k) - 2):
        p0, p1, p2, p3 = k[i - 1], k[i], k[i + 1], k[i + 2]
        for t in np.arange(per) / per:
            out.append(
                0.5
                * (
                    (2 * p1)
                    + (-p0 + p2) * t
                    + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                    + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3
                )
            )
    out.append(k[-2])
    return np.array(out)


def _rings(profile: np.ndarray, power: float):
    """Rings (y, half width, half depth) swept around; superelliptic cross-section."""
    ang = np.linspace(0.0, 2 * np.pi, N_AROUND, endpoint=False)
    c, s = np.cos(ang), np.sin(ang)
    ex = 2.0 / power
    cx = np.sign(s) * np.abs(s) ** ex  # x ~ sin: angle 0 is the front (-Z)
    cz = -np.sign(c) * np.abs(c) ** ex
    y = profile[:, 0:1]
    a = profile[:, 1:2]
    b = profile[:, 2:3]
    pos = np.stack([a * cx, y + 0 * cx, BODY_Z + b * cz], -1)
    return pos.reshape(-1, 3), ang


def build_neck() -> Part:
    keys = np.array(
        [
            (14.60, 0.95, 0.80),
            (14.95, 0.60, 0.52),
            (15.25, 0.45, 0.42),
            (15.70, 0.40, 0.38),
            (16.30, 0.42, 0.40),
            (16.90, 0.45, 0.45),
        ]
    )
    prof = _catmull(keys, 8)  # dense rings: each blend stage spans many
    pos, ang = _rings(prof, 2.0)
    rows = len(prof)
    faces = grid_faces(rows, N_AROUND, wrap=True)
    # outward normals: radial for orientation, then smoothed from the mesh
    radial = pos * [1, 0, 1] - np.array([0.0, 0.0, BODY_Z])
    faces = orient(faces, pos, radial)
    nrm = vertex_normals(pos, faces)
    phi = np.tile(ang, rows)
    uv = skin_uv(phi, np.full_like(phi, 0.97 * np.pi))
    y = pos[:, 1]
    upper = y >= NECK_MID_Y
    weight = np.where(
        upper, smoothstep(NECK_MID_Y, HEAD_Y, y), smoothstep(float(y.min()), NECK_MID_Y, y)
    )
    return Part(
        "neck",
        "肌",
        pos,
        nrm,
        uv,
        faces,
        region="skin",
        bone_a=np.where(upper, "頭", "首"),
        bone_b=np.where(upper, "首", "上半身"),
        weight_a=weight,
    )


TORSO_KEYS = np.array(
    [
        (11.60, 1.50, 0.82),
        (12.80, 1.62, 0.86),
        (13.90, 1.76, 0.80),
        (14.35, 1.72, 0.72),
        (14.68, 1.45, 0.64),
        (14.92, 0.98, 0.56),
        (15.05, 0.64, 0.50),
    ]
)


def build_torso() -> Part:
    keys = TORSO_KEYS
    prof = _catmull(keys, 5)
    pos, ang = _rings(prof, TORSO_POWER)
    rows = len(prof)
    faces = grid_faces(rows, N_AROUND, wrap=True)
    radial = pos * [1, 0, 1] - np.array([0.0, 0.0, BODY_Z])
    faces = orient(faces, pos, radial)
    nrm = vertex_normals(pos, faces)
    u = np.tile(ang / (2 * np.pi), rows)
    v = np.repeat((prof[-1, 0] - prof[:, 0]) / (prof[-1, 0] - prof[0, 0]), N_AROUND)
    uv = np.stack([u, v], -1)
    return Part("torso", "服", pos, nrm, uv, faces, region="body", bone_a="上半身")


TORSO_POWER = 2.8


def torso_extent(y, dx, dz):
    """Distance from the body axis to the torso surface at height ``y`` along unit (dx, dz).

    Zero above the torso. Used by the hair to fall over the shoulders rather than into them.
    """
    prof = _catmull(TORSO_KEYS, 5)
    ys = prof[:, 0]
    y = np.asarray(y, dtype=np.float64)
    a = np.interp(y, ys, prof[:, 1], left=prof[0, 1], right=0.0)
    b = np.interp(y, ys, prof[:, 2], left=prof[0, 2], right=0.0)
    a = np.where(y > ys[-1], 0.0, a)
    b = np.where(y > ys[-1], 0.0, b)
    p = TORSO_POWER
    with np.errstate(divide="ignore"):
        s = (np.abs(dx) / np.maximum(a, 1e-9)) ** p + (np.abs(dz) / np.maximum(b, 1e-9)) ** p
    return np.where(a > 0, s ** (-1.0 / p), 0.0)
