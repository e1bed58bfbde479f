"""The Python poser API on a hand-built two-bone model (首 at the origin of
the head, 頭 above it): morphs by name and index, the error each bad key or
batch gives, quaternions and translations, and DESIGN.md's head-pose signs
with exact coordinates."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import animeceleb as ac

NECK = (0.0, 10.0, 0.0)
FRONT = (0.0, 10.0, -1.0)  # one unit in front of the neck (the character faces -Z)
ABOVE = (0.0, 11.0, 0.0)  # one unit above the neck
SIDE = (1.0, 10.0, 0.0)  # the character's left of the neck
BLINK = (0.0, -0.5, 0.25)


def two_bone_model() -> ac.Model:
    spec = {
        "name": "two bones",
        "vertices": {
            "positions": [FRONT, ABOVE, SIDE],
            "normals": [[0, 0, -1], [0, 1, 0], [1, 0, 0]],
            "uvs": [[0, 0], [1, 0], [0, 1]],
            "deforms": [
                {"type": "bdef1", "bone": 1},
                {"type": "bdef1", "bone": 0},
                {"type": "bdef2", "bones": [0, 1], "weight": 0.5},
            ],
            "edge_scales": [1, 1, 1],
        },
        "faces": [[0, 1, 2]],
        "bones": [
            {"name": "首", "position": NECK, "parent": -1},
            {"name": "頭", "position": ABOVE, "parent": 0},
        ],
        "morphs": [
            {"name": "まばたき", "panel": 2, "kind": "vertex",
             "offsets": {"type": "vertex", "items": [{"vertex": 0, "offset": BLINK}]}},
            {"name": "あ", "panel": 3, "kind": "vertex",
             "offsets": {"type": "vertex", "items": [{"vertex": 1, "offset": [0, 0, -1]}]}},
        ],
    }  # fmt: skip
    return ac.model_from_json(json.dumps(spec))


@pytest.fixture
def model() -> ac.Model:
    return two_bone_model()


def test_set_morph_by_name_and_by_index(model: ac.Model) -> None:
    by_name, by_index = model.poser(), model.poser()
    by_name.set_morph("まばたき", 0.5)
    by_index.set_morph(0, 0.5)
    expected = np.array([FRONT, ABOVE, SIDE], np.float32)
    expected[0] += 0.5 * np.array(BLINK, np.float32)
    np.testing.assert_array_equal(by_name.evaluate().positions, expected)
    np.testing.assert_array_equal(by_index.evaluate().positions, expected)
    by_name.reset()
    np.testing.assert_array_equal(by_name.evaluate().positions, model.positions)


def test_bad_keys_name_what_is_wrong(model: ac.Model) -> None:
    poser = model.poser()
    with pytest.raises(KeyError, match='no morph named "ウィンク"'):
        poser.set_morph("ウィンク", 1.0)
    with pytest.raises(IndexError, match=r"morph index 2 out of range 0\.\.2"):
        poser.set_morph(2, 1.0)
    with pytest.raises(IndexError, match=r"morph index -1 out of range 0\.\.2"):
        poser.set_morph(-1, 1.0)
    with pytest.raises(TypeError, match=r"morph must be a name \(str\) or an index \(int\)"):
        poser.set_morph(0.5, 1.0)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match='no bone named "両目"'):
        poser.set_bone_rotation("両目", 1.0, 0.0, 0.0)
    with pytest.raises(IndexError, match=r"bone index 2 out of range 0\.\.2"):
        poser.set_bone_translation(2, (0.0, 1.0, 0.0))


def _posed(model: ac.Model, rotation: tuple[float, float, float]) -> np.ndarray:
    poser = model.poser()
    poser.set_bone_rotation("首", *rotation)
    return poser.evaluate().positions


# DESIGN.md: yaw +90 takes a point in front of the neck to the character's
# left (+X); pitch +90 takes it up (+Y); roll +90 takes a point above the
# neck to the character's left (+X).
SIGNS = [
    ((90.0, 0.0, 0.0), 0, (1.0, 10.0, 0.0)),
    ((0.0, 90.0, 0.0), 0, (0.0, 11.0, 0.0)),
    ((0.0, 0.0, 90.0), 1, (1.0, 10.0, 0.0)),
    ((-90.0, 0.0, 0.0), 0, (-1.0, 10.0, 0.0)),
    ((0.0, -90.0, 0.0), 0, (0.0, 9.0, 0.0)),
    ((0.0, 0.0, -90.0), 1, (-1.0, 10.0, 0.0)),
]


@pytest.mark.parametrize(("rotation", "vertex", "expected"), SIGNS)
def test_head_pose_signs(
    model: ac.Model, rotation: tuple[float, float, float], vertex: int, expected: tuple
) -> None:
    posed = _posed(model, rotation)
    np.testing.assert_allclose(posed[vertex], expected, atol=1e-6)


def test_yaw_turns_normals_and_the_half_weighted_vertex(model: ac.Model) -> None:
    poser = model.poser()
    poser.set_bone_rotation("首", 90.0, 0.0, 0.0)
    posed = poser.evaluate()
    np.testing.assert_allclose(posed.normals[0], (1.0, 0.0, 0.0), atol=1e-6)
    # Both of SIDE's bones follow 首, so its 50/50 blend turns rigidly: +X goes to +Z.
    np.testing.assert_allclose(posed.positions[2], (0.0, 10.0, 1.0), atol=1e-6)
    # Composed: R = Ry(yaw)·Rx(pitch)·Rz(roll); pitch first tips FRONT up, yaw keeps it there.
    poser.set_bone_rotation("首", 90.0, 90.0, 0.0)
    np.testing.assert_allclose(poser.evaluate().positions[0], (0.0, 11.0, 0.0), atol=1e-6)


def test_set_bone_quaternion(model: ac.Model) -> None:
    poser = model.poser()
    # (x, y, z, w): 90 degrees about +Z in the usual right-handed sense takes +Y to -X.
    s = math.sin(math.pi / 4)
    poser.set_bone_quaternion("首", (0.0, 0.0, s, s))
    np.testing.assert_allclose(poser.evaluate().positions[1], (-1.0, 10.0, 0.0), atol=1e-6)
    # The head-pose quaternion gives what set_bone_rotation gives; unnormalised is normalised.
    q = ac.head_rotation(20.0, -10.0, 5.0)
    poser.set_bone_quaternion("首", tuple(3.0 * c for c in q))  # type: ignore[arg-type]
    np.testing.assert_allclose(
        poser.evaluate().positions, _posed(model, (20.0, -10.0, 5.0)), atol=1e-6
    )
    for bad in [(0.0, 0.0, 0.0, 0.0), (math.nan, 0.0, 0.0, 1.0)]:
        with pytest.raises(ValueError, match="quaternion must be finite and non-zero"):
            poser.set_bone_quaternion("首", bad)


def test_set_bone_translation(model: ac.Model) -> None:
    poser = model.poser()
    poser.set_bone_translation("首", (1.0, 2.0, -3.0))
    moved = poser.evaluate()
    np.testing.assert_allclose(moved.positions, model.positions + [1.0, 2.0, -3.0], atol=1e-6)
    np.testing.assert_array_equal(moved.normals, model.normals)
    # Translating the child moves only what is weighted to it: all of FRONT, half of SIDE.
    poser.reset()
    poser.set_bone_translation("頭", (0.0, 0.0, 2.0))
    np.testing.assert_allclose(
        poser.evaluate().positions, [(0.0, 10.0, 1.0), ABOVE, (1.0, 10.0, 1.0)], atol=1e-6
    )


def test_evaluate_batch_shapes_and_errors(model: ac.Model) -> None:
    poser = model.poser()
    weights = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, 1.0]], np.float32)
    angles = np.array([[[0, 0, 0]], [[90, 0, 0]], [[0, 0, 90]]], np.float32)
    positions, normals = poser.evaluate_batch(weights, ["首"], angles)
    assert positions.shape == normals.shape == (3, 3, 3)
    assert positions.dtype == normals.dtype == np.float32
    np.testing.assert_array_equal(positions[0], model.positions)
    np.testing.assert_allclose(positions[1, 1], ABOVE, atol=1e-6)
    # Morphs apply before bones: あ moves ABOVE to -Z, then the roll takes it to +X.
    np.testing.assert_allclose(positions[2, 1], (1.0, 10.0, -1.0), atol=1e-6)
    only_morphs, _ = poser.evaluate_batch(weights)
    np.testing.assert_array_equal(only_morphs[1, 0], np.add(FRONT, BLINK, dtype=np.float32))
    # float64 arrays and nested lists are converted, giving the same result
    as_f64, _ = poser.evaluate_batch(weights.astype(np.float64), ["首"], angles.tolist())
    np.testing.assert_array_equal(as_f64, positions)

    with pytest.raises(ValueError, match="morph_weights has 3 columns, the model has 2 morphs"):
        poser.evaluate_batch(np.zeros((3, 3), np.float32))
    with pytest.raises(ValueError, match=r"rotations must be \(3, 1, 3\), got \[3, 2, 3\]"):
        poser.evaluate_batch(weights, ["首"], np.zeros((3, 2, 3), np.float32))
    with pytest.raises(ValueError, match=r"rotations must be \(3, 1, 3\), got \[2, 1, 3\]"):
        poser.evaluate_batch(weights, ["首"], angles[:2])
    with pytest.raises(ValueError, match="bones given without rotations"):
        poser.evaluate_batch(weights, ["首"])
    with pytest.raises(KeyError, match='no bone named "腰"'):
        poser.evaluate_batch(weights, ["腰"], angles)
