"""Hair: a cap over the skull and pointed locks (bangs, side locks, back hair, ahoge).

Everything is laid on a *hair hull*: the skull surface pushed out along its
normal, which above the elevation ``E_HANG`` follows the head and below it
hangs straight down (with a slight outward flare), the way hair falls from
the widest part of the skull. Positions on the hull are given by the head's
angles ``(phi, elev)`` and an offset; elevations below ``E_HANG`` just mean
"further down the hanging part".

A lock is a closed tube with a lens-shaped cross-section (convex outside,
flatter inside) along a path on the hull, tapering to a point at its tip and
flat at its root. The cap is one sheet from the crown to a hairline that is
high on the forehead (hidden by the bangs), low at the temples and as long
as the back hair behind. UVs follow the hair texture: u across a lock, v
along it by arc length, so the highlight band forms a ring near the crown.

Hair is bound to 頭 (BDEF1) throughout.
"""

from __future__ import annotations

import math
import random

import numpy as np

from .body import torso_extent
from .head import on_head
from .mesh import Part, grid_faces, normalize, orient, smoothstep, vertex_normals
from .skeleton import BODY_Z
from .variants import Variant

E_HANG = -0.08  # below this elevation the hull hangs straight down
DROP_PER_RAD = 1.45  # hanging length per radian of elevation below E_HANG
V_PER_UNIT = 1.0 / 3.6  # texture v per unit of arc length
N_ALONG = 22
N_AROUND = 8


def hull(phi, elev, offset):
    """Points and outward normals on the hair hull (broadcasting)."""
    phi = np.asarray(phi, dtype=np.float64)
    elev = np.asarray(elev, dtype=np.float64)
    offset = np.broadcast_to(
        np.asarray(offset, dtype=np.float64),
        np.broadcast_shapes(phi.shape, elev.shape, np.shape(offset)),
    )
    e = np.maximum(elev, E_HANG)
    p, n = on_head(phi, e, offset)
    below = np.maximum(E_HANG - elev, 0.0)
    # hanging: straight down, flaring out along the horizontal normal at the hang line
    p0, n0 = on_head(phi, np.full_like(elev, E_HANG), offset)
    nh = normalize(n0 * np.array([1.0, 0.0, 1.0]))
    drop = below * DROP_PER_RAD
    flare = 0.10 * drop**0.7
    hang = p0 + nh * flare[..., None] - np.array([0.0, 1.0, 0.0]) * drop[..., None]
    # fall over the shoulders, not into them
    dx, dz = hang[..., 0], hang[..., 2] - BODY_Z
    r = np.hypot(dx, dz)
    ux, uz = dx / np.maximum(r, 1e-9), dz / np.maximum(r, 1e-9)
    ext = torso_extent(hang[..., 1], ux, uz) + 0.10
    soft = 0.12
    r_new = r + soft * np.log1p(np.exp((ext - r) / soft)) * (ext > 0)
    hang = np.stack([ux * r_new, hang[..., 1], BODY_Z + uz * r_new], -1)
    w = (below > 0)[..., None]
    # blend the normal from the skull's to horizontal over the first bit of the fall
    k = smoothstep(0.0, 0.15, below)[..., None]
    n_out = normalize(n * (1 - k) + nh * k)
    return np.where(w, hang, p), n_out


