"""Source morphs -> target morphs: names propose, the geometry decides.

The two stages of the paper, automated:

1. *Group annotation*: every morph's name is looked up (``names.match_name``) and proposes a
   meaning; the same name proposes the same target in every model.
2. *Individual inspection*, done on the model's own geometry (``geometry``): a "both" candidate
   must move both sides of the face part its target names; a one-sided candidate is placed on
   the side it actually moves, and its shape is compared with the model's own "both" morphs of
   that face part on the same side (the reference, e.g. まばたき and 笑い for a wink), which
   settles what the name cannot (in Gene ウィンク is 笑い on one eye, in Alicia it is まばたき).
   A one-sided morph that equals a reference on one side is a candidate whatever its name
   (Gene's brow_laugh_geo_L is exactly 上 on the left brow).

Per target the candidates are ranked by how well the shape agrees with the reference (exact,
scaled, similar, loose), then by how standard the name is (tier), then by file order, and the
first is proposed, with a confidence and the reasons.  ``inspect`` adds the image checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..pose import TARGET_MORPHS
from .geometry import FIT_CLASSES, Fit, ModelGeometry, MorphShape
from .names import NameMatch, match_name

__all__ = [
    "SIDED_BASES",
    "Candidate",
    "Proposal",
    "Rejection",
    "propose",
    "target_region",
    "target_side",
]

SIDED_BASES = ("eye_close", "eye_smile", "eye_wide", "brow_up", "brow_down", "brow_troubled")
_SUFFIX = {"right": "_right", "left": "_left"}

# confidence before the image checks
_GRADE_CONFIDENCE = {"exact": 0.97, "scaled": 0.93, "similar": 0.85, "loose": 0.65}
_TIER_CONFIDENCE = (0.92, 0.85, 0.75, 0.65, 0.55)
_GRADE_RANK = {g: len(FIT_CLASSES) - k for k, g in enumerate(FIT_CLASSES)}  # exact 4 .. loose 1
UNNAMED_TIER = 5  # a candidate found by its shape alone


def target_region(target: str) -> str:
    """"eye", "brow" or "mouth"."""
    return target.split("_", 1)[0]


def target_side(target: str) -> str | None:
    """"right", "left" or None (a "both" or mouth target)."""
    for side, suffix in _SUFFIX.items():
        if target.endswith(suffix):
            return side
    return None


def _base(target: str) -> str:
    side = target_side(target)
    return target[: -len(_SUFFIX[side])] if side else target


@dataclass
class Candidate:
    """One source morph proposed for one target."""

    target: str
    source: str
    index: int
    tier: int  # how standard its name is (0 = MMD standard; UNNAMED_TIER: found by shape)
    grade: str  # shape agreement with the reference: exact/scaled/similar/loose, or "name"
    reference: str | None  # the "both" morph it was compared with
    cosine: float | None
    reasons: list[str]
    confidence: float

    def sort_key(self) -> tuple:
        return (-_GRADE_RANK.get(self.grade, 0), self.tier, -(self.cosine or 0.0), self.index)

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "grade": self.grade, "tier": self.tier,
                "reference": self.reference,
                "cosine": None if self.cosine is None else round(self.cosine, 4),
                "confidence": round(self.confidence, 3), "reason": "; ".join(self.reasons)}


@dataclass
class Rejection:
    source: str
    target: str
    reason: str


@dataclass
class Proposal:
    """The proposed source morph of one target (None: the model has none), the ranked
    candidates (the first is the proposal) and the morphs whose name fit but shape did not."""

    target: str
    candidates: list[Candidate] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def source(self) -> str | None:
        return self.best.source if self.best else None

    @property
    def confidence(self) -> float:
        return self.best.confidence if self.best else 0.0

    @property
    def reason(self) -> str:
        if self.best:
            return "; ".join(self.best.reasons)
        if self.rejected:
            return "no candidate passed: " + "; ".join(
                f"{r.source}: {r.reason}" for r in self.rejected[:3])
        return "no morph of the model names this target"


def _tier_confidence(tier: int) -> float:
    return _TIER_CONFIDENCE[min(tier, len(_TIER_CONFIDENCE) - 1)]


@dataclass
class _Named:
    index: int
    name: str
    match: NameMatch | None
    shape: MorphShape


def propose(model: Any, geometry: ModelGeometry | None = None) -> dict[str, Proposal]:
    """A proposal for each of the 23 target morphs (``TARGET_MORPHS`` order)."""
    geo = geometry or ModelGeometry(model)
    out = {t: Proposal(t) for t in TARGET_MORPHS}
    morphs = [_Named(mo.index, mo.name, match_name(mo.name, mo.name_en), geo.shape(mo.index))
              for mo in model.morphs]

    # 1. "both" and mouth targets: the name proposes, the geometry vets
    for m in morphs:
        if m.match is None:
            continue
        for base in m.match.targets:
            if m.match.meaning == "wink":
                continue  # a wink is one-sided by meaning
            if base in SIDED_BASES and m.match.side in ("right", "left"):
                continue  # a side candidate (step 2)
            if base in SIDED_BASES and m.shape.side in ("right", "left"):
                out[base].rejected.append(Rejection(
                    m.name, base, f"not symmetric: {m.shape.describe()}; a candidate for "
                                  f"{base}{_SUFFIX[m.shape.side]}"))
                continue
            _consider_both(out[base], m, base)
    for p in out.values():
        p.candidates.sort(key=Candidate.sort_key)
    refs = {b: out[b].best.source for b in SIDED_BASES  # type: ignore[union-attr]
            if out[b].best is not None and geo.shape(out[b].best.index).moves}  # type: ignore

    # 2. side targets: placed by the side they move, shaped like their reference
    for m in morphs:
        side = m.shape.side if m.shape.moves else (m.match.side if m.match else None)
        if side not in ("right", "left"):
            continue
        bases = tuple(b for b in (m.match.targets if m.match else ()) if b in SIDED_BASES)
        if not bases and not m.shape.moves:
            continue
        _consider_side(out, geo, m, side, bases, refs)

    for p in out.values():
        p.candidates.sort(key=Candidate.sort_key)
    return out


def _consider_both(p: Proposal, m: _Named, base: str) -> None:
    assert m.match is not None
    region = target_region(base)
    s = m.shape
    reasons = [m.match.reason]
    confidence = _tier_confidence(m.match.tier)
    if s.moves:
        if s.side != "both":
            p.rejected.append(Rejection(m.name, base, f"not symmetric: {s.describe()}"))
            return
        if s.region is not None and s.region != region:
            p.rejected.append(Rejection(
                m.name, base, f"moves the {s.region}, not the {region}: {s.describe()}"))
            return
        reasons.append(s.describe())
    else:
        reasons.append(f"moves no visible vertex ({s.kind} morph): the image check decides")
        confidence *= 0.6
    p.candidates.append(Candidate(base, m.name, m.index, m.match.tier, "name", None, None,
                                  reasons, confidence))


def _consider_side(out: dict[str, Proposal], geo: ModelGeometry, m: _Named, side: str,
                   named: tuple[str, ...], refs: dict[str, str]) -> None:
    s = m.shape
    # every base it could be: what the name says, and any reference it is a twin of
    fits: dict[str, Fit] = {}
    for base, ref in refs.items():
        if s.moves and (s.region is None or geo.shape(ref).region == s.region):
            fits[base] = geo.fit(m.index, ref)
    twins = [b for b, f in fits.items() if f.grade in ("exact", "scaled") and b not in named]
    bases = named + tuple(twins)
    if not bases:
        return
    if s.moves and s.region is not None:
        wrong = [b for b in named if target_region(b) != s.region]
        for b in wrong:
            out[b + _SUFFIX[side]].rejected.append(Rejection(
                m.name, b + _SUFFIX[side],
                f"moves the {s.region}, not the {target_region(b)}: {s.describe()}"))
        bases = tuple(b for b in bases if b not in wrong)
        if not bases:
            return

    chosen, why = _choose_base(m, bases, fits, refs)
    if chosen is None:
        for b in named:
            out[b + _SUFFIX[side]].rejected.append(Rejection(m.name, b + _SUFFIX[side], why))
        return
    base = chosen
    target = base + _SUFFIX[side]
    fit = fits.get(base)
    grade = fit.grade if fit is not None else "name"
    tier = m.match.tier if (m.match and base in m.match.targets) else UNNAMED_TIER
    reasons = [m.match.reason] if (m.match and base in m.match.targets) else [
        "found by its shape"]
    reasons.append(why)
    if fit is not None:
        if grade is None:
            out[target].rejected.append(Rejection(m.name, target, why))
            return
        confidence = _GRADE_CONFIDENCE[grade] - 0.02 * min(tier, UNNAMED_TIER)
    else:
        confidence = _tier_confidence(tier) * (1.0 if s.moves else 0.6)
        if not s.moves:
            reasons.append(f"moves no visible vertex ({s.kind} morph): the image check decides")
    if s.moves:
        reasons.append(s.describe())
    if m.match and m.match.side in ("right", "left") and m.match.side != side:
        reasons.append(f"named {m.match.side} but acts on the {side}")
        confidence *= 0.8
        tier += 1
    out[target].candidates.append(Candidate(
        target, m.name, m.index, tier, grade if grade else "name", refs.get(base),
        None if fit is None else fit.cosine, reasons, max(0.01, min(0.99, confidence))))


def _choose_base(m: _Named, bases: tuple[str, ...], fits: dict[str, Fit],
                 refs: dict[str, str]) -> tuple[str | None, str]:
    """Which base target a one-sided morph is, and why."""
    graded = {b: fits[b] for b in bases if b in fits}
    if graded:
        best = max(graded, key=lambda b: (_GRADE_RANK.get(graded[b].grade or "", 0),
                                          graded[b].cosine))
        f = graded[best]
        others = ", ".join(f"{refs[b]} {graded[b].cosine:.3f}" for b in graded if b != best)
        vs = f" (vs {others})" if others else ""
        if f.grade in ("exact", "scaled"):
            what = "equals" if f.grade == "exact" else f"is {f.scale:.2f} x"
            return best, f"{what} {refs[best]} on that side (cosine {f.cosine:.3f}){vs}"
        ungraded = [b for b in bases if b not in graded]
        if f.grade is None:
            if ungraded:  # not like the references it has: the one without a reference
                return _by_name(m, tuple(ungraded),
                                f"unlike {refs[best]} (cosine {f.cosine:.3f})")
            return None, f"shape unlike {refs[best]} on that side (cosine {f.cosine:.3f})"
        if ungraded:  # similar to one reference, the other target has none: the name decides
            return _by_name(m, bases, f"{f.grade} to {refs[best]} (cosine {f.cosine:.3f})")
        return best, f"closest to {refs[best]} (cosine {f.cosine:.3f}){vs}"
    return _by_name(m, bases, "no reference morph to compare with")


def _by_name(m: _Named, bases: tuple[str, ...], why: str) -> tuple[str | None, str]:
    if len(bases) == 1:
        return bases[0], why
    if m.match is not None and m.match.meaning == "wink":
        # the common convention (pose.STANDARD_SOURCE_NAMES): ウィンク smiles, ウィンク２ closes
        base = "eye_close" if (m.match.number or 1) >= 2 else "eye_smile"
        if base in bases:
            return base, f"{why}; by the common convention a wink{m.match.number or ''} is " \
                         f"{'plain' if base == 'eye_close' else 'smiling'}"
    return bases[0], why

