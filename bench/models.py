"""The models the benches run on: the shared real models (the folder the
tests use, env ANIMECELEB_TEST_MODELS) and the built-in sample character."""

from __future__ import annotations

import json
import os
from pathlib import Path

from animeceleb.sample import sample_model_path

ROOT = Path(__file__).resolve().parent.parent


def bench_models() -> list[tuple[str, Path]]:
    """(name, file) for every shared model, then the sample character."""
    folder = Path(os.environ.get("ANIMECELEB_TEST_MODELS", ROOT / "tests" / "models"))
    refs = sorted(folder.glob("*/reference.json"))
    if not refs:
        raise SystemExit(f"no shared models under {folder} (set ANIMECELEB_TEST_MODELS)")
    models = [(r.parent.name, r.parent / json.loads(r.read_text("utf-8"))["model"]) for r in refs]
    return [*models, ("sample", sample_model_path(0))]
