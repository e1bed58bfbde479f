"""The sample character's bones, in the names and layout real MMD models use.

全ての親 (root) → センター → 上半身 → 首 → 頭 → 両目, 右目, 左目. 右目 and 左目
inherit 両目's rotation (append rotate, ratio 1), as in standard models, so
turning 両目 turns both eyes. 首 sits at the base of the neck and 頭 at its top,
under the jaw; the neck skin blends between them (see ``body.py``).
"""

from __future__ import annotations

import numpy as np

from .eyes import eye_bone_position

# bone flag bits (pmx_core::model::bone_flags)
TAIL_IS_BONE = 0x0001
ROTATABLE = 0x0002
TRANSLATABLE = 0x0004
VISIBLE = 0x0008
ENABLED = 0x0010
APPEND_ROTATE = 0x0100

NECK_Y = 15.05  # 首
HEAD_Y = 16.15  # 頭
BODY_Z = 0.15  # the neck and torso axis sits a little behind the head centre


# (name, name_en, position, parent name, flags, tail (bone name or offset), append (parent, ratio))
def bone_table() -> list[tuple]:
    eye_r = eye_bone_position(-1)
    eye_l = eye_bone_position(1)
    base = ROTATABLE | VISIBLE | ENABLED
    return [
        ("全ての親", "master", (0.0, 0.0, 0.0), None, base | TRANSLATABLE, (0.0, 1.5, 0.0), None),
        (
            "センター",
            "center",
            (0.0, 8.0, 0.0),
            "全ての親",
            base | TRANSLATABLE,
            (0.0, -1.0, 0.0),
            None,
        ),
        ("上半身", "upper body", (0.0, 12.3, BODY_Z), "センター", base, "首", None),
        ("首", "neck", (0.0, NECK_Y, BODY_Z), "上半身", base, "頭", None),
        ("頭", "head", (0.0, HEAD_Y, BODY_Z), "首", base, (0.0, 2.2, 0.0), None),
        ("両目", "eyes", (0.0, 19.6, -1.6), "頭", base, (0.0, 0.0, -0.8), None),
        (
            "右目",
            "eye_R",
            tuple(eye_r),
            "頭",
            base | APPEND_ROTATE,
            (0.0, 0.0, -0.6),
            ("両目", 1.0),
        ),
        (
            "左目",
            "eye_L",
            tuple(eye_l),
            "頭",
            base | APPEND_ROTATE,
            (0.0, 0.0, -0.6),
            ("両目", 1.0),
        ),
    ]


def bones() -> list[dict]:
    """Bones in the serde layout of ``pmx_core::model::Bone``."""
    table = bone_table()
    index = {row[0]: i for i, row in enumerate(table)}
    out = []
    for name, name_en, pos, parent, flags, tail, append in table:
        if isinstance(tail, str):
            flags |= TAIL_IS_BONE
            tail_json: dict[str, int | list[float]] = {"bone": index[tail]}
        else:
            tail_json = {"offset": [float(np.float32(t)) for t in tail]}
        out.append(
            {
                "name": name,
                "name_en": name_en,
                "position": [float(np.float32(c)) for c in pos],
                "parent": -1 if parent is None else index[parent],
                "layer": 0,
                "flags": flags,
                "tail": tail_json,
                "append": None
                if append is None
                else {"parent": index[append[0]], "ratio": append[1]},
                "fixed_axis": None,
                "local_axes": None,
                "external_parent": None,
                "ik": None,
            }
        )
    return out


def bone_index() -> dict[str, int]:
    return {row[0]: i for i, row in enumerate(bone_table())}
