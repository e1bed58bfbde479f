"""A small collection of models for the annotation tool's tests: two sample characters, one
edited to lack its one-sided brow morphs, and a broken file."""

from __future__ import annotations

from pathlib import Path

from _annotate_models import edited_sample, morph
from animeceleb.sample.cache import write_sample

SAMPLE_KEY = "sample0/animeceleb_sample_0.pmx"
EDITED_KEY = "sample1/animeceleb_sample_1.pmx"
BROKEN_KEY = "broken/broken.pmx"


def _no_side_brows(spec: dict) -> None:
    for name in ("上右", "上左"):
        m = morph(spec, name)
        m["name"], m["name_en"] = f"髪{name}", ""  # a name of nothing, moving nothing
        m["offsets"]["items"] = []


def make_collection(root: Path) -> Path:
    write_sample(0, root / "sample0")
    edited_sample(root / "sample1", _no_side_brows, variant=1)
    (root / "broken").mkdir(parents=True)
    (root / "broken" / "broken.pmx").write_bytes(b"PMX \x00\x00\x00@not a model")
    return root