def _lock(name: str, phis, elevs, offsets, width, thick, root_width=0.45) -> Part:
    """A tube along hull points ``(phis, elevs, offsets)`` (arrays over t)."""
    c, n = hull(phis, elevs, offsets)
    t = np.linspace(0.0, 1.0, len(c))
    tang = np.gradient(c, axis=0)
    b = normalize(np.cross(tang, n))
    n = normalize(np.cross(b, tang))
    taper_tip = (1 - t**2.4) ** 0.9
    taper_root = root_width + (1 - root_width) * smoothstep(0.0, 0.25, t)
    w = width * taper_tip * taper_root
    h = thick * taper_tip * smoothstep(0.0, 0.12, t)
    a = np.linspace(0.0, 2 * np.pi, N_AROUND, endpoint=False)
    ca, sa = np.cos(a), np.sin(a)
    out = np.where(sa > 0, 1.0, 0.3) * sa
    pos = (
        c[:, None]
        + b[:, None] * (0.5 * w[:, None, None] * ca[None, :, None])
        + n[:, None] * (h[:, None, None] * out[None, :, None])
    )
    radial = b[:, None] * ca[None, :, None] + n[:, None] * sa[None, :, None]
    pos = pos.reshape(-1, 3)
    radial = radial.reshape(-1, 3)
    faces = orient(grid_faces(len(c), N_AROUND, wrap=True), pos, radial)
    nrm = vertex_normals(pos, faces)
    bad = np.linalg.norm(nrm, axis=1) < 0.5
    nrm[bad] = normalize(radial[bad])
    seg = np.linalg.norm(np.diff(c, axis=0), axis=1)
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    uv = np.stack([np.tile(0.5 + 0.5 * ca, len(c)), np.repeat(arc * V_PER_UNIT, N_AROUND)], -1)
    return Part(name, "髪", pos, nrm, uv, faces, region="hair")


def _path(phi0, e0, phi1, e1, bend=0.0, n=N_ALONG, ease=1.0):
    t = np.linspace(0.0, 1.0, n)
    te = t**ease
    phi = phi0 + (phi1 - phi0) * te + bend * np.sin(np.pi * t)
    elev = e0 + (e1 - e0) * t
    return phi, elev, t


def build_cap(v: Variant) -> Part:
    n_phi, n_rows = 65, 26
    phi = np.linspace(-np.pi, np.pi, n_phi)
    back_end = -0.55 - 2.6 * v.back_length
    front_end = 0.42
    side_end = -0.60
    a = np.abs(phi)
    # hairline: high over the forehead, down at the temples, long at the back
    edge = np.where(
        a < 0.9,
        front_end + (side_end - front_end) * smoothstep(0.45, 0.9, a),
        side_end + (back_end - side_end) * smoothstep(1.3, 2.3, a),
    )
    t = np.linspace(0.0, 1.0, n_rows)[:, None]
    elev = np.pi / 2 - 0.01 + (edge[None, :] - np.pi / 2) * t
    ph = np.broadcast_to(phi[None, :], elev.shape)
    off = 0.07 + 0.02 * t
    p, n = hull(ph, elev, off)
    pos = p.reshape(-1, 3)
    nrm = n.reshape(-1, 3)
    faces = orient(grid_faces(n_rows, n_phi), pos, nrm)
    # arc length from the crown along each column
    seg = np.linalg.norm(np.diff(p, axis=0), axis=2)
    arc = np.vstack([np.zeros((1, n_phi)), np.cumsum(seg, axis=0)])
    u = (phi / (2 * np.pi) + 0.5) * 14.0
    uv = np.stack([np.broadcast_to(u[None, :], arc.shape).ravel(), (arc * V_PER_UNIT).ravel()], -1)
    return Part("hair_cap", "髪", pos, nrm, uv, faces, region="hair")


