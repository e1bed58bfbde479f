"""The name matcher on real names (the shared models and the sample character) and on the
forms real models use: width, kana, numbering, side markers, decoration."""

from __future__ import annotations

import pytest

import animeceleb as ac
from animeceleb.annotate.names import fold, match_name, parse_name
from animeceleb.sample import MORPH_NAMES
from conftest import SHARED

MODELS = {name: ac.load_model(path) for name, path, _ in SHARED}

# (model, morph name, meaning, side the name says, tier): every one read from the model itself
REAL = [
    # Gene: the standard MMD set, ARKit names, Blender-style names, Japanese variants
    ("gene", "まばたき", "close", None, 0),
    ("gene", "笑い", "smile", None, 0),
    ("gene", "ウィンク", "wink", None, 0),
    ("gene", "ウィンク右", "wink", "right", 0),
    ("gene", "ウィンク２", "wink", None, 0),
    ("gene", "ｳｨﾝｸ２右", "wink", "right", 0),
    ("gene", "びっくり", "wide", None, 0),
    ("gene", "上", "brow_up", None, 0),
    ("gene", "下", "brow_down", None, 0),
    ("gene", "困る", "brow_troubled", None, 0),
    ("gene", "あ", "a", None, 0),
    ("gene", "お", "o", None, 0),
    ("gene", "まば左", "close", "left", 1),
    ("gene", "まば右", "close", "right", 1),
    ("gene", "見開き", "wide", None, 1),
    ("gene", "困り", "brow_troubled", None, 1),
    ("gene", "困り左", "brow_troubled", "left", 1),
    ("gene", "eyeBlinkLeft", "close", "left", 2),
    ("gene", "eyeBlinkRight", "close", "right", 2),
    ("gene", "eyeWideLeft", "wide", "left", 2),
    ("gene", "browDownRight", "brow_down", "right", 2),
    ("gene", "browOuterUpLeft", "brow_up", "left", 2),
    ("gene", "jawOpen", "a", None, 3),
    ("gene", "eyeSquintLeft", "smile", "left", 3),
    ("gene", "eyeBlink", "close", None, 3),  # not ARKit's own name: ad hoc
    ("gene", "eye_close_geo_L", "close", "left", 3),
    ("gene", "eye_wink_geo_R", "wink", "right", 3),
    ("gene", "eye_surprise_geo_L", "wide", "left", 3),
    ("gene", "brow_sad_geo_R", "brow_troubled", "right", 3),
    ("gene", "brow_surprise_geo_", "brow_up", None, 3),
    ("gene", "brow_surprise_geo_.001", "brow_up", None, 4),  # Blender's duplicate suffix
    ("gene", "mouth_a_geo_C", "a", None, 3),
    ("gene", "mouth_oh_geo_C", "o", None, 3),
    ("gene", "とじ目(総", "close", None, 4),  # a combined expression
    # Alicia
    ("alicia", "ウィンク２右", "wink", "right", 0),
    ("alicia", "あ２", "a", None, 1),  # a numbered variant of あ
    ("alicia", "い", "i", None, 0),
]

# names that must not match anything (they contain target words but mean something else)
REAL_NON_MATCHES = [
    ("gene", "にこり"), ("gene", "じと目"), ("gene", "mouthSmileLeft"), ("gene", "mouthClose"),
    ("gene", "jawOpen+mouthClose"), ("gene", "笑顔(総"), ("gene", "ああ"), ("gene", "おお~"),
    ("gene", "brow_angry_geo_L"), ("gene", "eyeLookUpLeft"), ("gene", "mouth_smile_geo_C"),
    ("gene", "tooth_up_geo_C"), ("gene", "mabatakiparts"), ("gene", "口わらい"),
    ("alicia", "歯無し上"), ("alicia", "口角上げ"), ("alicia", "口角下げ"),
    ("alicia", "まぶた下上げ"),
    ("alicia", "はぅ"), ("alicia", "なごみ"), ("alicia", "真面目"), ("alicia", "にっこり"),
]


@pytest.mark.parametrize(("model", "name", "meaning", "side", "tier"), REAL,
                         ids=[f"{m}-{n}" for m, n, *_ in REAL])
def test_real_names(model: str, name: str, meaning: str, side: str | None, tier: int) -> None:
    assert name in {m.name for m in MODELS[model].morphs}, "the table must hold real names"
    hit = match_name(name)
    assert hit is not None, name
    assert (hit.meaning, hit.side, hit.tier) == (meaning, side, tier)


@pytest.mark.parametrize(("model", "name"), REAL_NON_MATCHES,
                         ids=[f"{m}-{n}" for m, n in REAL_NON_MATCHES])
def test_real_names_that_name_no_target(model: str, name: str) -> None:
    assert name in {m.name for m in MODELS[model].morphs}
    assert match_name(name) is None


def test_every_sample_morph_name_matches_with_its_side() -> None:
    expected_side = {"右": "right", "左": "left"}
    for name in MORPH_NAMES:
        hit = match_name(name)
        assert hit is not None, name
        assert hit.tier == 0, name
        assert hit.side == expected_side.get(name[-1]), name


