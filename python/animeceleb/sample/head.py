"""The skull and face: one smooth closed surface, and how features sit on it.

The head is a star-shaped surface around ``HEAD_CENTER`` given in spherical
angles: ``phi`` (azimuth, 0 = straight ahead at -Z, positive toward the
character's left, +X) and ``theta`` (polar angle from +Y). ``elev = pi/2 -
theta`` is the elevation used to place face features. Every feature (eyes,
brows, mouth, hair) is laid on this same function plus an offset along its
normal, so nothing floats or sinks however the shape is tuned.
"""

from __future__ import annotations

import numpy as np

from .mesh import Part, grid_faces, normalize, orient, smoothstep

HEAD_CENTER = np.array([0.0, 17.3, 0.0])

# Grid resolution of the skull (longitude x latitude vertices).
N_PHI = 97  # 96 segments + a seam column at the back
N_THETA = 64


def direction(phi, theta):
    phi = np.asarray(phi, dtype=np.float64)
    theta = np.asarray(theta, dtype=np.float64)
    st = np.sin(theta)
    return np.stack([st * np.sin(phi), np.cos(theta), -st * np.cos(phi)], -1)


def surface(phi, theta) -> np.ndarray:
    """Points of the head surface at the given angles (broadcasting)."""
    d = direction(phi, theta)
    dx, dy, dz = d[..., 0], d[..., 1], d[..., 2]
    front = np.clip(-dz, 0.0, 1.0)  # 1 straight ahead, 0 at the sides and back
    back = np.clip(dz, 0.0, 1.0)
    low = np.clip(-dy, 0.0, 1.0)  # below the centre
    x = 1.30 * dx
    y = np.where(dy > 0, 1.42 * dy, 1.22 * dy)
    z = np.where(dz < 0, 1.22 * dz, 1.42 * dz)
    # Jaw: the lower front narrows toward a small chin and reaches lower than the nape.
    jaw = smoothstep(0.05, 0.95, low)
    x = x * (1.0 - 0.42 * jaw * (0.35 + 0.65 * front))
    y = y - 0.52 * low * front**1.5 - 0.10 * jaw * front
    z = z - 0.06 * jaw * front * (1 - low)
    # Cheeks: a little fuller just below the eyes.
    cheek = np.exp(-(((np.abs(np.asarray(phi)) - 0.55) / 0.35) ** 2) - ((dy + 0.3) / 0.25) ** 2)
    x = x + 0.04 * cheek * np.sign(dx)
    z = z - 0.03 * cheek
    # Behind the jaw the underside tucks in toward the neck (no wedge below the ears).
    tuck = smoothstep(0.15, 0.9, low) * (1 - front)
    x = x * (1 - 0.30 * tuck)
    z = np.where(dz > 0, z * (1 - 0.25 * tuck), z)
    # Back of the skull a little fuller and higher.
    z = z + 0.08 * back * np.clip(dy + 0.4, 0, 1)
    # Nose: a small ridge ending in a soft tip.
    elev = np.pi / 2 - np.asarray(theta)
    ph = np.asarray(phi)
    nose = np.exp(-((ph / 0.05) ** 2) - ((elev + 0.47) / 0.07) ** 2)
    ridge = (
        np.exp(-((ph / 0.05) ** 2)) * smoothstep(-0.2, -0.42, elev) * smoothstep(-0.58, -0.5, elev)
    )
    z = z - 0.05 * nose - 0.02 * ridge
    return HEAD_CENTER + np.stack([x, y, z], -1)


def surface_normal(phi, theta) -> np.ndarray:
    """Outward unit normals of :func:`surface` (finite differences)."""
    phi = np.asarray(phi, dtype=np.float64)
    theta = np.clip(np.asarray(theta, dtype=np.float64), 1e-3, np.pi - 1e-3)
    h = 1e-4
    dp = surface(phi + h, theta) - surface(phi - h, theta)
    dt = surface(phi, theta + h) - surface(phi, theta - h)
    n = normalize(np.cross(dp, dt))
    out = surface(phi, theta) - HEAD_CENTER
    s = np.sign((n * out).sum(-1, keepdims=True))
    return n * np.where(s == 0, 1.0, s)


def on_head(phi, elev, offset=0.0):
    """Point and normal at azimuth ``phi``, elevation ``elev``, ``offset`` along the normal."""
    theta = np.pi / 2 - np.asarray(elev, dtype=np.float64)
    n = surface_normal(phi, theta)
    return surface(phi, theta) + n * np.asarray(offset)[..., None], n


def skin_uv(phi, theta) -> np.ndarray:
    """UV of the skin texture: equirectangular, u from the back through the face."""
    return np.stack([np.asarray(phi) / (2 * np.pi) + 0.5, np.asarray(theta) / np.pi], -1)


# How strongly face normals lean toward the viewer (0 = the true surface normals).
FACE_FLATTEN = 1.0


def face_normals(phi, theta, nrm: np.ndarray) -> np.ndarray:
    """Skin normals leaned toward straight ahead (-Z) on the front of the head.

    Anime models edit their face normals so the face shades almost flat under
    a frontal light; with the true normals of a rounded jaw, cel shading draws
    a dark band across the lower face. The lean fades to nothing at the sides
    and back, and is small under the chin, which faces down rather than ahead.
    """
    ahead = np.clip(-direction(phi, theta)[..., 2], 0.0, 1.0)
    w = FACE_FLATTEN * ahead**2
    return normalize(nrm + w[..., None] * np.array([0.0, 0.0, -1.0]))


def build_head() -> Part:
    phi = np.linspace(-np.pi, np.pi, N_PHI)
    # Denser toward the face band; poles nudged off the axis.
    t = np.linspace(0.0, 1.0, N_THETA)
    theta = 0.02 + (np.pi - 0.04) * t
    th, ph = np.meshgrid(theta, phi, indexing="ij")
    pos = surface(ph, th).reshape(-1, 3)
    nrm = face_normals(ph, th, surface_normal(ph, th)).reshape(-1, 3)
    uv = skin_uv(ph, th).reshape(-1, 2)
    faces = orient(grid_faces(N_THETA, N_PHI), pos, nrm)
    # Close the poles with fans (hidden under hair / inside the neck, but watertight).
    top = len(pos)
    bot = top + 1
    pos = np.vstack([pos, surface(0.0, 0.0)[None], surface(0.0, np.pi)[None]])
    nrm = np.vstack([nrm, [[0, 1, 0]], [[0, -1, 0]]])
    uv = np.vstack([uv, [[0.5, 0.0]], [[0.5, 1.0]]])
    c = np.arange(N_PHI - 1)
    last = (N_THETA - 1) * N_PHI
    fans = np.concatenate(
        [
            np.stack([np.full_like(c, top), c, c + 1], 1),
            np.stack([np.full_like(c, bot), last + c, last + c + 1], 1),
        ]
    )
    faces = np.vstack([faces, orient(fans, pos, nrm)])
    return Part("head", "肌", pos, nrm, uv, faces, region="skin")
