"""Stub of the native module built from crates/pmx_core (feature "python")."""

import os
from typing import Literal

import numpy as np
import numpy.typing as npt

__version__: str

_Key = str | int
_V3 = tuple[float, float, float]
_V4 = tuple[float, float, float, float]

class PmxError(ValueError):
    kind: str
    section: str
    item: int | None
    offset: int

class Material:
    name: str
    name_en: str
    diffuse: _V4
    specular: _V3
    specularity: float
    ambient: _V3
    flags: int
    double_sided: bool
    draws_edge: bool
    edge_color: _V4
    edge_size: float
    texture: int
    sphere_texture: int
    sphere_mode: Literal["off", "multiply", "add", "subtexture"]
    toon_texture: int
    toon_shared: int
    memo: str
    index_count: int
    face_count: int

class IkLink:
    bone: int
    limits: tuple[_V3, _V3] | None

class Bone:
    index: int
    name: str
    name_en: str
    position: _V3
    parent: int
    layer: int
    flags: int
    tail_bone: int
    tail_offset: _V3 | None
    append_parent: int
    append_ratio: float
    append_rotate: bool
    append_translate: bool
    append_local: bool
    after_physics: bool
    fixed_axis: _V3 | None
    local_axes: tuple[_V3, _V3] | None
    external_parent: int | None
    is_ik: bool
    ik_target: int
    ik_loop_count: int
    ik_limit_angle: float
    ik_links: list[IkLink]

class Morph:
    index: int
    name: str
    name_en: str
    panel: int
    kind: Literal[
        "group", "vertex", "bone", "uv", "uv1", "uv2", "uv3", "uv4", "material", "flip", "impulse"
    ]
    offset_count: int

class RigidBody:
    name: str
    name_en: str
    bone: int
    group: int
    collision_mask: int
    shape: int
    size: _V3
    position: _V3
    rotation: _V3
    mass: float
    linear_damping: float
    angular_damping: float
    restitution: float
    friction: float
    physics_mode: int

class Joint:
    name: str
    name_en: str
    kind: int
    rigid_a: int
    rigid_b: int
    position: _V3
    rotation: _V3
    position_min: _V3
    position_max: _V3
    rotation_min: _V3
    rotation_max: _V3
    spring_position: _V3
    spring_rotation: _V3

class SoftBody:
    name: str
    name_en: str
    shape: int
    material: int
    group: int
    collision_mask: int
    flags: int
    total_mass: float
    anchor_count: int
    pin_count: int

class DisplayFrame:
    name: str
    name_en: str
    special: bool
    items: list[tuple[str, int]]

class Posed:
    positions: npt.NDArray[np.float32]
    normals: npt.NDArray[np.float32]
    uvs: npt.NDArray[np.float32]
    additional_uvs: npt.NDArray[np.float32]
    materials: npt.NDArray[np.float32]
    bone_matrices: npt.NDArray[np.float32]
    skin_matrices: npt.NDArray[np.float32]

class Poser:
    @property
    def model(self) -> Model: ...
    def set_morph(self, morph: _Key, weight: float) -> None: ...
    def set_bone_rotation(self, bone: _Key, yaw: float, pitch: float, roll: float) -> None: ...
    def set_bone_quaternion(self, bone: _Key, quaternion: _V4) -> None: ...
    def set_bone_translation(self, bone: _Key, translation: tuple[float, float, float]) -> None: ...
    def reset(self) -> None: ...
    def evaluate(self) -> Posed: ...
    def evaluate_batch(
        self,
        morph_weights: npt.NDArray[np.float32],
        bones: list[_Key] = ...,
        rotations: npt.NDArray[np.float32] | None = None,
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]: ...

class Model:
    @property
    def path(self) -> str | None: ...
    @property
    def format(self) -> Literal["pmx", "pmd"]: ...
    @property
    def format_version(self) -> float: ...
    @property
    def encoding(self) -> Literal["utf-16", "utf-8", "shift-jis"]: ...
    @property
    def name(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def comment(self) -> str: ...
    @property
    def comment_en(self) -> str: ...
    @property
    def additional_uv_count(self) -> int: ...
    @property
    def vertex_count(self) -> int: ...
    @property
    def face_count(self) -> int: ...
    @property
    def positions(self) -> npt.NDArray[np.float32]: ...
    @property
    def normals(self) -> npt.NDArray[np.float32]: ...
    @property
    def uvs(self) -> npt.NDArray[np.float32]: ...
    @property
    def additional_uvs(self) -> npt.NDArray[np.float32]: ...
    @property
    def faces(self) -> npt.NDArray[np.uint32]: ...
    @property
    def deform_kinds(self) -> npt.NDArray[np.uint8]: ...
    @property
    def deform_bones(self) -> npt.NDArray[np.int32]: ...
    @property
    def deform_weights(self) -> npt.NDArray[np.float32]: ...
    @property
    def edge_scales(self) -> npt.NDArray[np.float32]: ...
    @property
    def textures(self) -> list[str]: ...
    @property
    def materials(self) -> list[Material]: ...
    @property
    def bones(self) -> list[Bone]: ...
    @property
    def morphs(self) -> list[Morph]: ...
    @property
    def rigid_bodies(self) -> list[RigidBody]: ...
    @property
    def joints(self) -> list[Joint]: ...
    @property
    def soft_bodies(self) -> list[SoftBody]: ...
    @property
    def display_frames(self) -> list[DisplayFrame]: ...
    def bone_index(self, name: str) -> int | None: ...
    def morph_index(self, name: str) -> int | None: ...
    def vertex_morph(
        self, morph: _Key
    ) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.float32]]: ...
    def uv_morph(self, morph: _Key) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.float32]]: ...
    def group_morph(self, morph: _Key) -> list[tuple[int, float]]: ...
    def bone_weights(self, bones: list[_Key]) -> npt.NDArray[np.float32]: ...
    def poser(self) -> Poser: ...
    def to_json(self) -> str: ...
    def save(self, path: str | os.PathLike[str]) -> None: ...
    def to_pmx_bytes(self) -> bytes: ...

def load_model(path: str | os.PathLike[str]) -> Model: ...
def parse_bytes(data: bytes) -> Model: ...
def model_from_json(text: str) -> Model: ...
def write_model_json(text: str, path: str | os.PathLike[str]) -> None: ...
def head_rotation(yaw: float, pitch: float, roll: float) -> tuple[float, float, float, float]: ...
