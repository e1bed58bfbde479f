"""Facial morphs of the sample character, under the names real models use.

Each morph is one shape of one feature (see ``eyes.py``, ``brows.py``,
``mouth.py``) applied to a set of sides. A one-sided morph is built from the
very same per-side offsets as its both-sides morph, so it equals the both
morph restricted to that side's vertices exactly (annotation checks this
geometrically).

Which wink is which (chosen like the shared model Gene; DESIGN.md):

- ウィンク / ウィンク右: the *smiling* wink, 笑い's shape on the left / right eye;
- ウィンク２ / ｳｨﾝｸ２右: the *plain* wink, まばたき's shape on the left / right eye.

Unsuffixed ウィンク and ウィンク２ act on the left eye (+X), as in MMD's
standard models; 右 is the character's right (-X, the image's left from the
front). ｳｨﾝｸ２右 keeps the standard half-width kana spelling.

One-sided eyebrow and wide-eye morphs take the suffix style common in real
models and their conversion tools: 上右/上左, 下右/下左, 困る右/困る左,
びっくり右/びっくり左.

Panels: 1 eyebrow, 2 eye, 3 mouth. All are vertex morphs.
"""

from __future__ import annotations

BOTH = (-1, 1)
RIGHT = (-1,)
LEFT = (1,)
CENTRE = (0,)

# (name, name_en, panel, region, shape, sides)
MORPHS = [
    ("まばたき", "blink", 2, "eyes", "close", BOTH),
    ("笑い", "smile", 2, "eyes", "smile", BOTH),
    ("ウィンク", "wink", 2, "eyes", "smile", LEFT),
    ("ウィンク右", "wink_R", 2, "eyes", "smile", RIGHT),
    ("ウィンク２", "wink2", 2, "eyes", "close", LEFT),
    ("ｳｨﾝｸ２右", "wink2_R", 2, "eyes", "close", RIGHT),
    ("びっくり", "surprised", 2, "eyes", "wide", BOTH),
    ("びっくり右", "surprised_R", 2, "eyes", "wide", RIGHT),
    ("びっくり左", "surprised_L", 2, "eyes", "wide", LEFT),
    ("上", "brow_up", 1, "brows", "up", BOTH),
    ("上右", "brow_up_R", 1, "brows", "up", RIGHT),
    ("上左", "brow_up_L", 1, "brows", "up", LEFT),
    ("下", "brow_down", 1, "brows", "down", BOTH),
    ("下右", "brow_down_R", 1, "brows", "down", RIGHT),
    ("下左", "brow_down_L", 1, "brows", "down", LEFT),
    ("困る", "brow_troubled", 1, "brows", "troubled", BOTH),
    ("困る右", "brow_troubled_R", 1, "brows", "troubled", RIGHT),
    ("困る左", "brow_troubled_L", 1, "brows", "troubled", LEFT),
    ("あ", "a", 3, "mouth", "a", CENTRE),
    ("い", "i", 3, "mouth", "i", CENTRE),
    ("う", "u", 3, "mouth", "u", CENTRE),
    ("え", "e", 3, "mouth", "e", CENTRE),
    ("お", "o", 3, "mouth", "o", CENTRE),
]

MORPH_NAMES = tuple(m[0] for m in MORPHS)
