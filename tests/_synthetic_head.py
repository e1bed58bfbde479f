"""A small procedural MMD-like model for renderer tests: a head with eyes, a mouth and a neck.

It has the attributes of an ``animeceleb`` model that the renderer reads (positions, faces,
materials, bones, morphs, a poser with set_morph/set_bone_rotation/evaluate), so the renderer's
whole path runs without the native module.  MMD conventions: left-handed, Y up, facing -Z,
front faces clockwise on screen; the character's right eye is at -X.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from PIL import Image

from animeceleb.render.mesh import MATERIAL_COLUMNS, MaterialData, material_table

NECK = np.array([0.0, 9.0, 0.0], dtype=np.float32)
HEAD_CENTER = np.array([0.0, 10.0, 0.0], dtype=np.float32)


def _sphere(center, radii, rings=16, segments=24):
    """Vertices, normals, uvs, faces of an ellipsoid, faces wound clockwise seen from outside."""
    cx, cy, cz = center
    rx, ry, rz = radii
    pos, nrm, uv = [], [], []
    for i in range(rings + 1):
        theta = np.pi * i / rings  # 0 top .. pi bottom
        for j in range(segments + 1):
            phi = 2 * np.pi * j / segments
            n = np.array([np.sin(theta) * np.sin(phi), np.cos(theta), -np.sin(theta) * np.cos(phi)])
            pos.append([cx + rx * n[0], cy + ry * n[1], cz + rz * n[2]])
            g = n / np.array([rx, ry, rz])
            nrm.append(g / np.linalg.norm(g))
            uv.append([j / segments, i / rings])
    faces = []
    w = segments + 1
    for i in range(rings):
        for j in range(segments):
            a, b, c, d = i * w + j, i * w + j + 1, (i + 1) * w + j, (i + 1) * w + j + 1
            faces += [[a, b, c], [b, d, c]]
    pos, nrm = np.array(pos, np.float32), np.array(nrm, np.float32)
    faces = np.array(faces, np.int64)
    faces = _orient(pos, faces, pos - np.array(center, np.float32))
    return pos, nrm, np.array(uv, np.float32), faces


def _orient(pos, faces, outward):
    """Make every triangle clockwise on screen when seen from outside (MMD's front faces)."""
    a, b, c = pos[faces[:, 0]], pos[faces[:, 1]], pos[faces[:, 2]]
    cross = np.cross(b - a, c - a)
    out = outward[faces].mean(axis=1)
    flip = (cross * out).sum(axis=1) < 0
    faces = faces.copy()
    faces[flip] = faces[flip][:, [0, 2, 1]]
    return faces


def _rot(yaw, pitch, roll):
    """R = Ry(yaw) Rx(pitch) Rz(roll), DESIGN.md's signs (degrees)."""
    y, p, r = np.radians([yaw, pitch, roll])
    ry = np.array([[np.cos(y), 0, -np.sin(y)], [0, 1, 0], [np.sin(y), 0, np.cos(y)]])
    rx = np.array([[1, 0, 0], [0, np.cos(p), -np.sin(p)], [0, np.sin(p), np.cos(p)]])
    rz = np.array([[np.cos(r), np.sin(r), 0], [-np.sin(r), np.cos(r), 0], [0, 0, 1]])
    return ry @ rx @ rz


@dataclass
class SyntheticModel:
    path: str
    positions: np.ndarray
    normals: np.ndarray
    uvs: np.ndarray
    faces: np.ndarray
    edge_scales: np.ndarray
    textures: list[str]
    materials: list
    bones: list
    morphs: list
    head_mask: np.ndarray  # vertices weighted to 頭
    neck_mask: np.ndarray  # vertices turned by 首 (head and upper neck)
    vertex_morphs: dict = field(default_factory=dict)  # name -> (V,3) offsets
    material_morphs: dict = field(default_factory=dict)  # name -> {material: {column: value}}
    name: str = "synthetic head"

    def bone_weights(self, names):
        if "首" in names:
            return self.neck_mask.astype(np.float32)
        return (self.head_mask if "頭" in names else np.zeros(len(self.positions))).astype(
            np.float32
        )

    def vertex_morph(self, name):
        offsets = self.vertex_morphs[name]
        indices = np.flatnonzero(np.abs(offsets).sum(axis=1) > 0)
        return indices.astype(np.uint32), offsets[indices].astype(np.float32)

    def poser(self):
        return SyntheticPoser(self)


class SyntheticPoser:
    def __init__(self, model: SyntheticModel):
        self.model = model
        self.reset()

    def reset(self):
        self.weights: dict[str, float] = {}
        self.angles = (0.0, 0.0, 0.0)

    def set_morph(self, name, weight):
        if name not in {m.name for m in self.model.morphs}:
            raise KeyError(name)
        self.weights[name] = float(weight)

    def set_bone_rotation(self, name, yaw, pitch, roll):
        assert name == "首"
        self.angles = (yaw, pitch, roll)

    def evaluate(self):
        m = self.model
        pos = m.positions.astype(np.float64).copy()
        nrm = m.normals.astype(np.float64).copy()
        rows = material_table(m.materials)
        for name, w in self.weights.items():
            if name in m.vertex_morphs:
                pos += w * m.vertex_morphs[name]
            for mat, cols in m.material_morphs.get(name, {}).items():
                for col, value in cols.items():
                    start, width = MATERIAL_COLUMNS[col]
                    base = rows[mat, start : start + width]
                    rows[mat, start : start + width] = base + w * (np.asarray(value) - base)
        r = _rot(*self.angles)
        sel = m.neck_mask
        pos[sel] = (pos[sel] - NECK) @ r.T + NECK
        nrm[sel] = nrm[sel] @ r.T
        return SimpleNamespace(
            positions=pos.astype(np.float32), normals=nrm.astype(np.float32),
            uvs=m.uvs.copy(), materials=rows,
        )


def _checker(path: Path, colours, size=64, cells=8):
    y, x = np.mgrid[0:size, 0:size] // (size // cells)
    img = np.where(((x + y) % 2 == 0)[..., None], colours[0], colours[1]).astype(np.uint8)
    Image.fromarray(img).save(path)


def make_model(directory: Path, *, missing_texture: bool = False) -> SyntheticModel:
    """Build the model; its textures are written into ``directory`` (Windows-style names)."""
    directory = Path(directory)
    (directory / "Tex").mkdir(parents=True, exist_ok=True)
    _checker(directory / "Tex" / "Skin.PNG", [(250, 215, 200), (235, 195, 180)])
    Image.fromarray(
        np.tile(np.linspace(255, 120, 32, dtype=np.uint8)[None, :, None], (32, 1, 3))
    ).save(directory / "Tex" / "sphere.BMP", format="BMP")
    (directory / "Tex" / "sphere.BMP").rename(directory / "Tex" / "shine.spa")
    skin_tex = "tex\\missing_skin.png" if missing_texture else "tex\\skin.png"
    textures = [skin_tex, "TEX\\SHINE.SPA"]

    parts = []  # (name, arrays, material kwargs, head?, turns?)
    parts.append(("body", _sphere((0, 6.3, 0.1), (1.6, 2.0, 0.9)), dict(
        diffuse=(0.3, 0.4, 0.8, 1.0), ambient=(0.15, 0.2, 0.4), flags=0x10, toon_shared=2,
        edge_size=1.0), False))
    parts.append(("feet", _sphere((0, 0.5, 0), (1.0, 0.5, 1.0)), dict(
        diffuse=(0.2, 0.2, 0.2, 1.0), ambient=(0.1, 0.1, 0.1)), False))
    parts.append(("neck", _sphere((0, 8.7, 0), (0.38, 0.7, 0.38)), dict(
        diffuse=(0.95, 0.8, 0.75, 1.0), ambient=(0.5, 0.4, 0.38), flags=0x10, toon_shared=1,
        edge_size=1.0), False))
    parts.append(("skin", _sphere(HEAD_CENTER, (1.0, 1.1, 0.95)), dict(
        diffuse=(1.0, 1.0, 1.0, 1.0), ambient=(0.55, 0.5, 0.5), flags=0x10, texture=0,
        sphere_texture=1, sphere_mode="multiply", toon_shared=1, specular=(0.2, 0.2, 0.2),
        specularity=20.0, edge_size=1.0, edge_color=(0.25, 0.1, 0.1, 1.0)), True))
    parts.append(("eye_r", _sphere((-0.38, 10.2, -0.86), (0.18, 0.24, 0.1)), dict(
        diffuse=(0.1, 0.3, 0.9, 1.0), ambient=(0.05, 0.15, 0.45), toon_shared=0), True))
    parts.append(("eye_l", _sphere((0.38, 10.2, -0.86), (0.18, 0.24, 0.1)), dict(
        diffuse=(0.9, 0.6, 0.1, 1.0), ambient=(0.45, 0.3, 0.05), toon_shared=0), True))
    parts.append(("mouth", _sphere((0.0, 9.45, -0.9), (0.25, 0.06, 0.08)), dict(
        diffuse=(0.6, 0.1, 0.15, 1.0), ambient=(0.3, 0.05, 0.08)), True))
    parts.append(("blush", _sphere((0.0, 9.8, -0.93), (0.55, 0.1, 0.08)), dict(
        diffuse=(1.0, 0.3, 0.4, 0.0), ambient=(0.5, 0.15, 0.2), flags=0x01), True))

    pos, nrm, uv, faces, head, materials, edge = [], [], [], [], [], [], []
    offset = 0
    ranges = {}
    for name, (p, n, t, f), kwargs, is_head in parts:
        pos.append(p)
        nrm.append(n)
        uv.append(t)
        faces.append(f + offset)
        head.append(np.full(len(p), is_head))
        edge.append(np.ones(len(p), np.float32))
        ranges[name] = (offset, offset + len(p))
        offset += len(p)
        materials.append(MaterialData(name=name, index_count=f.size, **kwargs))
    pos, nrm, uv = np.concatenate(pos), np.concatenate(nrm), np.concatenate(uv)
    head_mask = np.concatenate(head)
    # The neck's upper half turns with 首 too.
    index = np.arange(len(pos))
    in_neck = (index >= ranges["neck"][0]) & (index < ranges["neck"][1])
    neck_mask = head_mask | in_neck & (pos[:, 1] > 8.8)

    def offsets(name, fn):
        d = np.zeros_like(pos)
        lo, hi = ranges[name]
        d[lo:hi] = fn(pos[lo:hi])
        return d

    eye_y = 10.2
    close_r = offsets("eye_r", lambda p: np.stack([0 * p[:, 0], (eye_y - p[:, 1]) * 0.9,
                                                   0 * p[:, 0]], 1))
    close_l = offsets("eye_l", lambda p: np.stack([0 * p[:, 0], (eye_y - p[:, 1]) * 0.9,
                                                   0 * p[:, 0]], 1))
    mouth_open = offsets("mouth", lambda p: np.stack(
        [0 * p[:, 0], np.where(p[:, 1] < 9.45, -0.25, 0.02) * np.ones(len(p)), 0 * p[:, 0]], 1))
    vertex_morphs = {
        "まばたき": close_r + close_l,
        "ｳｨﾝｸ２右": close_r,  # half-width, as in Gene: matched to ウィンク２右 width-folded
        "ウィンク２": close_l,
        "あ": mouth_open,
    }
    blush = [m.name for m in materials].index("blush")
    material_morphs = {"照れ": {blush: {"diffuse": (1.0, 0.3, 0.4, 0.8)}}}
    morphs = [SimpleNamespace(name=k, kind="vertex", panel=1) for k in vertex_morphs]
    morphs.append(SimpleNamespace(name="照れ", kind="material", panel=4))
    bones = [
        SimpleNamespace(name="全ての親", parent=-1, position=np.zeros(3, np.float32)),
        SimpleNamespace(name="首", parent=0, position=NECK.copy()),
        SimpleNamespace(name="頭", parent=1, position=np.array([0, 9.4, 0], np.float32)),
    ]
    return SyntheticModel(
        path=str(directory / "synthetic.pmx"),
        positions=pos, normals=nrm, uvs=uv, faces=np.concatenate(faces).astype(np.uint32),
        edge_scales=np.concatenate(edge), textures=textures, materials=materials, bones=bones,
        morphs=morphs, head_mask=head_mask, neck_mask=neck_mask, vertex_morphs=vertex_morphs,
        material_morphs=material_morphs,
    )
