"""Seeded variations of the sample character: hair colour, eye colour, hair shape.

``variant(n)`` is a pure function of ``n``: it draws from Python's
``random.Random(n)`` (whose ``random()`` stream is fixed across Python
versions), so a variant number names the same character everywhere.
Variant 0 is the hand-picked default.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# (name, base RGB, shadow RGB): anime-typical hair colours.
HAIR_COLOURS = [
    ("chestnut", (0.50, 0.30, 0.20), (0.30, 0.16, 0.12)),
    ("black", (0.20, 0.20, 0.26), (0.09, 0.09, 0.14)),
    ("blonde", (0.96, 0.84, 0.52), (0.80, 0.58, 0.32)),
    ("pink", (0.98, 0.66, 0.76), (0.82, 0.42, 0.56)),
    ("silver", (0.86, 0.87, 0.92), (0.60, 0.62, 0.74)),
    ("teal", (0.30, 0.72, 0.74), (0.14, 0.46, 0.52)),
    ("red", (0.78, 0.22, 0.22), (0.50, 0.10, 0.14)),
    ("lavender", (0.70, 0.58, 0.88), (0.46, 0.34, 0.66)),
]

# (name, iris RGB): the lower, lit part of the iris; the top is darkened.
EYE_COLOURS = [
    ("blue", (0.25, 0.50, 0.95)),
    ("green", (0.28, 0.70, 0.42)),
    ("amber", (0.90, 0.56, 0.16)),
    ("violet", (0.60, 0.36, 0.90)),
    ("red", (0.86, 0.24, 0.28)),
    ("brown", (0.56, 0.34, 0.20)),
    ("teal", (0.16, 0.66, 0.70)),
]

CLOTH_COLOURS = [
    (0.22, 0.26, 0.46),
    (0.92, 0.92, 0.94),
    (0.52, 0.18, 0.24),
    (0.20, 0.38, 0.30),
    (0.30, 0.30, 0.34),
]


@dataclass(frozen=True)
class Variant:
    index: int
    hair_name: str
    hair: tuple[float, float, float]
    hair_shadow: tuple[float, float, float]
    eye_name: str
    eye: tuple[float, float, float]
    cloth: tuple[float, float, float]
    bangs: int  # number of front locks
    bang_length: float  # how far down the forehead the bangs reach (0 short .. 1 long)
    side_length: float  # side locks: 0 chin .. 1 chest
    back_length: float  # back hair: 0 bob at the nape .. 1 long, to the chest
    ahoge: bool  # one strand standing up from the crown
    jitter: int  # seed of the small per-lock variations

    @property
    def hair_style(self) -> str:
        return (
            "long" if self.back_length > 0.55 else ("medium" if self.back_length > 0.25 else "bob")
        )


def variant(n: int) -> Variant:
    """The variation numbered ``n`` (any non-negative integer)."""
    if n < 0:
        raise ValueError(f"variant must be >= 0, got {n}")
    if n == 0:
        h = HAIR_COLOURS[0]
        e = EYE_COLOURS[0]
        return Variant(0, h[0], h[1], h[2], e[0], e[1], CLOTH_COLOURS[0], 7, 0.6, 0.5, 0.7, True, 0)
    rng = random.Random(n)
    # Colours cycle so that neighbouring variants always differ; the shape is drawn.
    h = HAIR_COLOURS[n % len(HAIR_COLOURS)]
    e = EYE_COLOURS[(3 * n) % len(EYE_COLOURS)]
    cloth = CLOTH_COLOURS[n % len(CLOTH_COLOURS)]
    bangs = 5 + int(rng.random() * 4)
    bang_length = 0.3 + 0.6 * rng.random()
    side_length = rng.random()
    back_length = rng.random()
    ahoge = rng.random() < 0.5
    jitter = int(rng.random() * 1_000_000)
    return Variant(
        n,
        h[0],
        h[1],
        h[2],
        e[0],
        e[1],
        cloth,
        bangs,
        bang_length,
        side_length,
        back_length,
        ahoge,
        jitter,
    )
