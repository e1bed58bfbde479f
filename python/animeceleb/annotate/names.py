"""Morph names: normalisation, and the dictionary of names real models use.

A name is folded (full/half width, case, hiragana/katakana, small kana), stripped of its
decoration (brackets, Blender's ``.001``, symbols), its side marker (右/左, L/R, Left/Right,
``_r``/``_l``) and its number (ウィンク２, wink2), and what is left is looked up:

- Japanese names (MMD's standard face set and the variants models and converters use) by the
  whole folded base, so 上 matches but 歯無し上 or 口角上げ do not;
- English, romaji, ARKit, VRM/VRoid and Blender-style names by their words, split at case
  changes and separators (``eyeBlinkLeft`` -> eye blink + left, ``Fcl_EYE_Close_R`` ->
  eye close + right, ``eye_close_geo_L`` -> eye close + left), with the part of the face they
  name (eye, brow, mouth) kept apart from the meaning.

A match gives a *meaning* (``close``, ``smile``, ``wink`` = a one-sided eye closing whose shape
the geometry decides, ``wide``, ``brow_up``, ``brow_down``, ``brow_troubled``, ``a`` .. ``o``)
and a *tier*: 0 for MMD's standard names, 1 for common Japanese variants, 2 for names of
published schemes (ARKit, VRM, VRoid, VRChat visemes), 3 for loose ones.  An ad hoc English or
romaji name (Blender-style ``eye_close_geo_L``, ``mabataki``) adds one, so do decoration, a
duplicate and a numbered variant (あ２); a combined expression (``とじ目(総``,
``jawOpen+mouthClose``) adds three.  A person prefers lower tiers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "MEANINGS",
    "NameMatch",
    "ParsedName",
    "fold",
    "match_name",
    "parse_name",
]

# meaning -> the base target morph it names (``wink`` names two; the geometry picks)
MEANINGS: dict[str, tuple[str, ...]] = {
    "close": ("eye_close",),
    "smile": ("eye_smile",),
    "wink": ("eye_close", "eye_smile"),
    "wide": ("eye_wide",),
    "brow_up": ("brow_up",),
    "brow_down": ("brow_down",),
    "brow_troubled": ("brow_troubled",),
    "a": ("mouth_a",),
    "i": ("mouth_i",),
    "u": ("mouth_u",),
    "e": ("mouth_e",),
    "o": ("mouth_o",),
}

COMBINED_TIER = 3  # added for a combined expression
DECORATED_TIER = 1  # added for decoration, a duplicate or a numbered variant

_SMALL_KANA = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")


def fold(text: str) -> str:
    """Width, case and kana folded: ｳｨﾝｸ２ and ウインク2 and うぃんく2 fold alike."""
    t = unicodedata.normalize("NFKC", text).casefold()
    t = "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in t)
    return t.translate(_SMALL_KANA)


# --- the Japanese dictionary: whole folded bases ---------------------------------------------
# Tier 0: the standard MMD face set (the names PMDEditor's template and the classic models
# use); tier 1: variants seen in models and conversion tools; tier 2: ambiguous ones.
_JAPANESE: dict[str, tuple[str, int, str]] = {}  # folded -> (meaning, tier, as written)


def _ja(meaning: str, tier: int, *names: str) -> None:
    for n in names:
        _JAPANESE[fold(n)] = (meaning, tier, n)


_ja("close", 0, "まばたき")
_ja("close", 1, "まば", "瞬き", "目閉じ", "目とじ", "とじ目", "閉じ目", "目瞑り", "目つぶり",
    "つぶり目", "まばたき目", "眨眼", "闭眼", "閉眼")
_ja("smile", 0, "笑い")
_ja("smile", 1, "笑い目", "目笑い", "笑目", "にこ目", "ニコ目", "にっこり目", "笑眼", "眯眼笑")
_ja("wink", 0, "ウィンク")  # ウインク folds to the same
_ja("wink", 1, "眨单眼")
_ja("wide", 0, "びっくり")
_ja("wide", 1, "見開き", "目見開き", "見開く", "びっくり目", "驚き目", "瞪眼", "睁大眼")
_ja("wide", 2, "驚き", "驚く")
_ja("brow_up", 0, "上")
_ja("brow_up", 1, "眉上", "眉上げ", "眉毛上", "眉毛上げ", "まゆ上", "まゆ上げ", "上眉", "眉あげ",
    "眉を上げる", "眉毛上扬", "挑眉")
_ja("brow_down", 0, "下")
_ja("brow_down", 1, "眉下", "眉下げ", "眉毛下", "眉毛下げ", "まゆ下", "まゆ下げ", "下眉", "眉さげ",
    "眉を下げる")
_ja("brow_troubled", 0, "困る")
_ja("brow_troubled", 1, "困り", "困った", "困り眉", "眉困り", "困る眉", "眉困る", "八の字",
    "八の字眉", "困惑眉")
_ja("brow_troubled", 2, "悲しい眉", "悲しみ眉", "眉悲しい")
for _vowel, _kana in zip("aiueo", "あいうえお", strict=True):
    _ja(_vowel, 0, _kana)

# --- the word dictionary: (region, words) after side/noise removal -----------------------
# region "" = the name says no part of the face; the geometry then decides where it acts.
_WORDS: dict[tuple[str, str], tuple[str, int]] = {}


def _en(meaning: str, tier: int, region: str, *phrases: str) -> None:
    for p in phrases:
        _WORDS[(region, p)] = (meaning, tier)


_en("close", 2, "", "blink", "mabataki", "tojime", "eyeclose", "eyesclosed")
_en("close", 2, "eye", "blink", "close", "closed", "shut", "mabataki", "tojime")
_en("smile", 2, "", "warai", "blink happy", "happy eye", "smile eye", "laughing", "laugh")
_en("smile", 2, "eye", "smile", "smiling", "happy", "joy", "laugh", "laughing", "warai",
    "blink happy", "fun")
_en("smile", 3, "", "smile")
_en("smile", 3, "eye", "squint")
_en("wink", 2, "", "wink", "uinku")
_en("wink", 2, "eye", "wink", "uinku")
_en("wide", 2, "", "bikkuri", "mihiraki", "wide eye", "eyewide")
_en("wide", 2, "eye", "wide", "surprise", "surprised", "spread", "bikkuri", "mihiraki",
    "open wide", "wide open", "big")
_en("wide", 3, "", "surprised", "surprise")
_en("brow_up", 2, "brow", "up", "raise", "raised", "raiser", "outer up", "surprise", "surprised",
    "ue")
_en("brow_up", 3, "brow", "inner up", "joy", "laugh", "happy", "fun")
_en("brow_up", 3, "", "up")
_en("brow_down", 2, "brow", "down", "lower", "lowered", "lowerer", "shita")
_en("brow_down", 3, "", "down")
_en("brow_troubled", 2, "brow", "troubled", "trouble", "worried", "worry", "komaru", "komari",
    "sad", "sorrow", "sadness")
_en("brow_troubled", 2, "", "troubled", "komaru", "worried")
_en("brow_troubled", 3, "", "sadness")
for _vowel, _words in (("a", ("a", "aa", "ah")), ("i", ("i", "ih")), ("u", ("u", "ou")),
                       ("e", ("e", "ee")), ("o", ("o", "oh"))):
    _en(_vowel, 2, "", *_words)
    _en(_vowel, 2, "mouth", *_words)
_en("i", 3, "", "ch")
_en("a", 3, "", "jaw open", "mouth open")
_en("a", 3, "mouth", "open")
_en("o", 3, "mouth", "funnel")
_en("u", 3, "mouth", "pucker")

# Names from published schemes (ARKit's 52 blendshapes, VRM 0.x/1.0 presets, VRoid's Fcl_*,
# VRChat visemes) keep their tier; other English/romaji word names are ad hoc: one tier more.
_SCHEMES = {fold(n) for n in (
    "eyeBlinkLeft", "eyeBlinkRight", "eyeSquintLeft", "eyeSquintRight", "eyeWideLeft",
    "eyeWideRight", "browDownLeft", "browDownRight", "browInnerUp", "browOuterUpLeft",
    "browOuterUpRight", "jawOpen", "mouthFunnel", "mouthPucker",
    "Blink", "Blink_L", "Blink_R", "A", "I", "U", "E", "O",
    "blinkLeft", "blinkRight", "aa", "ih", "ou", "ee", "oh",
    "Fcl_EYE_Close", "Fcl_EYE_Close_L", "Fcl_EYE_Close_R", "Fcl_EYE_Joy", "Fcl_EYE_Joy_L",
    "Fcl_EYE_Joy_R", "Fcl_EYE_Surprised", "Fcl_EYE_Spread", "Fcl_BRW_Surprised",
    "Fcl_BRW_Sorrow", "Fcl_MTH_A", "Fcl_MTH_I", "Fcl_MTH_U", "Fcl_MTH_E", "Fcl_MTH_O",
    "vrc.v_aa", "vrc.v_ih", "vrc.v_ou", "vrc.v_e", "vrc.v_oh", "vrc.blink_left",
    "vrc.blink_right", "vrc.blink",
)}

_REGION_WORDS = {
    "eye": "eye", "eyes": "eye", "eyelid": "eye", "eyelids": "eye", "lid": "eye",
    "brow": "brow", "brows": "brow", "eyebrow": "brow", "eyebrows": "brow", "brw": "brow",
    "mayu": "brow", "mouth": "mouth", "mth": "mouth", "lip": "mouth", "lips": "mouth",
    "kuchi": "mouth",
}
_SIDE_WORDS = {"l": "left", "left": "left", "lt": "left", "r": "right", "right": "right",
               "rt": "right"}
_CENTRE_WORDS = {"c", "center", "centre", "mid", "middle", "both"}
_NOISE_WORDS = {"geo", "fcl", "vrc", "v", "bs", "blendshape", "blendshapes", "blend", "shape",
                "shapes", "key", "morph", "mmd", "face", "facial", "exp", "expression", "viseme"}
_COMBINED_WORDS = {"all", "combo", "combined", "mix", "set", "full"}
_COMBINED_JA = ("総", "全", "合成", "セット", "組", "顔")

_OPEN, _CLOSE = "([【「『<〈《{", ")]】」』>〉》}"
_BRACKETED = re.compile(r"[(\[【「『<〈《{]([^)\]】」』>〉》}]*)[)\]】」』>〉》}]")
_UNCLOSED = re.compile(r"[(\[【「『<〈《{]([^)\]】」』>〉》}]*)$")
_BLENDER_DUP = re.compile(r"\.\d{3}$")
_SEPARATORS = re.compile(r"[\s_\-.・·:;,/\\|~!?#*&'\"`^=+♪★☆●○◆◇※]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f々〆ヶ]")
_WORD_SPLIT = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_ASCII_SIDE = re.compile(r"(?:^|(?<=[^a-z]))(left|right|l|r)$|^(left|right|l|r)(?=[^a-z])")


@dataclass(frozen=True)
class ParsedName:
    """A name taken apart.  ``base``: what is looked up (folded; Japanese without separators,
    words joined by single spaces); ``side``: "right"/"left"/"both"/None as the name says;
    ``region``: the face part named by a word (eye/brow/mouth) or None."""

    raw: str
    base: str
    side: str | None
    number: int | None
    decorated: bool
    combined: bool
    region: str | None
    script: str  # "ja" (has kana/kanji) or "en"


@dataclass(frozen=True)
class NameMatch:
    """What a name proposes: a meaning (``MEANINGS``), how standard the name is, and why."""

    meaning: str
    tier: int
    side: str | None
    number: int | None
    reason: str

    @property
    def targets(self) -> tuple[str, ...]:
        return MEANINGS[self.meaning]


def _strip_brackets(text: str) -> tuple[str, list[str]]:
    inner: list[str] = []

    def keep(m: re.Match[str]) -> str:
        inner.append(m.group(1))
        return " "

    out = _BRACKETED.sub(keep, text)
    out = _UNCLOSED.sub(keep, out)
    if not out.strip(" " + _OPEN + _CLOSE) and inner:  # the whole name was in brackets
        return inner[0], inner[1:]
    return out, inner


def parse_name(name: str) -> ParsedName:
    """Take a morph name apart (see the module doc)."""
    text = unicodedata.normalize("NFKC", name).strip()
    decorated = combined = False
    if _BLENDER_DUP.search(text):
        text = _BLENDER_DUP.sub("", text)
        decorated = True
    combined = "+" in text or "&" in text
    text, inner = _strip_brackets(text)
    if inner:
        decorated = True
        combined = combined or any(fold(w) in fold(s) for s in inner for w in _COMBINED_JA) or any(
            w.casefold() in _COMBINED_WORDS for s in inner for w in _WORD_SPLIT.findall(s))
    if _CJK.search(text):
        return _parse_japanese(name, text, decorated, combined)
    return _parse_words(name, text, decorated, combined)


def _parse_japanese(raw: str, text: str, decorated: bool, combined: bool) -> ParsedName:
    t = fold(text)
    side: str | None = None
    if "左右" in t or "両" in t:
        side, t = "both", t.replace("左右", "").replace("両", "")
    elif "右" in t and "左" not in t:
        side, t = "right", t.replace("右", "")
    elif "左" in t and "右" not in t:
        side, t = "left", t.replace("左", "")
    t = _SEPARATORS.sub(" ", t).strip()
    if side is None:  # まばたきL, ウィンク_R, L_まばたき
        m = _ASCII_SIDE.search(t)
        if m:
            side = "left" if (m.group(1) or m.group(2))[0] == "l" else "right"
            t = (t[: m.start()] + t[m.end():]).strip()
    number = None
    m = re.search(r"(\d+)$", t)
    if m and m.start() > 0:
        number, t = int(m.group(1)), t[: m.start()]
    t = t.replace(" ", "")
    if not t:  # a name that is only decoration: keep what it was
        t = fold(text)
    return ParsedName(raw, t, side, number, decorated, combined, None, "ja")


def _parse_words(raw: str, text: str, decorated: bool, combined: bool) -> ParsedName:
    words = [w.casefold() for w in _WORD_SPLIT.findall(text)]
    side: str | None = None
    region: str | None = None
    number: int | None = None
    rest: list[str] = []
    for w in words:
        if w in _SIDE_WORDS and side is None:
            side = _SIDE_WORDS[w]
        elif w in _CENTRE_WORDS:
            side = side or "centre"
        elif w.isdigit():
            if number is None:
                number = int(w)
        elif w in _COMBINED_WORDS:
            combined = True
        elif w in _NOISE_WORDS:
            continue
        elif w in _REGION_WORDS and region is None:
            region = _REGION_WORDS[w]
        else:
            rest.append(w)
    if side == "centre":
        side = None
    return ParsedName(raw, " ".join(rest), side, number, decorated, combined, region, "en")


def _tier(base: int, parsed: ParsedName, numbered_variant: bool) -> int:
    if parsed.combined:
        return base + COMBINED_TIER
    return base + (DECORATED_TIER if parsed.decorated or numbered_variant else 0)


def _lookup(parsed: ParsedName) -> tuple[str, int, str] | None:
    if parsed.script == "ja":
        ja = _JAPANESE.get(parsed.base)
        return (ja[0], ja[1], f"Japanese name {ja[2]}") if ja else None
    for region in ((parsed.region or ""), ""):
        hit = _WORDS.get((region, parsed.base))
        if hit is None:
            hit = _WORDS.get((region, parsed.base.replace(" ", "")))
        if hit is not None:
            if region == "" and parsed.region and parsed.region != _region_of(hit[0]):
                return None  # "mouth smile" is not an eye smile
            where = f"{parsed.region} " if parsed.region else ""
            return hit[0], hit[1], f"words '{where}{parsed.base}'"
        if not parsed.region:
            break
    return None


def _region_of(meaning: str) -> str:
    return MEANINGS[meaning][0].split("_")[0]


def match_name(name: str, name_en: str = "") -> NameMatch | None:
    """The meaning a morph name proposes, or None.  The English name is a fallback, one tier
    below, used only when the name itself says nothing."""
    for text, extra, label in ((name, 0, ""), (name_en, 1, " (English name)")):
        if not text:
            continue
        parsed = parse_name(text)
        hit = _lookup(parsed)
        if hit is None:
            continue
        meaning, base_tier, why = hit
        # a number on a wink tells which wink it is; on anything else it is a variant
        numbered = parsed.number is not None and parsed.number > 1 and meaning != "wink"
        tier = _tier(base_tier, parsed, numbered) + extra
        if parsed.script == "en" and fold(text) not in _SCHEMES:
            tier += 1
            why += " (ad hoc)"
        bits = [why + label]
        if parsed.side:
            bits.append(f"side marker: {parsed.side}")
        if parsed.number is not None:
            bits.append(f"number {parsed.number}")
        if parsed.combined:
            bits.append("combined expression")
        elif parsed.decorated:
            bits.append("decorated")
        return NameMatch(meaning, tier, parsed.side, parsed.number, ", ".join(bits))
    return None
