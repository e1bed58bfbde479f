"""The renderer's input as plain data: a mesh with MMD materials, and one posed frame of it.

``MeshData`` is what the renderer uploads once per model; ``FrameData`` is what changes per image
(posed positions and normals, UVs after UV morphs, material parameters after material morphs).
``MeshData.from_model`` reads an ``animeceleb`` model; tests build meshes directly.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

__all__ = [
    "MATERIAL_COLUMNS",
    "MATERIAL_ROW",
    "FrameData",
    "MaterialData",
    "MeshData",
    "head_bone_names",
]

# Columns of a material parameter row, as the poser returns them (``evaluate().materials``):
# name -> (first column, width).  Rows are MATERIAL_ROW floats wide.
MATERIAL_COLUMNS: dict[str, tuple[int, int]] = {
    "diffuse": (0, 4),
    "specular": (4, 3),
    "specularity": (7, 1),
    "ambient": (8, 3),
    "edge_color": (11, 4),
    "edge_size": (15, 1),
    "texture_mul": (16, 4),
    "texture_add": (20, 4),
    "sphere_mul": (24, 4),
    "sphere_add": (28, 4),
    "toon_mul": (32, 4),
    "toon_add": (36, 4),
}
MATERIAL_ROW = 40

FLAG_DOUBLE_SIDED = 0x01
FLAG_EDGE = 0x10

# PMX sphere modes; "subtexture" samples the sphere texture at additional UV1's xy instead of
# the view normal (MeshData.uv1).
SPHERE_MODES = {"off": 0, "multiply": 1, "add": 2, "subtexture": 3}


@dataclass
class MaterialData:
    """One MMD material; texture fields index ``MeshData.textures`` (-1: none)."""

    name: str
    index_count: int
    diffuse: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)
    specular: tuple[float, float, float] = (0.0, 0.0, 0.0)
    specularity: float = 0.0
    ambient: tuple[float, float, float] = (0.5, 0.5, 0.5)
    flags: int = 0
    edge_color: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)
    edge_size: float = 1.0
    texture: int = -1
    sphere_texture: int = -1
    sphere_mode: str = "off"
    toon_texture: int = -1
    toon_shared: int = -1

    @property
    def double_sided(self) -> bool:
        return bool(self.flags & FLAG_DOUBLE_SIDED)

    @property
    def has_edge(self) -> bool:
        return bool(self.flags & FLAG_EDGE)


def material_table(materials: Sequence[MaterialData]) -> np.ndarray:
    """The neutral (M, MATERIAL_ROW) parameter rows, in the poser's layout."""
    rows = np.zeros((len(materials), MATERIAL_ROW), dtype=np.float32)
    for i, m in enumerate(materials):
        values = {
            "diffuse": m.diffuse,
            "specular": m.specular,
            "specularity": (m.specularity,),
            "ambient": m.ambient,
            "edge_color": m.edge_color,
            "edge_size": (m.edge_size,),
            "texture_mul": (1.0, 1.0, 1.0, 1.0),
            "sphere_mul": (1.0, 1.0, 1.0, 1.0),
            "toon_mul": (1.0, 1.0, 1.0, 1.0),
        }
        for name, value in values.items():
            start, width = MATERIAL_COLUMNS[name]
            rows[i, start : start + width] = value
    return rows


@dataclass
class FrameData:
    """One posed frame.  ``uvs``/``materials``/``uv1`` None: unchanged from the mesh."""

    positions: np.ndarray
    normals: np.ndarray
    uvs: np.ndarray | None = None
    materials: np.ndarray | None = None
    # |yaw| + |pitch| + |roll| of the head in degrees, which bounds how far 首 turned; None:
    # unknown (the renderer then draws every triangle instead of its culled set)
    head_turn: float | None = None
    uv1: np.ndarray | None = None  # (V,2) additional UV1 after UV1 morphs (subtexture spheres)


