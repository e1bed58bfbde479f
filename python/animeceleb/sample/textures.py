"""Textures of the sample character, generated with numpy and written as PNG.

All of them are drawn here from a few analytic shapes, so nothing binary is
checked in. Each function returns an ``(H, W, 3)`` or ``(H, W, 4)`` uint8 array.

- ``skin``: equirectangular over the head's (phi, theta) (see ``head.skin_uv``):
  flat skin with cheek blush and a faint nose shadow.
- ``eye``: the eye box of ``eyes.py`` in its local (u, v) units: white with a lid
  shadow, a tall iris darkening toward the top, pupil, rim, two highlights.
- ``hair``: u across a lock, v from root to tip: strand lines, a highlight band.
- ``mouth``: inner mouth in (across, bottom-to-top): dark red, tongue, upper teeth.
- ``cloth``: u around the body, v down from the neckline: a collar band, a stripe.
- ``toon``: MMD toon ramp, 32x32, lit at the top row and shadowed at the bottom.
"""

from __future__ import annotations

import numpy as np

from . import eyes as eyes_mod


def _grid(h: int, w: int):
    y, x = np.meshgrid((np.arange(h) + 0.5) / h, (np.arange(w) + 0.5) / w, indexing="ij")
    return x, y


def _to_u8(img: np.ndarray) -> np.ndarray:
    return np.round(np.clip(img, 0.0, 1.0) * 255.0).astype(np.uint8)


def _blend(base: np.ndarray, colour, alpha: np.ndarray) -> np.ndarray:
    a = np.clip(alpha, 0.0, 1.0)[..., None]
    return base * (1 - a) + np.asarray(colour, dtype=np.float64) * a


def _ellipse(x, y, cx, cy, rx, ry):
    """Normalised radius: < 1 inside the ellipse."""
    return np.sqrt(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2)


def _edge(r, width):
    """1 inside, 0 outside, a soft edge of ``width`` (in normalised radius) at r = 1."""
    return np.clip((1.0 - r) / width + 0.5, 0.0, 1.0)


SKIN = (1.0, 0.90, 0.83)
SKIN_SHADOW = (0.92, 0.70, 0.66)
BLUSH = (1.0, 0.66, 0.66)


def skin() -> np.ndarray:
    h, w = 512, 1024
    x, y = _grid(h, w)
    phi = (x - 0.5) * 2 * np.pi
    elev = np.pi / 2 - y * np.pi
    img = np.broadcast_to(np.asarray(SKIN), (h, w, 3)).copy()
    for side in (-1, 1):
        r = _ellipse(phi, elev, side * 0.56, -0.43, 0.17, 0.07)
        img = _blend(img, BLUSH, 0.55 * np.exp(-(r**2) * 2.2))
        # three little blush hatch lines, anime style
        for k in (-1, 0, 1):
            cx = side * 0.56 + k * 0.06
            lx = (phi - cx) + 0.35 * (elev + 0.43) * side
            m = (np.abs(lx) < 0.008) & (np.abs(elev + 0.43) < 0.03)
            img = _blend(img, (0.95, 0.5, 0.52), 0.5 * m)
    # nose: a faint shadow on the character's right of the tip, a tiny one under it
    r = _ellipse(phi, elev, -0.035, -0.50, 0.018, 0.022)
    img = _blend(img, SKIN_SHADOW, 0.8 * _edge(r, 0.6))
    return _to_u8(img)


def eye(iris_rgb) -> np.ndarray:
    h, w = 256, 256
    x, y = _grid(h, w)
    u0, u1, v0, v1 = eyes_mod.EYE_BOX
    u = u0 + x * (u1 - u0)
    v = v1 - y * (v1 - v0)
    iris_rgb = np.asarray(iris_rgb, dtype=np.float64)
    white = np.ones((h, w, 3))
    # lid shadow on the white, under the upper lash
    white = _blend(white, (0.80, 0.80, 0.90), np.clip((v - 0.05) / 0.17, 0, 1) * 0.9)
    img = white
    cu, cv, ru, rv = eyes_mod.IRIS
    r = _ellipse(u, v, cu, cv, ru, rv)
    t = np.clip((v - (cv - rv)) / (2 * rv), 0, 1)  # 0 at the iris bottom, 1 at its top
    dark = iris_rgb * 0.22
    light = np.minimum(iris_rgb * 1.25 + 0.15, 1.0)
    iris = light[None, None] * (1 - t[..., None]) + dark[None, None] * t[..., None]
    iris = iris * (1 - 0.35 * t[..., None] ** 3)
    # radial streaks and a lit crescent at the bottom
    ang = np.arctan2((v - cv) / rv, (u - cu) / ru)
    iris = iris * (0.92 + 0.08 * np.cos(ang * 14))[..., None]
    crescent = np.clip(1 - _ellipse(u, v, cu, cv - 0.07, ru * 0.75, rv * 0.45), 0, 1)
    iris = _blend(iris, np.minimum(light * 1.1 + 0.1, 1), 0.6 * crescent)
    img = _blend(img, iris, _edge(r, 0.04))
    # rim
    img = _blend(img, dark * 0.6, np.clip(1 - np.abs(r - 0.97) / 0.05, 0, 1))
    # pupil
    rp = _ellipse(u, v, cu, cv + 0.005, ru * 0.42, rv * 0.45)
    img = _blend(img, dark * 0.35, _edge(rp, 0.1))
    # highlights: a big one up and out, a small one down and in
    rh = _ellipse(u, v, cu + 0.045, cv + 0.06, 0.032, 0.042)
    img = _blend(img, (1, 1, 1), _edge(rh, 0.15))
    rh2 = _ellipse(u, v, cu - 0.04, cv - 0.075, 0.016, 0.014)
    img = _blend(img, (1, 1, 1), 0.9 * _edge(rh2, 0.2))
    return _to_u8(img)


