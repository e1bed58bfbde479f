import numpy as np
import pytest

from animeceleb.pose import (
    ANGLE_RANGE,
    POSE_LAYOUT,
    STANDARD_SOURCE_NAMES,
    TARGET_MORPHS,
    Pose,
    annotated_targets,
    realisable_choices,
    realize,
    sample_light,
    sample_pose,
)


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


# ----- sampling policy ------------------------------------------------------------------------


def _part_of(name: str) -> str:
    return "eyes" if name.startswith("eye") else "brows" if name.startswith("brow") else "mouth"


def test_standard_names_offer_every_standard_target():
    choices = realisable_choices(None)
    assert choices["eyes"] == ("eye_close", "eye_close_right", "eye_close_left",
                               "eye_smile", "eye_smile_right", "eye_smile_left", "eye_wide")
    assert choices["brows"] == ("brow_up", "brow_down", "brow_troubled")
    assert choices["mouth"] == ("mouth_a", "mouth_i", "mouth_u", "mouth_e", "mouth_o")
    assert len(annotated_targets(None)) == 15


def test_both_needs_the_both_morph_or_two_sides():
    only_right = {"eye_close_right": "まば右"}
    assert realisable_choices(only_right)["eyes"] == ("eye_close_right",)
    two_sides = {"brow_up_right": "眉上右", "brow_up_left": "眉上左"}
    assert realisable_choices(two_sides)["brows"] == ("brow_up", "brow_up_right", "brow_up_left")
    assert realisable_choices({"eye_wide": None})["eyes"] == ()


def test_sampled_poses_follow_the_one_morph_per_part_rule():
    rng = np.random.default_rng(7)
    annotation = {"eye_close": "まばたき", "eye_smile_left": "ウィンク", "brow_up_right": "上右",
                  "brow_up_left": "上左", "mouth_o": "お", "mouth_a": "あ"}
    seen: set[str] = set()
    for _ in range(400):
        pose = sample_pose(rng, annotation)
        arr = pose.to_array()
        assert np.all(arr[:17] >= 0) and np.all(arr[:17] <= 1)
        assert np.all(np.abs(arr[17:]) <= ANGLE_RANGE[1])
        nonzero = [POSE_LAYOUT[i] for i in np.flatnonzero(arr[:17])]
        per_part: dict[str, list[str]] = {}
        for name in nonzero:
            per_part.setdefault(_part_of(name), []).append(name)
        for part, names in per_part.items():
            bases = {n.rsplit("_", 1)[0] if n.startswith(("eye", "brow")) else n for n in names}
            assert len(bases) == 1, (part, names)  # one target morph per part
            if len(names) == 2:  # a "both" target: equal sides
                assert arr[POSE_LAYOUT.index(names[0])] == arr[POSE_LAYOUT.index(names[1])]
        weights, _ = realize(pose, annotation)
        assert len(weights) == len(per_part) + sum(
            1 for ns in per_part.values() if len(ns) == 2 and ns[0].startswith("brow"))
        seen.update(nonzero)
    # every realisable target was drawn, and nothing else
    assert seen == {"eye_close_right", "eye_close_left", "eye_smile_left", "brow_up_right",
                    "brow_up_left", "mouth_o", "mouth_a"}


def test_frontal_partition_and_light():
    rng = np.random.default_rng(1)
    poses = [sample_pose(rng, None, "frontal") for _ in range(50)]
    assert all((p.yaw, p.pitch, p.roll) == (0.0, 0.0, 0.0) for p in poses)
    lights = [sample_light(rng) for _ in range(500)]
    assert 0.3 <= min(lights) < 0.35 and 0.85 < max(lights) <= 0.9
    with pytest.raises(ValueError):
        sample_pose(rng, None, "sideways")


def test_sampling_is_deterministic_per_seed():
    a = [sample_pose(np.random.default_rng(42)).to_array() for _ in range(2)]
    np.testing.assert_array_equal(a[0], a[1])
    b = sample_pose(np.random.default_rng(43)).to_array()
    assert not np.array_equal(a[0], b)
    angles = np.array([sample_pose(np.random.default_rng(s)).to_array()[17:] for s in range(300)])
    assert angles.min() < -18 and angles.max() > 18
