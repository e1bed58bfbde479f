"""Automatic inspection on rendered images: a no-op morph and a wrong-side morph, both built on
purpose with the project's writer, and the shared models' assignments passing clean."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest

import animeceleb as ac
from _annotate_models import add_copy, edited_sample, morph
from animeceleb.annotate.inspect import Inspector, changed_pixels
from animeceleb.annotate.propose import annotate_model
from conftest import SHARED
from test_annotate_matcher import ALICIA, GENE


@functools.cache
def inspector() -> Inspector:
    return Inspector(ac.Renderer(size=256))


def _mislabelled(spec: dict) -> None:
    # ｳｨﾝｸ２右 now closes the LEFT eye (ウィンク２'s offsets); 上右 moves nothing; 困る右 moves
    # a vertex of nothing visible (the eyebrow's own offsets, scaled to nothing)
    ref = morph(spec, "ウィンク２")
    morph(spec, "ｳｨﾝｸ２右")["offsets"] = ref["offsets"]
    morph(spec, "上右")["offsets"]["items"] = []
    for item in morph(spec, "困る右")["offsets"]["items"]:
        item["offset"] = [v * 1e-4 for v in item["offset"]]


@pytest.fixture(scope="module")
def mislabelled(tmp_path_factory: pytest.TempPathFactory) -> ac.Model:
    return ac.load_model(edited_sample(tmp_path_factory.mktemp("mislabelled"), _mislabelled))


def test_no_op_morphs_are_flagged(mislabelled: ac.Model) -> None:
    empty, tiny = inspector().inspect(mislabelled, [("brow_up_right", "上右"),
                                                    ("brow_troubled_right", "困る右")])
    for ins in (empty, tiny):
        assert ins.flags == ("no_change",)
        assert ins.changed < 10
        assert ins.factor == pytest.approx(0.05)


def test_wrong_side_morph_is_flagged(mislabelled: ac.Model) -> None:
    (ins,) = inspector().inspect(mislabelled, [("eye_close_right", "ｳｨﾝｸ２右")])
    assert ins.flags == ("wrong_side",)
    assert ins.right_share < 0.05  # all of the change is on the image's right: the left eye
    assert ins.centroid is not None and ins.centroid[0] > inspector().landmarks(
        mislabelled).mid_col
    # the same morph is fine as the left eye's
    (ok,) = inspector().inspect(mislabelled, [("eye_close_left", "ｳｨﾝｸ２右")])
    assert ok.flags == ()


def test_wrong_region_is_flagged(mislabelled: ac.Model) -> None:
    mouth_as_eyes, eyes_as_mouth, brow_as_eye = inspector().inspect(
        mislabelled, [("eye_close", "あ"), ("mouth_a", "まばたき"), ("eye_wide", "上")])
    assert mouth_as_eyes.flags == ("wrong_region",) and mouth_as_eyes.region_share == 0.0
    assert eyes_as_mouth.flags == ("wrong_region",)
    assert brow_as_eye.flags == ("wrong_region",)


def test_inspected_annotation_of_the_mislabelled_model(mislabelled: ac.Model) -> None:
    result = annotate_model(mislabelled, inspector())
    # ｳｨﾝｸ２右 acts on the left: the geometry already put it there, next to ウィンク２
    assert result["eye_close_right"].source is None
    assert [c["source"] for c in result["eye_close_left"].candidates] == ["ウィンク２", "ｳｨﾝｸ２右"]
    # 上右 moves nothing: it can't be the right brow's
    assert result["brow_up_right"].source is None
    assert result["brow_up_right"].flags == ["no_change"]
    # untouched targets pass clean, with their images checked
    assert result["brow_up_left"].source == "上左" and result["brow_up_left"].flags == []
    assert result["brow_up_left"].inspected
    assert "in the brow band" in result["brow_up_left"].reason


def test_flagged_first_candidate_gives_way(tmp_path: Path) -> None:
    # あ is a material-less no-op now (no offsets); あ２ is the real open mouth
    def edit(spec: dict) -> None:
        add_copy(spec, "あ", "あ２")
        morph(spec, "あ")["offsets"]["items"] = []

    model = ac.load_model(edited_sample(tmp_path, edit))
    plain = annotate_model(model)
    assert plain["mouth_a"].source == "あ"  # by the name: the standard one
    inspected = annotate_model(model, inspector())
    a = inspected["mouth_a"]
    assert a.source == "あ２" and a.flags == []
    assert "chosen over あ, which the image check flagged" in a.reason
    assert a.candidates[0]["inspection"]["flags"] == ["no_change"]
    assert ac.propose_annotation(model, inspect=True)["mouth_a"] == "あ２"


def test_when_every_candidate_is_flagged_the_target_has_none(tmp_path: Path) -> None:
    def edit(spec: dict) -> None:
        morph(spec, "お")["offsets"]["items"] = []

    a = annotate_model(ac.load_model(edited_sample(tmp_path, edit)), inspector())["mouth_o"]
    assert a.source is None and a.flags == ["no_change"] and a.confidence == 0.0
    assert a.reason == "every candidate failed the image check: お: the image does not change"
    assert [c["source"] for c in a.candidates] == ["お"]  # still listed for a person to see


@pytest.mark.parametrize(("name", "expected"), [("gene", GENE), ("alicia", ALICIA)])
def test_shared_models_pass_the_image_checks(name: str, expected: dict) -> None:
    path = next(p for n, p, _ in SHARED if n == name)
    result = annotate_model(ac.load_model(path), inspector())
    assert {t: a.source for t, a in result.items()} == expected
    for t, a in result.items():
        if a.source:
            assert a.flags == [], (t, a.reason)
            assert a.confidence > 0.75, (t, a.confidence)


def test_changed_pixels_threshold() -> None:
    a = np.zeros((4, 4, 4), np.uint8)
    b = a.copy()
    b[0, 0, 0] = 24
    b[1, 1, 3] = 25
    assert changed_pixels(a, b).sum() == 1 and changed_pixels(a, b)[1, 1]


def test_unknown_morph_is_a_key_error(mislabelled: ac.Model) -> None:
    with pytest.raises(KeyError, match="no morph"):
        inspector().images(mislabelled, ["no such morph"])
