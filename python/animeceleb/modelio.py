"""Writing models described as plain data (the JSON layout of the Rust core's
`Model`) to PMX with the core's writer."""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from animeceleb import _core


def _plain(value: Any) -> Any:
    """numpy arrays and scalars → lists and Python numbers, for json."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def model_json(spec: dict[str, Any]) -> str:
    """The JSON text for a model description (numpy arrays allowed inside)."""
    return json.dumps(spec, default=_plain, ensure_ascii=False)


def write_model(spec: dict[str, Any] | _core.Model, path: str | os.PathLike[str]) -> None:
    """Write a model (a `Model`, or a dict in the core's JSON layout) as PMX."""
    if isinstance(spec, _core.Model):
        spec.save(path)
    else:
        _core.write_model_json(model_json(spec), path)
