"""Assembling the parts into a model dict in the serde layout of ``pmx_core::model::Model``.

Vertices are laid out material by material (and part by part inside a
material), so faces come out grouped by material in material order as PMX
requires, and each material's vertices are one contiguous range.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import body, brows, eyes, hair, head, mouth, skeleton, textures
from .mesh import Part
from .morphs import MORPHS
from .variants import Variant, variant

# Texture files, relative to the PMX file.
TEXTURES = [
    "tex/skin.png",
    "tex/eye.png",
    "tex/hair.png",
    "tex/mouth.png",
    "tex/cloth.png",
    "tex/toon.png",
    "tex/hair_s.png",
    "tex/skin_s.png",
]
T_SKIN, T_EYE, T_HAIR, T_MOUTH, T_CLOTH, T_TOON, T_HAIR_SPHERE, T_SKIN_SPHERE = range(8)

# Sphere maps and highlights as typical MMD models set them: an additive
# "angel ring" on the hair, a multiplied warm rim on the skin.
SPHERES = {"髪": (T_HAIR_SPHERE, "add"), "肌": (T_SKIN_SPHERE, "multiply")}
SPECULAR = {"髪": ([0.12, 0.12, 0.12], 24.0), "白目": ([0.3, 0.3, 0.3], 40.0)}

# material flag bits (pmx_core::model::material_flags)
DOUBLE_SIDED = 0x01
GROUND_SHADOW = 0x02
CAST_SHADOW = 0x04
RECEIVE_SHADOW = 0x08
EDGE = 0x10
SHADOWS = GROUND_SHADOW | CAST_SHADOW | RECEIVE_SHADOW


def _f32(x) -> list:
    return np.asarray(x, dtype=np.float32).tolist()


def materials(v: Variant) -> list[dict]:
    """Material table (draw order). Skin, hair and clothes get an outline; face decals do not."""
    lash = (0.16, 0.10, 0.12)
    brow = tuple(float(c) * 0.75 for c in v.hair_shadow)
    rows = [
        # name, name_en, texture, diffuse rgb, flags, edge size
        ("肌", "skin", T_SKIN, (1.0, 1.0, 1.0), SHADOWS | EDGE, 0.6),
        ("服", "clothes", T_CLOTH, (1.0, 1.0, 1.0), SHADOWS | EDGE, 0.8),
        ("白目", "eye", T_EYE, (1.0, 1.0, 1.0), 0, 0.0),
        ("まぶた", "eyelids", T_SKIN, (1.0, 1.0, 1.0), 0, 0.0),
        ("口", "mouth", T_MOUTH, (1.0, 1.0, 1.0), 0, 0.0),
        ("まつげ", "lashes", -1, lash, 0, 0.0),
        ("口線", "mouth line", -1, (0.45, 0.18, 0.20), 0, 0.0),
        ("眉", "brows", -1, brow, 0, 0.0),
        ("髪", "hair", T_HAIR, (1.0, 1.0, 1.0), SHADOWS | EDGE | DOUBLE_SIDED, 0.7),
    ]
    out = []
    for name, name_en, tex, rgb, flags, edge in rows:
        edge_rgb = [0.25 * c for c in (v.hair_shadow if name == "髪" else (0.55, 0.3, 0.3))]
        sphere, sphere_mode = SPHERES.get(name, (-1, "off"))
        specular, specularity = SPECULAR.get(name, ([0.0, 0.0, 0.0], 5.0))
        out.append(
            {
                "name": name,
                "name_en": name_en,
                "diffuse": _f32([*rgb, 1.0]),
                "specular": _f32(specular),
                "specularity": specularity,
                "ambient": _f32([0.6 * c for c in rgb]),
                "flags": flags,
                "edge_color": _f32([*edge_rgb, 1.0]),
                "edge_size": float(edge) if flags & EDGE else 1.0,
                "texture": tex,
                "sphere_texture": sphere,
                "sphere_mode": sphere_mode,
                "toon": {"texture": T_TOON},
                "memo": "",
                "index_count": 0,
            }
        )
    return out


def texture_images(v: Variant) -> dict[str, np.ndarray]:
    """The generated texture images, by path relative to the PMX file."""
    return {
        TEXTURES[T_SKIN]: textures.skin(),
        TEXTURES[T_EYE]: textures.eye(v.eye),
        TEXTURES[T_HAIR]: textures.hair(v.hair, v.hair_shadow),
        TEXTURES[T_MOUTH]: textures.mouth(),
        TEXTURES[T_CLOTH]: textures.cloth(v.cloth),
        TEXTURES[T_TOON]: textures.toon(),
        TEXTURES[T_HAIR_SPHERE]: textures.hair_sphere(),
        TEXTURES[T_SKIN_SPHERE]: textures.skin_sphere(),
    }


def parts(v: Variant) -> list[Part]:
    return [
        head.build_head(),
        body.build_neck(),
        body.build_torso(),
        *eyes.build_eyes(),
        *brows.build_brows(),
        *mouth.build_mouth(),
        *hair.build_hair(v),
    ]


@dataclass
class Built:
    """A built sample: the model dict, its textures, and where each part's vertices went."""

    variant: Variant
    model: dict
    textures: dict[str, np.ndarray]
    # part name -> vertex indices; plus "region:<r>" and "region:<r>:<side>" unions
    vertex_sets: dict[str, np.ndarray] = field(default_factory=dict)