@pytest.mark.parametrize(("name", "meaning", "side", "number"), [
    # width, kana and case folding
    ("ｳｨﾝｸ２右", "wink", "right", 2),
    ("ウィンク2右", "wink", "right", 2),
    ("ウインク２", "wink", None, 2),
    ("うぃんく", "wink", None, None),
    ("ﾏﾊﾞﾀｷ", "close", None, None),
    ("マバタキ", "close", None, None),
    ("ＢＬＩＮＫ＿Ｌ", "close", "left", None),
    # numbering in every place models put it
    ("ウィンク右2", "wink", "right", 2),
    ("ウィンク２左", "wink", "left", 2),
    ("笑い2", "smile", None, 2),
    ("あ_2", "a", None, 2),
    # side markers: kanji before or after, L/R glued or separated, words, camelCase
    ("右ウィンク", "wink", "right", None),
    ("まばたきL", "close", "left", None),
    ("まばたき_R", "close", "right", None),
    ("上左", "brow_up", "left", None),
    ("眉上げ右", "brow_up", "right", None),
    ("困る右", "brow_troubled", "right", None),
    ("Blink_R", "close", "right", None),
    ("blink.l", "close", "left", None),
    ("eye_blink_r", "close", "right", None),
    ("EyeClosedLeft", "close", "left", None),
    ("Fcl_EYE_Close_R", "close", "right", None),
    ("Fcl_EYE_Joy_L", "smile", "left", None),
    ("blinkRight", "close", "right", None),
    ("vrc.blink_left", "close", "left", None),
    ("wink2_R", "wink", "right", 2),
    # decoration
    ("【目】まばたき", "close", None, None),
    ("・まばたき", "close", None, None),
    ("まばたき.001", "close", None, None),
    (" あ ", "a", None, None),
    ("[あ]", "a", None, None),
    # English, romaji, VRM and viseme names
    ("mabataki", "close", None, None),
    ("warai", "smile", None, None),
    ("bikkuri", "wide", None, None),
    ("brow_up_L", "brow_up", "left", None),
    ("BrowDownRight", "brow_down", "right", None),
    ("brow_troubled", "brow_troubled", None, None),
    ("Fcl_MTH_A", "a", None, None),
    ("Fcl_BRW_Surprised", "brow_up", None, None),
    ("vrc.v_oh", "o", None, None),
    ("ih", "i", None, None),
    ("E", "e", None, None),
    ("mouth_u", "u", None, None),
    # simplified Chinese model names
    ("眨眼", "close", None, None),
    ("笑眼", "smile", None, None),
])
def test_forms(name: str, meaning: str, side: str | None, number: int | None) -> None:
    hit = match_name(name)
    assert hit is not None, name
    assert (hit.meaning, hit.side, hit.number) == (meaning, side, number)


def test_standard_names_rank_before_variants_and_combinations() -> None:
    def tier(name: str) -> int:
        hit = match_name(name)
        assert hit is not None, name
        return hit.tier

    assert tier("まばたき") < tier("とじ目") < tier("eyeBlinkLeft") < tier("eye_close_geo_L")
    assert tier("まばたき") < tier("【目】まばたき") < tier("まばたき(総")
    assert tier("あ") < tier("あ２") and tier("あ") < tier("jawOpen")
    assert tier("ウィンク") == tier("ウィンク２")  # a wink's number says which wink, not a variant


@pytest.mark.parametrize("name", [
    "", "右", "2", "mouthSmile", "mouthSmileRight", "上唇", "舌", "eyeLookUpLeft", "cheekPuff",
    "Fcl_ALL_Joy", "hair_up", "upper", "左右", "a1b2", "にやり", "ワ", "∧", "■",
])
def test_names_of_other_things(name: str) -> None:
    assert match_name(name) is None


def test_english_name_is_a_fallback_one_tier_below() -> None:
    hit = match_name("ほげ", "blink_L")
    assert hit is not None and (hit.meaning, hit.side) == ("close", "left")
    assert hit.tier == match_name("blink_L").tier + 1  # type: ignore[union-attr]
    # the name itself wins over its English name (Gene's 困り左 is 'brow_ridicule_geo_')
    hit = match_name("困り左", "brow_ridicule_geo_")
    assert hit is not None and hit.meaning == "brow_troubled" and hit.tier == 1


def test_fold_and_parse() -> None:
    assert fold("ｳｨﾝｸ２") == fold("ウインク2") == fold("うぃんく２")
    p = parse_name("ｳｨﾝｸ２右")
    assert (p.side, p.number, p.script) == ("right", 2, "ja")
    p = parse_name("とじ目(総")
    assert p.combined and p.decorated
    p = parse_name("jawOpen+mouthClose")
    assert p.combined
    p = parse_name("両目まばたき")
    assert p.side == "both" and match_name("両目まばたき") is None  # 目まばたき is not a key
    p = parse_name("Fcl_EYE_Close_R")
    assert (p.region, p.base, p.side) == ("eye", "close", "right")