@dataclass
class MeshData:
    """A model as the renderer needs it, in MMD coordinates (left-handed, Y up, facing -Z)."""

    positions: np.ndarray  # (V,3) float32, bind pose
    normals: np.ndarray  # (V,3) float32
    uvs: np.ndarray  # (V,2) float32
    faces: np.ndarray  # (F,3) uint32
    materials: list[MaterialData]
    textures: list[str] = field(default_factory=list)
    base_dir: Path = Path(".")
    edge_scales: np.ndarray | None = None  # (V,) float32; None: all 1
    head_weights: np.ndarray | None = None  # (V,) weight on 頭 and its descendants
    neck_position: np.ndarray | None = None  # (3,) position of 首; None: the model can't be framed
    name: str = ""
    has_uv_morphs: bool = False  # frames carry UVs worth uploading
    # (V,2) additional UV1's xy, kept only when a material uses a subtexture sphere (otherwise
    # None: the renderer then binds no such buffer)
    uv1: np.ndarray | None = None
    has_uv1_morphs: bool = False  # frames carry UV1s worth uploading
    # For culling what the camera can never see (renderer.py); None: unknown, nothing is culled.
    turn_weights: np.ndarray | None = None  # (V,) weight on 首 and its descendants
    morph_reach: np.ndarray | None = None  # (V,) sum over vertex morphs of |offset|

    def __post_init__(self) -> None:
        self.positions = np.ascontiguousarray(self.positions, dtype=np.float32).reshape(-1, 3)
        self.normals = np.ascontiguousarray(self.normals, dtype=np.float32).reshape(-1, 3)
        self.uvs = np.ascontiguousarray(self.uvs, dtype=np.float32).reshape(-1, 2)
        self.faces = np.ascontiguousarray(self.faces, dtype=np.uint32).reshape(-1, 3)
        n = len(self.positions)
        if self.edge_scales is None:
            self.edge_scales = np.ones(n, dtype=np.float32)
        self.edge_scales = np.ascontiguousarray(self.edge_scales, dtype=np.float32).reshape(n)
        if self.normals.shape[0] != n or self.uvs.shape[0] != n:
            raise ValueError("positions, normals and uvs must have one row per vertex")
        if self.uv1 is not None:
            self.uv1 = np.ascontiguousarray(self.uv1, dtype=np.float32).reshape(-1, 2)
            if self.uv1.shape[0] != n:
                raise ValueError("uv1 must have one row per vertex")
        if sum(m.index_count for m in self.materials) > self.faces.size:
            raise ValueError("materials cover more indices than the mesh has")
        self.base_dir = Path(self.base_dir)

    @property
    def vertex_count(self) -> int:
        return len(self.positions)

    def material_table(self) -> np.ndarray:
        return material_table(self.materials)

    def bind_frame(self) -> FrameData:
        return FrameData(self.positions, self.normals)

    @classmethod
    def from_model(cls, model: Any) -> MeshData:
        """Read an ``animeceleb`` model (``ac.load_model``)."""
        bones = list(model.bones)
        names = [b.name for b in bones]
        neck = None
        if "首" in names:
            neck = np.asarray(bones[names.index("首")].position, dtype=np.float32)
        parents = [b.parent for b in bones]
        head_weights = turn_weights = None
        head_set = head_bone_names(names, parents)
        if head_set:
            head_weights = _bone_weights(model, head_set, names)
        if neck is not None:
            turn_weights = _bone_weights(model, head_bone_names(names, parents, "首"), names)
        materials = [
            MaterialData(
                name=m.name,
                index_count=int(m.index_count) if hasattr(m, "index_count") else 3 * m.face_count,
                diffuse=tuple(m.diffuse),
                specular=tuple(m.specular),
                specularity=float(m.specularity),
                ambient=tuple(m.ambient),
                flags=int(m.flags),
                edge_color=tuple(m.edge_color),
                edge_size=float(m.edge_size),
                texture=int(m.texture),
                sphere_texture=int(m.sphere_texture),
                sphere_mode=str(m.sphere_mode),
                toon_texture=int(m.toon_texture),
                toon_shared=int(m.toon_shared),
            )
            for m in model.materials
        ]
        path = Path(getattr(model, "path", "") or ".")
        kinds = {m.kind for m in getattr(model, "morphs", ())}
        return cls(
            positions=model.positions,
            normals=model.normals,
            uvs=model.uvs,
            faces=model.faces,
            materials=materials,
            textures=list(model.textures),
            base_dir=path.parent,
            edge_scales=getattr(model, "edge_scales", None),
            head_weights=head_weights,
            neck_position=neck,
            name=str(getattr(model, "name", "")),
            has_uv_morphs="uv" in kinds,
            uv1=_subtexture_uv1(model, materials),
            has_uv1_morphs="uv1" in kinds,
            turn_weights=turn_weights,
            morph_reach=_morph_reach(model),
        )


def head_bone_names(names: Sequence[str], parents: Sequence[int], root: str = "頭") -> list[str]:
    """``root`` (頭) and all its descendants, by name ([] when the model has no such bone)."""
    if root not in names:
        return []
    head = list(names).index(root)
    children: dict[int, list[int]] = {}
    for i, p in enumerate(parents):
        children.setdefault(int(p), []).append(i)
    out, stack, seen = [], [head], set()
    while stack:
        i = stack.pop()
        if i in seen:
            continue
        seen.add(i)
        out.append(names[i])
        stack.extend(children.get(i, []))
    return out


def _subtexture_uv1(model: Any, materials: Sequence[MaterialData]) -> np.ndarray | None:
    """Additional UV1's xy when some material draws its sphere as a subtexture, else None."""
    users = [m.name for m in materials if m.sphere_mode == "subtexture" and m.sphere_texture >= 0]
    if not users:
        return None
    if int(getattr(model, "additional_uv_count", 0)) < 1:
        logger.warning("materials %s use a subtexture sphere but the model has no additional "
                       "UV; drawn without it", ", ".join(users))
        return None
    return np.ascontiguousarray(np.asarray(model.additional_uvs)[0, :, :2], dtype=np.float32)


def _bone_weights(model: Any, bone_set: Iterable[str], names: Sequence[str]) -> np.ndarray:
    bone_set = list(bone_set)
    for method in ("bone_weights", "skin_bone_weights"):
        if hasattr(model, method):
            return np.asarray(getattr(model, method)(bone_set), dtype=np.float32)
    index = np.zeros(len(names) + 1, dtype=bool)
    lookup = {n: i for i, n in enumerate(names)}
    for n in bone_set:
        index[lookup[n]] = True
    bones = np.asarray(model.deform_bones, dtype=np.int64)
    weights = np.asarray(model.deform_weights, dtype=np.float32)
    bones = np.where(bones < 0, len(names), bones)
    return (weights * index[bones]).sum(axis=1).astype(np.float32)


def _morph_reach(model: Any) -> np.ndarray | None:
    """How far vertex morphs can move each vertex (sum of offset lengths), or None."""
    if not hasattr(model, "vertex_morph"):
        return None
    reach = np.zeros(len(model.positions), dtype=np.float32)
    for m in model.morphs:
        if m.kind == "vertex":
            indices, offsets = model.vertex_morph(m.name)
            np.add.at(reach, np.asarray(indices, dtype=np.int64),
                      np.linalg.norm(np.asarray(offsets, dtype=np.float32), axis=1))
    return reach
