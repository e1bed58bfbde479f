"""A report per collection: per-model coverage of the 23 target morphs, and the two histograms
of the paper's Fig. 5 (source morphs per model; target morphs per model) as PNG plots.

Source morphs are a model's morphs in MMD's face panels (eyebrow, eye, mouth, other: panels
1-4; panel 0 holds none in practice).  Target morphs covered are those with a source in the
effective annotation (decisions over proposals).

Files written: ``coverage.csv`` (one row per model: counts, then the source of each target),
``report.md`` (a summary and the coverage table), ``source_morphs.png``, ``target_morphs.png``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import _core
from ..pose import TARGET_MORPHS
from .collection import Collection

__all__ = ["ModelCoverage", "histogram_png", "write_report"]

FACE_PANELS = (1, 2, 3, 4)


@dataclass(frozen=True)
class ModelCoverage:
    key: str
    name: str
    source_morphs: int
    annotation: dict[str, str | None]
    decided: int

    @property
    def target_morphs(self) -> int:
        return sum(1 for v in self.annotation.values() if v)


def _coverage(c: Collection, key: str) -> ModelCoverage:
    model = c.load(key)
    rec = c.store.model(key)
    return ModelCoverage(key, model.name,
                         sum(1 for m in model.morphs if m.panel in FACE_PANELS),
                         c.store.annotation(key), len(rec["decisions"]))


def _nice_step(span: float, bins: int) -> int:
    raw = max(1.0, span / bins)
    mag = 10 ** math.floor(math.log10(raw))
    return int(next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw))


def histogram_png(values: Sequence[int], path: str | Path, title: str, xlabel: str,
                  bin_width: int | None = None, lo: int | None = None,
                  hi: int | None = None) -> list[tuple[int, int, int]]:
    """Draw a histogram of integer ``values`` as a PNG; returns the bins (start, end, count),
    end exclusive."""
    from PIL import Image, ImageDraw, ImageFont

    lo = min(values, default=0) if lo is None else lo
    hi = max(values, default=0) if hi is None else hi
    width = bin_width or _nice_step(hi - lo + 1, 12)
    start = lo - lo % width
    edges = list(range(start, hi + width + 1, width))
    bins = [(a, b, sum(1 for v in values if a <= v < b))
            for a, b in zip(edges, edges[1:], strict=False)]
    w, h, left, right, top, bottom = 760, 440, 70, 20, 50, 70
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=14)
    small = ImageFont.load_default(size=11)
    d.text((w / 2, 18), title, fill="black", font=font, anchor="mm")
    d.text((w / 2, h - 18), xlabel, fill="black", font=font, anchor="mm")
    d.text((left, top - 10), "models", fill="black", font=small, anchor="mb")
    peak = max((n for _, _, n in bins), default=0) or 1
    plot_w, plot_h = w - left - right, h - top - bottom
    d.line([(left, top), (left, h - bottom), (w - right, h - bottom)], fill="black")
    ystep = _nice_step(peak, 5)
    for y in range(0, peak + 1, ystep):
        py = h - bottom - plot_h * y / peak
        d.line([(left - 4, py), (left, py)], fill="black")
        d.text((left - 8, py), str(y), fill="black", font=small, anchor="rm")
    bw = plot_w / max(len(bins), 1)
    for k, (a, b, n) in enumerate(bins):
        x0 = left + k * bw
        if n:
            d.rectangle([x0 + 1, h - bottom - plot_h * n / peak, x0 + bw - 1, h - bottom],
                        fill=(70, 110, 200), outline=(40, 60, 120))
            d.text((x0 + bw / 2, h - bottom - plot_h * n / peak - 8), str(n), fill="black",
                   font=small, anchor="mm")
        label = str(a) if b - a == 1 else f"{a}-{b - 1}"
        if len(bins) <= 16 or k % max(1, len(bins) // 12) == 0:
            d.text((x0 + bw / 2, h - bottom + 12), label, fill="black", font=small, anchor="mm")
    img.save(path)
    return bins


def write_report(collection: Collection, out_dir: str | Path, propose_missing: bool = True,
                 inspect: bool = True, progress: bool = True) -> dict[str, Any]:
    """Write the report of a collection into ``out_dir`` (proposing first for models without
    proposals, unless ``propose_missing`` is false); returns a summary."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    failed: dict[str, str] = {}
    if propose_missing:
        failed = collection.propose_all(inspect=inspect, progress=progress)
    rows: list[ModelCoverage] = []
    for key in collection.keys:
        if key in failed:
            continue
        try:
            rows.append(_coverage(collection, key))
        except (_core.PmxError, OSError) as e:
            failed[key] = str(e)

    with open(out / "coverage.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["model", "name", "source_morphs", "target_morphs", "decided",
                    *TARGET_MORPHS])
        for r in rows:
            w.writerow([r.key, r.name, r.source_morphs, r.target_morphs, r.decided,
                        *[r.annotation[t] or "" for t in TARGET_MORPHS]])

    src = [r.source_morphs for r in rows]
    tgt = [r.target_morphs for r in rows]
    histogram_png(src, out / "source_morphs.png", "Source morphs per model",
                  "source morphs (face panels)")
    histogram_png(tgt, out / "target_morphs.png", "Target morphs per model",
                  "target morphs with a source (of 23)", bin_width=1, lo=0,
                  hi=len(TARGET_MORPHS))
    per_target = {t: sum(1 for r in rows if r.annotation[t]) for t in TARGET_MORPHS}

    lines = [f"# Annotation report: {collection.root}", "",
             f"{len(rows)} models; store `{collection.store.path}`.", "",
             "![source morphs per model](source_morphs.png)",
             "![target morphs per model](target_morphs.png)", "",
             "## Coverage per model", "",
             "| model | source morphs | target morphs | decided | missing targets |",
             "|---|---:|---:|---:|---|"]
    for r in rows:
        missing = ", ".join(t for t in TARGET_MORPHS if not r.annotation[t]) or "none"
        lines.append(f"| {r.key} | {r.source_morphs} | {r.target_morphs} | {r.decided} "
                     f"| {missing} |")
    lines += ["", "## Models per target", "", "| target | models |", "|---|---:|"]
    lines += [f"| {t} | {n} |" for t, n in per_target.items()]
    if failed:
        lines += ["", "## Not loaded", ""] + [f"- {k}: {e}" for k, e in failed.items()]
    (out / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"models": len(rows), "failed": failed, "per_target": per_target,
            "coverage": {r.key: r.target_morphs for r in rows},
            "source_morphs": {r.key: r.source_morphs for r in rows}}