def build(n: int = 0) -> Built:
    v = variant(n)
    mats = materials(v)
    mat_order = {m["name"]: i for i, m in enumerate(mats)}
    ps = parts(v)
    ps.sort(key=lambda p: mat_order[p.material])  # stable: part order kept within a material
    bone_index = skeleton.bone_index()

    positions, normals, uvs, deforms, faces = [], [], [], [], []
    vertex_sets: dict[str, np.ndarray] = {}
    base = 0
    for p in ps:
        n_v = len(p.positions)
        idx = np.arange(base, base + n_v)
        vertex_sets[p.name] = idx
        for key in (f"region:{p.region}", f"region:{p.region}:{p.side}"):
            vertex_sets[key] = np.concatenate([vertex_sets.get(key, np.zeros(0, np.int64)), idx])
        positions.append(p.positions)
        normals.append(p.normals)
        uvs.append(p.uvs)
        deforms.extend(_deforms(p, bone_index))
        faces.append(p.faces + base)
        mats[mat_order[p.material]]["index_count"] += 3 * len(p.faces)
        base += n_v

    pos = np.vstack(positions)
    morphs = []
    for name, name_en, panel, region, shape, sides in MORPHS:
        off = np.zeros_like(pos)
        for p in ps:
            if p.region == region and p.side in sides and shape in p.morphs:
                off[vertex_sets[p.name]] = p.morphs[shape]
        off32 = off.astype(np.float32)
        moved = np.nonzero(np.any(off32 != 0, axis=1))[0]
        morphs.append(
            {
                "name": name,
                "name_en": name_en,
                "panel": panel,
                "kind": "vertex",
                "offsets": {
                    "type": "vertex",
                    "items": [{"vertex": int(i), "offset": off32[i].tolist()} for i in moved],
                },
            }
        )

    bones = skeleton.bones()
    model = {
        "header": {
            "format": "pmx",
            "version": 2.0,
            # "encoding" is left to its default, UTF-16 (serde spells it "utf16")
            "additional_uv_count": 0,
            "index_sizes": {
                "vertex": 4,
                "texture": 2,
                "material": 2,
                "bone": 2,
                "morph": 2,
                "rigid_body": 2,
            },
        },
        "name": f"サンプル{v.index}",
        "name_en": f"animeceleb sample {v.index}",
        "comment": "animeceleb の手続き生成サンプルキャラクター",
        "comment_en": (
            f"Procedurally generated animeceleb sample character, variant {v.index}: "
            f"{v.hair_name} {v.hair_style} hair, {v.eye_name} eyes."
        ),
        "vertices": {
            "positions": _f32(pos),
            "normals": _f32(np.vstack(normals)),
            "uvs": _f32(np.vstack(uvs)),
            "additional_uvs": [],
            "deforms": deforms,
            "edge_scales": [1.0] * len(pos),
        },
        "faces": np.vstack(faces).astype(np.int64).tolist(),
        "textures": list(TEXTURES),
        "materials": mats,
        "bones": bones,
        "morphs": morphs,
        "display_frames": [
            {
                "name": "Root",
                "name_en": "Root",
                "special": True,
                "items": [{"bone": bone_index["全ての親"]}],
            },
            {
                "name": "表情",
                "name_en": "Exp",
                "special": True,
                "items": [{"morph": i} for i in range(len(morphs))],
            },
            {
                "name": "体",
                "name_en": "Body",
                "special": False,
                "items": [{"bone": i} for i in range(1, len(bones))],
            },
        ],
        "rigid_bodies": [],
        "joints": [],
        "soft_bodies": [],
    }
    return Built(v, model, texture_images(v), vertex_sets)


def _per_vertex(bone: str | np.ndarray, n: int, bone_index: dict[str, int]) -> list[int]:
    if isinstance(bone, str):
        return [bone_index[bone]] * n
    return [bone_index[str(name)] for name in bone]


def _deforms(p: Part, bone_index: dict[str, int]) -> list[dict]:
    n = len(p.positions)
    bones_a = _per_vertex(p.bone_a, n, bone_index)
    if p.bone_b is None or p.weight_a is None:
        return [{"type": "bdef1", "bone": a} for a in bones_a]
    bones_b = _per_vertex(p.bone_b, n, bone_index)
    w = np.asarray(p.weight_a, dtype=np.float32)
    out = []
    for a, b, wi in zip(bones_a, bones_b, w.tolist(), strict=True):
        if wi >= 1.0:
            out.append({"type": "bdef1", "bone": a})
        elif wi <= 0.0:
            out.append({"type": "bdef1", "bone": b})
        else:
            out.append({"type": "bdef2", "bones": [a, b], "weight": wi})
    return out