def build_hair(v: Variant) -> list[Part]:
    rng = random.Random(v.jitter)

    def j(scale: float) -> float:
        return (rng.random() * 2 - 1) * scale

    parts = [build_cap(v)]

    # Bangs: fanned over the forehead from the crown front, tips above the brows.
    nb = v.bangs
    tip_elev = 0.30 - 0.14 * v.bang_length
    for i in range(nb):
        x = (i + 0.5) / nb * 2 - 1  # -1 .. 1 across the forehead
        phi_t = 0.86 * x + j(0.03)
        centre = 1 - abs(x)
        e_t = tip_elev - 0.07 * centre**2 + j(0.025)
        phi_r = 0.35 * x
        ph, el, t = _path(phi_r, 1.32, phi_t, e_t, bend=0.05 * x + j(0.03), ease=0.8)
        off = 0.11 + 0.03 * t + 0.04 * (1 - t)
        width = 0.50 + 0.10 * centre + j(0.04)
        parts.append(_lock(f"bang{i}", ph, el, off, width, 0.07))

    # Side locks framing the face: in front of where the ears would be.
    side_tip = -0.85 - 1.1 * v.side_length
    for side in (-1, 1):
        for k, (p0, p1, w) in enumerate([(0.75, 1.02, 0.42), (1.05, 1.30, 0.48)]):
            ph, el, t = _path(
                side * p0 * 0.6, 1.15, side * p1, side_tip + 0.25 * k + j(0.05), bend=side * 0.04
            )
            off = 0.10 + 0.02 * t
            parts.append(_lock(f"side{k}_{'L' if side > 0 else 'R'}", ph, el, off, w, 0.08))

    # Back hair: a ring of locks from the crown around the back.
    back_tip = -0.60 - 2.6 * v.back_length
    n_back = 13
    for i in range(n_back):
        x = i / (n_back - 1) * 2 - 1
        # around the back, from +1.55 through pi to 2 pi - 1.55 (the surface is periodic in phi)
        phi_t = math.pi + (math.pi - 1.55) * x
        phi_r = math.pi + (phi_t - math.pi) * 0.85
        tip = back_tip + 0.12 * math.cos(i * 1.7) + j(0.06)
        if abs(phi_t - math.pi) > math.pi - 2.0:
            tip = max(tip, -1.2 - 0.8 * v.side_length)  # shorter toward the shoulders
        ph, el, t = _path(phi_r, 1.30, phi_t, tip, bend=j(0.05))
        off = 0.10 + 0.03 * t
        parts.append(_lock(f"back{i}", ph, el, off, 0.62 + j(0.05), 0.09))

    # Crown: a few locks over the top so the parting is not bare.
    for i in range(4):
        phi0 = -0.9 + 0.6 * i
        ph, el, t = _path(phi0 * 0.3, 1.50, phi0 * 1.6, 0.55, bend=j(0.05))
        parts.append(_lock(f"crown{i}", ph, el, 0.10 + 0.01 * t, 0.7, 0.08))

    if v.ahoge:
        parts.append(_ahoge())
    return parts


def _ahoge() -> Part:
    """One strand springing up from the crown and curling forward."""
    t = np.linspace(0.0, 1.0, N_ALONG)
    top, n_top = on_head(0.0, np.pi / 2 - 0.25, 0.12)
    # a 3D curve: up, then over toward the front
    ang = t * 2.4
    r = 0.55
    c = top + np.stack(
        [0.05 * np.sin(t * 3), r * np.sin(ang), r * (1 - np.cos(ang)) * -0.9 + 0.15 * t], -1
    )
    tang = np.gradient(c, axis=0)
    side = np.array([1.0, 0.0, 0.0])
    nrm_dir = normalize(np.cross(side, tang))
    w = 0.16 * (1 - t**2) * (0.4 + 0.6 * smoothstep(0, 0.2, t))
    h = 0.04 * (1 - t**2)
    a = np.linspace(0.0, 2 * np.pi, N_AROUND, endpoint=False)
    ca, sa = np.cos(a), np.sin(a)
    pos = (
        c[:, None]
        + side * (0.5 * w[:, None, None] * ca[None, :, None])
        + nrm_dir[:, None] * (h[:, None, None] * sa[None, :, None])
    )
    radial = side * ca[None, :, None] + nrm_dir[:, None] * sa[None, :, None]
    pos = pos.reshape(-1, 3)
    radial = np.broadcast_to(radial, (len(c), N_AROUND, 3)).reshape(-1, 3)
    faces = orient(grid_faces(len(c), N_AROUND, wrap=True), pos, radial)
    nrm = vertex_normals(pos, faces)
    bad = np.linalg.norm(nrm, axis=1) < 0.5
    nrm[bad] = normalize(radial[bad])
    uv = np.stack([np.tile(0.5 + 0.5 * ca, len(c)), np.repeat(0.3 + 0.4 * t, N_AROUND)], -1)
    return Part("ahoge", "髪", pos, nrm, uv, faces, region="hair")
