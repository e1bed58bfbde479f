import numpy as np
import pytest

from animeceleb.pose import POSE_LAYOUT, STANDARD_SOURCE_NAMES, TARGET_MORPHS, Pose, realize


def test_vocabularies_match_design():
    assert len(TARGET_MORPHS) == 23
    assert TARGET_MORPHS[:3] == ("eye_close", "eye_close_right", "eye_close_left")
    assert TARGET_MORPHS[-5:] == ("mouth_a", "mouth_i", "mouth_u", "mouth_e", "mouth_o")
    assert len(POSE_LAYOUT) == 20
    assert POSE_LAYOUT[:2] == ("eye_close_right", "eye_close_left")
    assert POSE_LAYOUT[12:] == ("mouth_a", "mouth_i", "mouth_u", "mouth_e", "mouth_o",
                                "yaw", "pitch", "roll")
    assert set(STANDARD_SOURCE_NAMES) == set(TARGET_MORPHS)
    assert STANDARD_SOURCE_NAMES["eye_close"] == "まばたき"
    assert STANDARD_SOURCE_NAMES["eye_close_right"] == "ウィンク２右"
    assert STANDARD_SOURCE_NAMES["mouth_a"] == "あ"


def test_pose_round_trip():
    values = np.arange(20, dtype=np.float32) / 20
    pose = Pose.from_array(values)
    assert pose.eye_close_right == 0.0 and pose.roll == pytest.approx(0.95)
    np.testing.assert_array_equal(pose.to_array(), values)
    assert Pose.coerce(None) == Pose()
    assert Pose.coerce(pose) is pose
    with pytest.raises(ValueError):
        Pose.from_array(np.zeros(19))
    with pytest.raises(ValueError):
        Pose.from_array([np.nan] * 20)


def test_equal_sides_use_the_both_morph():
    weights, angles = realize(Pose(eye_close_right=0.7, eye_close_left=0.7, yaw=5, roll=-3))
    assert weights == {"まばたき": 0.7}
    assert angles == (5.0, 0.0, -3.0)


def test_unequal_sides_use_side_morphs():
    weights, _ = realize(Pose(eye_close_right=0.7, eye_close_left=0.2))
    assert weights == {"ウィンク２右": 0.7, "ウィンク２": 0.2}
    weights, _ = realize(Pose(eye_smile_right=0.5))
    assert weights == {"ウィンク右": 0.5}


def test_equal_sides_without_both_morph_fall_back_to_sides():
    annotation = {"brow_up_right": "眉上右", "brow_up_left": "眉上左"}
    weights, _ = realize(Pose(brow_up_right=0.4, brow_up_left=0.4), annotation)
    assert weights == {"眉上右": 0.4, "眉上左": 0.4}


def test_annotation_and_missing_morphs():
    annotation = {"mouth_a": "あ２", "eye_close": None}
    weights, _ = realize(Pose(mouth_a=1.0, mouth_o=0.5, eye_close_right=1, eye_close_left=1),
                         annotation)
    assert weights == {"あ２": 1.0}  # お and both eye morphs are not annotated: dropped


def test_shared_source_adds_and_clips():
    annotation = {"mouth_a": "あ", "mouth_o": "あ"}
    weights, _ = realize(Pose(mouth_a=0.6, mouth_o=0.7), annotation)
    assert weights == {"あ": 1.0}