def hair(base, shadow) -> np.ndarray:
    h, w = 256, 128
    x, y = _grid(h, w)
    base = np.asarray(base, dtype=np.float64)
    shadow = np.asarray(shadow, dtype=np.float64)
    # darker at the lock's edges and the root, strand lines along the length
    across = 1 - (2 * x - 1) ** 2
    k = 0.35 + 0.65 * across**0.6
    k = k * (0.9 + 0.1 * np.cos(x * 2 * np.pi * 5 + 2.0 * y))
    k = k * (0.75 + 0.25 * np.clip(y / 0.12, 0, 1))
    img = shadow[None, None] + (base - shadow)[None, None] * k[..., None]
    # highlight band ("angel ring"), zig-zag edged
    edge = 0.2 + 0.025 * np.abs(np.sin(x * np.pi * 6))
    band = np.clip(1 - np.abs(y - edge) / 0.035, 0, 1) * (0.3 + 0.7 * across)
    img = _blend(img, np.minimum(base * 0.4 + 0.65, 1), 0.75 * band)
    return _to_u8(img)


def mouth() -> np.ndarray:
    h, w = 128, 128
    x, y = _grid(h, w)
    r_up = 1 - y  # 0 at the lower lip, 1 at the upper
    img = np.broadcast_to(np.asarray((0.42, 0.08, 0.12)), (h, w, 3)).copy()
    img = _blend(img, (0.20, 0.03, 0.06), np.clip((0.5 - np.abs(r_up - 0.55)) * 1.5, 0, 1) * 0.6)
    tongue = _ellipse(x, r_up, 0.5, 0.02, 0.32, 0.32)
    img = _blend(img, (0.90, 0.45, 0.48), _edge(tongue, 0.1))
    teeth = np.clip((r_up - 0.84) / 0.03, 0, 1) * np.clip((0.5 - np.abs(x - 0.5)) / 0.12, 0, 1)
    img = _blend(img, (0.98, 0.98, 0.98), teeth)
    return _to_u8(img)


def cloth(colour) -> np.ndarray:
    h, w = 128, 64
    x, y = _grid(h, w)
    c = np.asarray(colour, dtype=np.float64)
    img = np.broadcast_to(c, (h, w, 3)).copy()
    img = _blend(img, (0.97, 0.97, 0.97), (y < 0.10).astype(np.float64))
    img = _blend(img, c * 0.55, ((y > 0.075) & (y < 0.09)).astype(np.float64))
    img = _blend(img, (0.97, 0.97, 0.97), ((y > 0.13) & (y < 0.145)).astype(np.float64))
    return _to_u8(img)


def toon() -> np.ndarray:
    h, w = 32, 32
    _, y = _grid(h, w)
    t = np.clip((y - 0.45) / 0.12, 0, 1)
    lit = np.array([1.0, 1.0, 1.0])
    shade = np.array([0.84, 0.78, 0.84])
    img = lit[None, None] * (1 - t[..., None]) + shade[None, None] * t[..., None]
    return _to_u8(img)


def hair_sphere() -> np.ndarray:
    """Additive sphere map: a soft highlight arc where the hair faces up and
    toward the viewer (the "angel ring"), black (no change) elsewhere."""
    h = w = 128
    x, y = _grid(h, w)
    u, v = 2 * x - 1, 2 * y - 1  # view-space normal x, y (v: +1 at the bottom)
    ring = np.exp(-(((v + 0.45) / 0.13) ** 2)) * np.clip(1 - np.abs(u) / 0.8, 0, 1) ** 0.7
    return _to_u8(0.32 * ring[..., None] * np.ones(3))


def skin_sphere() -> np.ndarray:
    """Multiplied sphere map: white where the skin faces the viewer, a slight
    warm darkening toward the rim so the face reads as rounded."""
    h = w = 128
    x, y = _grid(h, w)
    r = np.hypot(2 * x - 1, 2 * y - 1)
    t = np.clip((r - 0.55) / 0.45, 0, 1) ** 2
    rim = np.array([0.86, 0.80, 0.84])
    return _to_u8(1.0 - t[..., None] * (1.0 - rim))
