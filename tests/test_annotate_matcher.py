"""Proposals from names and geometry: the exact annotations of the shared models and the sample
character, and models edited on purpose so that names alone would be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

import animeceleb as ac
from _annotate_models import add_copy, edited_sample, morph, rename, swap_names
from animeceleb.annotate.geometry import ModelGeometry
from animeceleb.annotate.matcher import propose
from animeceleb.pose import TARGET_MORPHS, realize
from animeceleb.sample import sample_model_path
from conftest import SHARED

PATHS = {name: path for name, path, _ in SHARED}

MOUTH = {"mouth_a": "あ", "mouth_i": "い", "mouth_u": "う", "mouth_e": "え", "mouth_o": "お"}

# Read off each model's geometry (offsets on visible vertices, sides by the sign of X):
# Gene: ウィンク/ウィンク右 are 笑い on the left/right eye, ウィンク２/ｳｨﾝｸ２右 are まばたき (as are
# まば左/まば右 and eyeBlinkLeft/Right, less standard names); eyeWideLeft/Right are びっくり on
# one eye (so is eye_surprise_geo_L/R, an ad hoc name); brow_laugh_geo_L/R are 上 on one brow
# (上 also moves a hidden overlay); 困り左/困り右 are 困る on one brow; browDownLeft/Right is the
# only one-sided lowering of the brows (cosine 0.92 with 下 on that side).
GENE = {
    "eye_close": "まばたき", "eye_close_right": "ｳｨﾝｸ２右", "eye_close_left": "ウィンク２",
    "eye_smile": "笑い", "eye_smile_right": "ウィンク右", "eye_smile_left": "ウィンク",
    "eye_wide": "びっくり", "eye_wide_right": "eyeWideRight", "eye_wide_left": "eyeWideLeft",
    "brow_up": "上", "brow_up_right": "brow_laugh_geo_R", "brow_up_left": "brow_laugh_geo_L",
    "brow_down": "下", "brow_down_right": "browDownRight", "brow_down_left": "browDownLeft",
    "brow_troubled": "困る", "brow_troubled_right": "困り右", "brow_troubled_left": "困り左",
    **MOUTH,
}
# Alicia: ウィンク/ウィンク右 are まばたき on the left/right eye, ウィンク２/ウィンク２右 are 笑い;
# no one-sided brow or wide-eye morph.
ALICIA = {
    "eye_close": "まばたき", "eye_close_right": "ウィンク右", "eye_close_left": "ウィンク",
    "eye_smile": "笑い", "eye_smile_right": "ウィンク２右", "eye_smile_left": "ウィンク２",
    "eye_wide": "びっくり", "eye_wide_right": None, "eye_wide_left": None,
    "brow_up": "上", "brow_up_right": None, "brow_up_left": None,
    "brow_down": "下", "brow_down_right": None, "brow_down_left": None,
    "brow_troubled": "困る", "brow_troubled_right": None, "brow_troubled_left": None,
    **MOUTH,
}
# The sample character: winks as in Gene, every side under its 右/左 name.
SAMPLE = {
    "eye_close": "まばたき", "eye_close_right": "ｳｨﾝｸ２右", "eye_close_left": "ウィンク２",
    "eye_smile": "笑い", "eye_smile_right": "ウィンク右", "eye_smile_left": "ウィンク",
    "eye_wide": "びっくり", "eye_wide_right": "びっくり右", "eye_wide_left": "びっくり左",
    "brow_up": "上", "brow_up_right": "上右", "brow_up_left": "上左",
    "brow_down": "下", "brow_down_right": "下右", "brow_down_left": "下左",
    "brow_troubled": "困る", "brow_troubled_right": "困る右", "brow_troubled_left": "困る左",
    **MOUTH,
}


@pytest.mark.parametrize(("model", "expected"), [("gene", GENE), ("alicia", ALICIA)])
def test_shared_models(model: str, expected: dict[str, str | None]) -> None:
    m = ac.load_model(PATHS[model])
    annotation = ac.propose_annotation(m)
    assert list(annotation) == list(TARGET_MORPHS)
    assert annotation == expected


@pytest.mark.parametrize("variant", [0, 1])
def test_sample_character(variant: int) -> None:
    assert ac.propose_annotation(ac.load_model(sample_model_path(variant))) == SAMPLE


def test_the_wink_is_decided_by_its_shape_in_both_shared_models() -> None:
    gene = propose(ac.load_model(PATHS["gene"]))
    alicia = propose(ac.load_model(PATHS["alicia"]))
    g, a = gene["eye_smile_left"].best, alicia["eye_close_left"].best
    assert g is not None and a is not None
    assert (g.source, g.grade, g.reference) == ("ウィンク", "exact", "笑い")
    assert (a.source, a.grade, a.reference) == ("ウィンク", "exact", "まばたき")
    assert "equals 笑い" in gene["eye_smile_left"].reason
    assert "equals まばたき" in alicia["eye_close_left"].reason
    # the standard name is preferred over equal-shaped others (まば左, eyeBlinkLeft)
    alternatives = [c.source for c in gene["eye_close_left"].candidates]
    assert alternatives[:3] == ["ウィンク２", "まば左", "eyeBlinkLeft"]
    assert all(c.grade == "exact" for c in gene["eye_close_left"].candidates[:3])


def test_gene_geometry_facts() -> None:
    m = ac.load_model(PATHS["gene"])
    g = ModelGeometry(m)
    assert g.marks.source == "右目/左目"
    # sides: the character's right is -X
    assert g.shape("ｳｨﾝｸ２右").side == "right" and g.shape("ウィンク２").side == "left"
    assert g.shape("まばたき").side == "both"
    assert [g.shape(n).region for n in ("上", "まばたき", "あ")] == ["brow", "eye", "mouth"]
    # 上 moves a hidden overlay (material 青ざめ, alpha 0) besides the brows: only the brows count
    assert len(g.shape("上").vertices) == 70
    assert g.fit("brow_laugh_geo_L", "上").grade == "exact"
    assert g.fit("ウィンク", "まばたき").grade == "similar"  # close, but not it
    assert g.fit("eyeSquintLeft", "笑い").grade == "scaled"
    assert g.fit("eyeSquintLeft", "笑い").scale == pytest.approx(0.65, abs=1e-4)


def test_annotation_is_what_the_renderer_consumes() -> None:
    m = ac.load_model(PATHS["gene"])
    annotation = ac.propose_annotation(m)
    weights, _ = realize(ac.Pose(eye_close_right=1.0, brow_up_left=0.5, mouth_a=0.3), annotation)
    assert weights == {"ｳｨﾝｸ２右": 1.0, "brow_laugh_geo_L": 0.5, "あ": pytest.approx(0.3)}
    names = {mo.name for mo in m.morphs}
    assert {v for v in annotation.values() if v} <= names


def test_swapped_wink_names_follow_the_geometry(tmp_path: Path) -> None:
    # Alicia's convention on the sample: ウィンク is now the plain wink, ウィンク２ the smiling one
    def edit(spec: dict) -> None:
        swap_names(spec, "ウィンク", "ウィンク２")
        swap_names(spec, "ウィンク右", "ｳｨﾝｸ２右")

    a = ac.propose_annotation(ac.load_model(edited_sample(tmp_path, edit)))
    assert (a["eye_close_left"], a["eye_close_right"]) == ("ウィンク", "ウィンク右")
    assert (a["eye_smile_left"], a["eye_smile_right"]) == ("ウィンク２", "ｳｨﾝｸ２右")


def test_side_comes_from_the_geometry_not_the_name(tmp_path: Path) -> None:
    # the right-brow morph is misnamed 上左 and the left one 上右
    def edit(spec: dict) -> None:
        swap_names(spec, "上右", "上左")

    p = propose(ac.load_model(edited_sample(tmp_path, edit)))
    assert (p["brow_up_right"].source, p["brow_up_left"].source) == ("上左", "上右")
    assert "named left but acts on the right" in p["brow_up_right"].reason
    assert p["brow_up_right"].confidence < 0.9


def test_one_sided_morph_under_a_both_name_is_rejected(tmp_path: Path) -> None:
    # まばたき closes only the right eye; the real both-eyes blink is now called eye_blink
    def edit(spec: dict) -> None:
        rename(spec, "まばたき", "eye_blink")
        rename(spec, "ｳｨﾝｸ２右", "まばたき")

    p = propose(ac.load_model(edited_sample(tmp_path, edit)))
    assert p["eye_close"].source == "eye_blink"
    assert p["eye_close_right"].source == "まばたき"  # placed where it acts
    assert any(r.source == "まばたき" and "not symmetric" in r.reason
               for r in p["eye_close"].rejected)


def test_unnamed_morph_found_by_its_shape(tmp_path: Path) -> None:
    # the sample without its right-wide morph's name, and a copy of it under an unknown name
    def edit(spec: dict) -> None:
        add_copy(spec, "びっくり右", "eye_R_xyz")
        rename(spec, "びっくり右", "目_変形3")
        morph(spec, "目_変形3")["name_en"] = ""

    p = propose(ac.load_model(edited_sample(tmp_path, edit)))
    best = p["eye_wide_right"].best
    assert best is not None and best.grade == "exact" and "found by its shape" in p[
        "eye_wide_right"].reason
    assert best.source in ("目_変形3", "eye_R_xyz")


def test_scaled_copy_ranks_after_the_exact_one(tmp_path: Path) -> None:
    def edit(spec: dict) -> None:
        add_copy(spec, "ウィンク", "Blink_L", scale=0.5)  # a half-strength smiling wink

    p = propose(ac.load_model(edited_sample(tmp_path, edit)))
    cands = p["eye_smile_left"].candidates
    assert [c.source for c in cands[:2]] == ["ウィンク", "Blink_L"]
    assert [c.grade for c in cands[:2]] == ["exact", "scaled"]
    # its name says "blink" but its shape is 笑い's: it is not an eye_close candidate
    assert "Blink_L" not in [c.source for c in p["eye_close_left"].candidates]


def test_morph_in_the_wrong_part_of_the_face_is_rejected(tmp_path: Path) -> None:
    def edit(spec: dict) -> None:
        rename(spec, "あ", "口_旧")
        morph(spec, "口_旧")["name_en"] = ""
        add_copy(spec, "まばたき", "あ")  # named あ, closes the eyes

    p = propose(ac.load_model(edited_sample(tmp_path, edit)))
    assert p["mouth_a"].source is None
    assert any("moves the eye, not the mouth" in r.reason for r in p["mouth_a"].rejected)


def test_group_morphs_are_measured_through_the_poser(tmp_path: Path) -> None:
    # まばたき as many models build it: a group of the two one-eyed blinks
    def edit(spec: dict) -> None:
        index = {m["name"]: k for k, m in enumerate(spec["morphs"])}
        blink = morph(spec, "まばたき")
        blink["kind"] = "group"
        blink["offsets"] = {"type": "group", "items": [
            {"morph": index["ウィンク２"], "weight": 1.0},
            {"morph": index["ｳｨﾝｸ２右"], "weight": 1.0}]}

    model = ac.load_model(edited_sample(tmp_path, edit))
    g = ModelGeometry(model)
    assert g.shape("まばたき").side == "both" and g.shape("まばたき").region == "eye"
    assert g.fit("ウィンク２", "まばたき").grade == "exact"
    assert ac.propose_annotation(model) == SAMPLE
