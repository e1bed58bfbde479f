"""Semantic annotation: each model's own facial morphs -> the 23 target morphs (DESIGN.md).

- ``names``: normalisation and the dictionary of the names real models use;
- ``geometry``: what a morph moves (side, face part) and how its shape compares with another's;
- ``matcher``: names propose candidates, the geometry decides (``propose``);
- ``inspect``: rendered neutral vs morph images, flags and confidence;
- ``propose``: ``propose_annotation(model)``, the annotation the renderer consumes;
- ``store``: the per-collection annotation file (proposals, and people's decisions);
- ``collection``, ``report``, ``web``, ``cli``: the folder of models, its report, the page.
"""

from .collection import Collection, find_models
from .geometry import ModelGeometry
from .inspect import Inspection, Inspector
from .matcher import Candidate, Proposal, propose
from .names import NameMatch, match_name, parse_name
from .propose import Assignment, annotate_model, propose_annotation
from .report import write_report
from .resolve import resolve_annotation
from .store import AnnotationStore, AnnotationStoreError

__all__ = [
    "AnnotationStore",
    "AnnotationStoreError",
    "Assignment",
    "Candidate",
    "Collection",
    "Inspection",
    "Inspector",
    "ModelGeometry",
    "NameMatch",
    "Proposal",
    "annotate_model",
    "find_models",
    "match_name",
    "parse_name",
    "propose",
    "propose_annotation",
    "resolve_annotation",
    "write_report",
]
