"""The ten shared toon ramps (MMD's toon01..toon10), generated here as the project's own images.

A toon ramp is sampled at (0.5, 0.5 - 0.5 * N.L): the top row is fully lit, the bottom row the
deepest shadow.  Ours are white in the lit half and fall, over a short soft step just past the
terminator, to a per-ramp shadow tint (greys and warm/cool skin and cloth tones, like MMD's set).
Index -1 is the "no toon" ramp: white everywhere, so the toon term changes nothing.
"""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["RAMP_HEIGHT", "SHADOW_TINTS", "shared_toon", "white_toon"]

RAMP_HEIGHT = 64
RAMP_WIDTH = 4

# Shadow colour of each shared ramp (RGB, 0..1), toon01..toon10.
SHADOW_TINTS: tuple[tuple[float, float, float], ...] = (
    (0.80, 0.80, 0.80),  # 01 light grey
    (0.94, 0.85, 0.78),  # 02 warm skin
    (0.70, 0.70, 0.72),  # 03 grey
    (0.95, 0.82, 0.80),  # 04 pink skin
    (0.86, 0.86, 0.92),  # 05 cool grey
    (0.78, 0.74, 0.70),  # 06 brown grey
    (0.90, 0.90, 0.90),  # 07 very light
    (0.84, 0.80, 0.88),  # 08 lilac
    (0.88, 0.84, 0.72),  # 09 beige
    (0.66, 0.72, 0.80),  # 10 blue shadow
)

_STEP_START = 0.48  # v where the ramp leaves white (just past N.L = 0)
_STEP_END = 0.62  # v where it reaches the shadow tint


def _ramp(shadow: tuple[float, float, float]) -> np.ndarray:
    v = (np.arange(RAMP_HEIGHT, dtype=np.float64) + 0.5) / RAMP_HEIGHT
    t = np.clip((v - _STEP_START) / (_STEP_END - _STEP_START), 0.0, 1.0)
    t = t * t * (3.0 - 2.0 * t)  # smoothstep
    rgb = (1.0 - t)[:, None] + t[:, None] * np.asarray(shadow)[None, :]
    rgba = np.concatenate([rgb, np.ones((RAMP_HEIGHT, 1))], axis=1)
    img = np.round(rgba * 255.0).astype(np.uint8)
    return np.ascontiguousarray(np.repeat(img[:, None, :], RAMP_WIDTH, axis=1))


@functools.cache
def shared_toon(index: int) -> np.ndarray:
    """Shared toon ramp ``index`` (0..9 for toon01..toon10) as (H,W,4) uint8."""
    if not 0 <= index < len(SHADOW_TINTS):
        raise ValueError(f"shared toon index must be 0..9, got {index}")
    return _ramp(SHADOW_TINTS[index])


@functools.cache
def white_toon() -> np.ndarray:
    return _ramp((1.0, 1.0, 1.0))
