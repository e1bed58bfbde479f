"""Automatic inspection: render the neutral face and the face with a source morph at 1.0, and
measure where the image changes, as the person in the paper's second stage looked.

Flags (each lowers the confidence of an assignment):

- ``no_change``: (almost) no pixel changes; the morph does nothing one can see;
- ``wrong_region``: most of the change lies outside the target's part of the face (a mouth
  target whose change is around the eyes);
- ``wrong_side``: a right/left target whose change lies mostly on the other side (the
  character's right is the image's left).

Positions in the image are measured from the projected eye bones: the eye line, the midline
and the eye span (pixels), so the bands mean the same on every model.  Images are drawn in the
flat style (S3: albedo, no lighting or outline), where only what the morph moves changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .geometry import landmarks
from .matcher import target_region, target_side

__all__ = [
    "FLAG_PENALTY",
    "IMAGE_BANDS",
    "ImageLandmarks",
    "Inspection",
    "Inspector",
    "changed_pixels",
]

CHANGE_THRESHOLD = 24  # a pixel changed when some channel moved by more than this (of 255)
MIN_CHANGED_AT_256 = 10  # fewer changed pixels than this (at 256 x 256) is no change
SIDE_SHARE = 0.6  # a side target needs at least this share of its change on its side
REGION_SHARE = 0.5  # ... and this share inside its face part's band
# Bands of the face parts in the image, eye spans above the eye line (generous and overlapping:
# pixels, not vertex centroids; brows show through hair, eyelids reach up).
IMAGE_BANDS: dict[str, tuple[float, float]] = {
    "brow": (0.25, 2.0),
    "eye": (-0.6, 0.6),
    "mouth": (-3.0, -0.4),
}
FLAG_PENALTY = {"no_change": 0.05, "wrong_region": 0.3, "wrong_side": 0.15}
STYLE = "S3"


def changed_pixels(neutral: np.ndarray, image: np.ndarray,
                   threshold: int = CHANGE_THRESHOLD) -> np.ndarray:
    """(H,W) bool: pixels whose colour or alpha changed by more than ``threshold``."""
    diff = np.abs(neutral.astype(np.int16) - image.astype(np.int16))
    return np.asarray((diff > threshold).any(axis=-1))


@dataclass(frozen=True)
class ImageLandmarks:
    """The face in the image: midline column, eye row and eye span, in pixels."""

    mid_col: float
    eye_row: float | None
    eye_span: float | None

    def height(self, rows: np.ndarray) -> np.ndarray | None:
        if self.eye_row is None or not self.eye_span:
            return None
        return (self.eye_row - rows) / self.eye_span


@dataclass(frozen=True)
class Inspection:
    """Where one morph changes the image."""

    target: str
    source: str
    changed: int  # changed pixels
    centroid: tuple[float, float] | None  # (column, row)
    right_share: float  # share of the change on the character's right (image left)
    region_share: float | None  # share inside the target's band (None: no eye landmarks)
    flags: tuple[str, ...]

    @property
    def factor(self) -> float:
        """What the flags multiply the confidence by."""
        f = 1.0
        for flag in self.flags:
            f *= FLAG_PENALTY[flag]
        return f

    def describe(self) -> str:
        if not self.changed:
            return "the image does not change"
        bits = [f"{self.changed} pixels change"]
        if target_side(self.target):
            bits.append(f"{100 * self.right_share:.0f}% on the character's right")
        if self.region_share is not None:
            bits.append(f"{100 * self.region_share:.0f}% in the {target_region(self.target)} band")
        if self.flags:
            bits.append("flags: " + ", ".join(self.flags))
        return ", ".join(bits)

    def to_json(self) -> dict[str, Any]:
        return {
            "changed": self.changed,
            "centroid": None if self.centroid is None else [round(v, 1) for v in self.centroid],
            "right_share": round(self.right_share, 3),
            "region_share": None if self.region_share is None else round(self.region_share, 3),
            "flags": list(self.flags),
        }


def measure(target: str, source: str, neutral: np.ndarray, image: np.ndarray,
            marks: ImageLandmarks) -> Inspection:
    """Inspect one rendered morph against the neutral image."""
    mask = changed_pixels(neutral, image)
    rows, cols = np.nonzero(mask)
    n = len(rows)
    size = neutral.shape[0]
    flags: list[str] = []
    if n < max(3, MIN_CHANGED_AT_256 * (size / 256.0) ** 2):
        return Inspection(target, source, n, None, 0.5, None, ("no_change",))
    centroid = (float(cols.mean()), float(rows.mean()))
    right = int((cols < marks.mid_col - 0.5).sum())
    left = int((cols > marks.mid_col + 0.5).sum())
    right_share = right / (right + left) if right + left else 0.5
    side = target_side(target)
    if side is not None:
        share = right_share if side == "right" else 1.0 - right_share
        if share < SIDE_SHARE:
            flags.append("wrong_side")
    region_share = None
    heights = marks.height(rows.astype(np.float64))
    if heights is not None:
        lo, hi = IMAGE_BANDS[target_region(target)]
        region_share = float(((heights > lo) & (heights <= hi)).mean())
        if region_share < REGION_SHARE:
            flags.append("wrong_region")
    return Inspection(target, source, n, centroid, right_share, region_share, tuple(flags))


class Inspector:
    """Renders and inspects morphs; keeps the images of the last few models (thread-safe).

    ``renderer``: an ``animeceleb.Renderer`` (None: one is made, 256 px, on first use)."""

    def __init__(self, renderer: Any = None, size: int = 256, max_models: int = 4) -> None:
        self._renderer = renderer
        self.size = renderer.size if renderer is not None else int(size)
        self._lock = threading.RLock()
        self._cache: OrderedDict[int, tuple[Any, dict[int, np.ndarray], ImageLandmarks]] = (
            OrderedDict())
        self.max_models = max_models

    @property
    def renderer(self) -> Any:
        if self._renderer is None:
            from ..render import Renderer

            self._renderer = Renderer(size=self.size)
        return self._renderer

    def _entry(self, model: Any) -> tuple[Any, dict[int, np.ndarray], ImageLandmarks]:
        key = id(model)
        entry = self._cache.get(key)
        if entry is None or entry[0] is not model:
            entry = (model, {}, self._landmarks(model))
            self._cache[key] = entry
            while len(self._cache) > self.max_models:
                self._cache.popitem(last=False)
        self._cache.move_to_end(key)
        return entry

    def _landmarks(self, model: Any) -> ImageLandmarks:
        marks = landmarks(model)
        cam = self.renderer.camera(model)
        y = marks.eye_y if marks.eye_y is not None else 0.0
        p = cam.project(np.array([[marks.mid_x, y, 0.0],
                                  [marks.mid_x + (marks.eye_span or 0.0), y, 0.0]]), self.size)
        if not marks.has_eyes:
            return ImageLandmarks(float(p[0, 0]), None, None)
        return ImageLandmarks(float(p[0, 0]), float(p[0, 1]), float(p[1, 0] - p[0, 0]))

    def landmarks(self, model: Any) -> ImageLandmarks:
        with self._lock:
            return self._entry(model)[2]

    def images(self, model: Any, morphs: Iterable[int | str | None]) -> list[np.ndarray]:
        """(size, size, 4) images: None is the neutral face, a name or index that morph at
        1.0 (rendered once per model and kept)."""
        keys = [None if m is None else (m if isinstance(m, int) else model.morph_index(m))
                for m in morphs]
        for m, k in zip(morphs, keys, strict=True):
            if m is not None and (k is None or not 0 <= k < len(model.morphs)):
                raise KeyError(f"the model has no morph {m!r}")
        with self._lock:
            _, cache, _ = self._entry(model)
            todo = sorted({-1 if k is None else k for k in keys} - set(cache))
            if todo:
                poser = model.poser()
                frames: list[Any] = []
                for k in todo:
                    if k < 0:
                        frames.append(None)
                        continue
                    poser.reset()
                    poser.set_morph(k, 1.0)
                    frames.append(self.renderer.posed_frame(model, poser.evaluate(), 0.0))
                for k, img in zip(todo, self.renderer.render_frames(model, frames, STYLE),
                                  strict=True):
                    cache[k] = img
            return [cache[-1 if k is None else k] for k in keys]

    def inspect(self, model: Any, pairs: Sequence[tuple[str, str]]) -> list[Inspection]:
        """Inspect (target, source morph name) pairs of one model."""
        imgs = self.images(model, [None, *[s for _, s in pairs]])
        marks = self.landmarks(model)
        return [measure(t, s, imgs[0], img, marks)
                for (t, s), img in zip(pairs, imgs[1:], strict=True)]
