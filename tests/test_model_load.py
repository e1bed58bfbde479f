"""Loading the shared real models: every fact in reference.json holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import animeceleb as ac

DEFORMS = ("BDEF1", "BDEF2", "BDEF4", "SDEF", "QDEF")


@pytest.fixture
def loaded(shared_model: tuple[Path, dict[str, Any]]) -> tuple[ac.Model, dict[str, Any]]:
    path, facts = shared_model
    return ac.load_model(path), facts


def test_header_and_counts(loaded: tuple[ac.Model, dict[str, Any]]) -> None:
    m, f = loaded
    assert m.format == "pmx"
    assert m.format_version == float(f["format_version"])
    assert m.encoding == f["encoding"]
    assert m.additional_uv_count == f["additional_uv_count"]
    assert m.name == f["name"]
    assert m.vertex_count == f["vertices"] == len(m.positions)
    assert m.face_count == f["faces"] == len(m.faces)
    assert len(m.materials) == f["materials"]
    assert len(m.bones) == f["bones"]
    assert len(m.morphs) == f["morphs"]
    assert len(m.rigid_bodies) == f["rigid_bodies"]
    assert len(m.joints) == f["joints"]
    assert len(m.display_frames) == f["display_frames"]
    assert m.textures == f["textures"]


def test_arrays(loaded: tuple[ac.Model, dict[str, Any]]) -> None:
    m, f = loaded
    v = f["vertices"]
    assert m.positions.shape == (v, 3) and m.positions.dtype == np.float32
    assert m.normals.shape == (v, 3) and m.normals.dtype == np.float32
    assert m.uvs.shape == (v, 2) and m.uvs.dtype == np.float32
    assert m.faces.shape == (f["faces"], 3) and m.faces.dtype == np.uint32
    assert m.deform_kinds.shape == (v,) and m.deform_kinds.dtype == np.uint8
    k = len(f["first_positions"])
    np.testing.assert_allclose(m.positions[:k], f["first_positions"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(m.normals[:k], f["first_normals"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(m.uvs[: len(f["first_uvs"])], f["first_uvs"], rtol=0, atol=1e-6)
    np.testing.assert_array_equal(m.faces[: len(f["first_faces"])], f["first_faces"])
    assert int(m.faces.max()) < v


def test_arrays_are_read_only_and_cached(loaded: tuple[ac.Model, dict[str, Any]]) -> None:
    m, _ = loaded
    assert m.positions is m.positions
    with pytest.raises(ValueError):
        m.positions[0, 0] = 1.0


def test_deform_counts(loaded: tuple[ac.Model, dict[str, Any]]) -> None:
    m, f = loaded
    counts = np.bincount(m.deform_kinds, minlength=5)
    assert {name: int(counts[i]) for i, name in enumerate(DEFORMS)} == f["deform_counts"]
    weights = m.deform_weights
    np.testing.assert_allclose(weights.sum(axis=1)[m.deform_kinds < 2], 1.0, atol=1e-6)


def test_materials(loaded: tuple[ac.Model, dict[str, Any]]) -> None:
    m, f = loaded
    assert [x.name for x in m.materials] == f["material_names"]
    assert [x.face_count for x in m.materials] == f["material_face_counts"]
    assert [x.texture for x in m.materials] == f["material_textures"]
    assert sum(x.index_count for x in m.materials) == 3 * m.face_count


def test_bones(loaded: tuple[ac.Model, dict[str, Any]]) -> None:
    m, f = loaded
    assert [b.name for b in m.bones] == f["bone_names"]
    assert [b.parent for b in m.bones] == f["bone_parents"]
    neck = m.bone_index("首")
    assert neck is not None
    np.testing.assert_allclose(m.bones[neck].position, f["neck_position"], atol=1e-6)


def test_morphs(loaded: tuple[ac.Model, dict[str, Any]]) -> None:
    m, f = loaded
    assert [x.name for x in m.morphs] == f["morph_names"]
    assert [x.kind for x in m.morphs] == f["morph_kinds"]
    assert [x.panel for x in m.morphs] == f["morph_panels"]
    assert [x.offset_count for x in m.morphs] == f["morph_element_counts"]
    blink = m.morph_index("まばたき")
    assert blink is not None
    idx, off = m.vertex_morph(blink)
    assert idx.dtype == np.uint32 and off.shape == (len(idx), 3)
    assert len(idx) == f["morph_element_counts"][blink]


def test_writer_round_trip_is_byte_identical(shared_model: tuple[Path, dict[str, Any]]) -> None:
    path, _ = shared_model
    data = path.read_bytes()
    m = ac.parse_bytes(data)
    assert m.to_pmx_bytes() == data


def test_json_round_trip(loaded: tuple[ac.Model, dict[str, Any]]) -> None:
    m, _ = loaded
    again = ac.model_from_json(m.to_json())
    assert again.to_pmx_bytes() == m.to_pmx_bytes()
