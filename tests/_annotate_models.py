"""Models built on purpose for the annotation tests: the sample character written by the
project's writer, with its morphs renamed, moved or emptied."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import animeceleb as ac
from animeceleb.sample.cache import write_sample

Spec = dict[str, Any]


def morph(spec: Spec, name: str) -> dict[str, Any]:
    return next(m for m in spec["morphs"] if m["name"] == name)


def rename(spec: Spec, old: str, new: str) -> None:
    morph(spec, old)["name"] = new


def swap_names(spec: Spec, a: str, b: str) -> None:
    ma, mb = morph(spec, a), morph(spec, b)
    ma["name"], mb["name"] = b, a


def add_copy(spec: Spec, source: str, name: str, scale: float = 1.0) -> None:
    """A new vertex morph ``name`` with ``source``'s offsets times ``scale``."""
    m = json.loads(json.dumps(morph(spec, source)))
    m["name"], m["name_en"] = name, ""
    for item in m["offsets"]["items"]:
        item["offset"] = [v * scale for v in item["offset"]]
    spec["morphs"].append(m)


def edited_sample(directory: Path, edit: Callable[[Spec], None], variant: int = 0) -> Path:
    """Write the sample character (with textures) into ``directory``, apply ``edit`` to its
    JSON layout, and write the PMX again; returns the PMX path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = write_sample(variant, directory)
    spec = json.loads(ac.load_model(path).to_json())
    edit(spec)
    ac.write_model(spec, path)
    return path
