"""The annotation a model is rendered with: the store's when it is current, else proposed.

Shared by ``animeceleb generate`` and ``animeceleb serve``, which read a collection's store but
never write it.  The store's proposals count only when they were made from the same file
(sha256); people's decisions always win, also over fresh proposals for a changed file, as they
do in the annotation tool.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .propose import propose_annotation
from .store import AnnotationStore

__all__ = ["resolve_annotation"]


def resolve_annotation(store: AnnotationStore | None, key: str, model: Any,
                       sha256: str | None = None, inspect: bool = False,
                       log: Callable[[str], None] | None = None
                       ) -> tuple[dict[str, str | None], str]:
    """``({target: source or None}, origin)``; origin is "store", or "proposed" with
    " + inspected" (image checks ran) and " + decisions" (the store's decisions applied)."""
    rec = None
    if store is not None and store.path.is_file():
        rec = store.model(key)
        if rec["proposals"].get("targets"):
            if sha256 is None or rec["file"].get("sha256") in (None, sha256):
                return store.annotation(key), "store"
            if log is not None:
                log(f"{key}: the annotation store's proposals are of another version of the "
                    "file; proposing anew")
    annotation = dict(propose_annotation(model, inspect=inspect))
    origin = "proposed" + (" + inspected" if inspect else "")
    decisions = rec["decisions"] if rec is not None else {}
    for target, d in decisions.items():
        if target in annotation:
            annotation[target] = d.get("source") if d.get("status") != "rejected" else None
    return annotation, origin + (" + decisions" if decisions else "")
