"""Shared fixtures. Real models come from ANIMECELEB_TEST_MODELS (default tests/models, shipped
with the repository); a missing folder is an error, never a skip."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def models_dir() -> Path:
    path = Path(os.environ.get("ANIMECELEB_TEST_MODELS", ROOT / "tests" / "models"))
    if not path.is_dir():
        raise RuntimeError(f"test models folder {path} is missing (set ANIMECELEB_TEST_MODELS)")
    return path


def shared_models() -> list[tuple[str, Path, dict[str, Any]]]:
    """(name, model file, reference facts) for every shared model."""
    out = []
    for ref in sorted(models_dir().glob("*/reference.json")):
        facts = json.loads(ref.read_text(encoding="utf-8"))
        out.append((ref.parent.name, ref.parent / facts["model"], facts))
    if not out:
        raise RuntimeError(f"no */reference.json under {models_dir()}")
    return out


SHARED = shared_models()


@pytest.fixture(params=SHARED, ids=[name for name, _, _ in SHARED])
def shared_model(request: pytest.FixtureRequest) -> tuple[Path, dict[str, Any]]:
    _, path, facts = request.param
    return path, facts
