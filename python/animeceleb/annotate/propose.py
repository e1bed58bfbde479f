"""The annotation of one model: what the renderer consumes, and the full record behind it.

``propose_annotation(model)`` gives ``{target morph: source morph name or None}`` for the 23
targets, exactly the ``annotation`` that ``Renderer.render`` and ``pose.realize`` take.  Without
a renderer it uses names and geometry (fast, no GPU); with one (``inspect=True`` or a
``renderer``/``inspector``) every proposal is also rendered and checked, and a flagged candidate
gives way to the next one that passes, as a person inspecting the images would decide; when
every candidate fails (a morph that changes nothing, or the wrong side), the target has none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from ..pose import TARGET_MORPHS
from .geometry import ModelGeometry
from .inspect import Inspection, Inspector
from .matcher import Candidate, Proposal, propose

__all__ = ["DECIDER", "Assignment", "annotate_model", "propose_annotation"]

DECIDER = f"animeceleb {__version__} matcher"
MAX_TRIED = 3  # candidates inspected per target before settling for the best flagged one


@dataclass
class Assignment:
    """The proposed source of one target, how sure, why, and the alternatives."""

    target: str
    source: str | None
    confidence: float
    reason: str
    flags: list[str] = field(default_factory=list)
    candidates: list[dict[str, Any]] = field(default_factory=list)  # ranked, with inspections
    rejected: list[dict[str, str]] = field(default_factory=list)
    inspected: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "confidence": round(self.confidence, 3),
            "reason": self.reason,
            "flags": self.flags,
            "inspected": self.inspected,
            "candidates": self.candidates,
            "rejected": self.rejected,
            "by": DECIDER + (" + image inspection" if self.inspected else ""),
        }


def _assignment(p: Proposal, inspections: dict[str, Inspection] | None) -> Assignment:
    cands: list[tuple[Candidate, Inspection | None]] = [
        (c, inspections.get(c.source) if inspections else None) for c in p.candidates]
    chosen: tuple[Candidate, Inspection | None] | None = None
    if cands:
        if inspections is None:
            chosen = cands[0]
        else:
            tried = [(c, i) for c, i in cands if i is not None]
            clean = [(c, i) for c, i in tried if not i.flags]
            chosen = clean[0] if clean else None  # the first that passes
    rows = []
    for c, i in cands:
        row = c.to_json()
        if i is not None:
            row["inspection"] = i.to_json()
        rows.append(row)
    rejected = [{"source": r.source, "reason": r.reason} for r in p.rejected]
    if chosen is None:
        if not cands:
            return Assignment(p.target, None, 0.0, p.reason, [], rows, rejected,
                              inspections is not None)
        # every candidate tried failed the image check: none can realise the target
        c, i = cands[0]
        assert i is not None
        return Assignment(p.target, None, 0.0,
                          "every candidate failed the image check: " + "; ".join(
                              f"{c.source}: {i.describe()}" for c, i in cands if i is not None),
                          list(i.flags), rows, rejected, True)
    c, i = chosen
    reason = "; ".join(c.reasons)
    conf = c.confidence
    flags: list[str] = []
    if i is not None:
        conf *= i.factor
        flags = list(i.flags)
        reason += "; image: " + i.describe()
        first = cands[0][0]
        if c is not first:
            reason += f"; chosen over {first.source}, which the image check flagged"
    return Assignment(p.target, c.source, round(conf, 4), reason, flags, rows, rejected,
                      inspections is not None)


def annotate_model(model: Any, inspector: Inspector | None = None,
                   geometry: ModelGeometry | None = None) -> dict[str, Assignment]:
    """The 23 assignments of a model (``TARGET_MORPHS`` order); inspected when an
    ``inspector`` is given."""
    proposals = propose(model, geometry)
    inspections: dict[str, dict[str, Inspection]] = {}
    if inspector is not None:
        # round k inspects the k-th candidate of the targets whose earlier ones were flagged
        open_targets = [t for t, p in proposals.items() if p.candidates]
        for k in range(MAX_TRIED):
            pairs = [(t, proposals[t].candidates[k].source) for t in open_targets
                     if k < len(proposals[t].candidates)]
            if not pairs:
                break
            for (t, s), ins in zip(pairs, inspector.inspect(model, pairs), strict=True):
                inspections.setdefault(t, {})[s] = ins
            open_targets = [t for t, _ in pairs if inspections[t][_].flags]
    return {t: _assignment(proposals[t], inspections.get(t, {}) if inspector else None)
            for t in TARGET_MORPHS}


def propose_annotation(model: Any, inspect: bool = False, renderer: Any = None,
                       inspector: Inspector | None = None) -> dict[str, str | None]:
    """``{target morph: source morph name or None}`` for the 23 targets, ready for
    ``Renderer.render(..., annotation=...)``.  ``inspect`` (or a ``renderer``/``inspector``)
    adds the image checks."""
    if inspector is None and (inspect or renderer is not None):
        inspector = Inspector(renderer)
    return {t: a.source for t, a in annotate_model(model, inspector).items()}
