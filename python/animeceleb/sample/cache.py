"""Writing a sample character to disk once, and finding it again.

``sample_model_path(n)`` builds variant ``n`` on first use into the cache
directory (``$ANIMECELEB_CACHE``, else ``~/.cache/animeceleb``) under a folder
named by the generator version and the variant, so a new generator never
reuses an old file. The PMX is written by the Rust core's writer
(``animeceleb._core.write_model_json``) with its textures beside it. The
folder is filled under a temporary name and renamed into place, so a
half-written sample is never seen, and two processes racing to build it
both end up with the same complete folder. Output is deterministic: the
same generator version and variant give the same bytes.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from ..png import png_bytes

# Bump whenever the generated geometry, textures or names change.
GENERATOR_VERSION = 4


def cache_root() -> Path:
    env = os.environ.get("ANIMECELEB_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "animeceleb"


def pmx_name(n: int) -> str:
    return f"animeceleb_sample_{n}.pmx"


def model_json(model: dict) -> str:
    """Compact, deterministic JSON for the core's ``Model`` deserializer."""
    return json.dumps(model, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def write_png(path: Path, image: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(image))


def write_sample(n: int, directory: str | os.PathLike[str]) -> Path:
    """Build variant ``n``; write its PMX and textures into ``directory``; return the PMX path."""
    from animeceleb import _core

    from .model import build

    built = build(n)
    d = Path(directory)
    for rel, image in built.textures.items():
        write_png(d / rel, image)
    path = d / pmx_name(n)
    _core.write_model_json(model_json(built.model), str(path))
    return path


def sample_model_path(variant: int = 0) -> Path:
    """Path of the sample character's PMX for ``variant``, building it on first use."""
    n = int(variant)
    if n < 0:
        raise ValueError(f"variant must be >= 0, got {variant}")
    parent = cache_root() / f"sample-v{GENERATOR_VERSION}"
    final = parent / f"variant-{n}"
    path = final / pmx_name(n)
    if path.is_file():
        return path
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".variant-{n}-", dir=parent))
    try:
        write_sample(n, tmp)
        try:
            os.rename(tmp, final)
        except OSError:
            if not path.is_file():  # not a lost race: a real failure
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return path
