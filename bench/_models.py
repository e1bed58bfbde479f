"""Models the render benchmarks and the contact sheet use: the sample character and the shared
models (``ANIMECELEB_TEST_MODELS``, default tests/models), else the synthetic test head."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("ANIMECELEB_TEST_MODELS", ROOT / "tests" / "models"))


def find_models(include_synthetic: bool = False) -> list[tuple[str, object]]:
    """[(label, model)], loaded with ``animeceleb.load_model``."""
    out: list[tuple[str, object]] = []
    try:
        import animeceleb as ac

        load = ac.load_model
    except (ImportError, AttributeError):
        print("animeceleb.load_model unavailable (native module not built): synthetic only")
        load = None
    if load is not None:
        from animeceleb.sample import sample_model_path

        out.append(("sample", load(str(sample_model_path()))))
        for path in sorted(SHARED.glob("*/*.pmx")) + sorted(SHARED.glob("*/*.pmd")):
            out.append((path.parent.name, load(str(path))))
    if include_synthetic or not out:
        sys.path.insert(0, str(ROOT / "tests"))
        import tempfile

        from _synthetic_head import make_model

        out.append(("synthetic", make_model(Path(tempfile.mkdtemp(prefix="ac-synthetic-")))))
    return out
