"""The built-in sample character: a procedurally built anime head and shoulders.

``sample_model_path(variant)`` gives a PMX file (built and cached on first
use); ``build_model(variant)`` the same model as a dict in the JSON layout of
the Rust core's ``Model``. Variants differ in hair colour, eye colour and hair
shape. Modules, one concept each:

- ``head``: skull and face surface, how features sit on it
- ``eyes``, ``brows``, ``mouth``, ``hair``, ``body``: the parts and their shapes
- ``skeleton``: bones; ``morphs``: facial morph names, panels and sides
- ``textures``: generated textures and toon ramp; ``variants``: seeded variations
- ``mesh``: shared helpers (and the winding convention); ``model``: assembly;
  ``cache``: writing and caching the PMX
"""

from __future__ import annotations

from .cache import GENERATOR_VERSION, cache_root, sample_model_path, write_sample
from .model import Built, build
from .morphs import MORPH_NAMES, MORPHS
from .variants import Variant, variant


def build_model(variant: int = 0) -> dict:
    """The sample character as a dict in the serde layout of ``pmx_core::model::Model``."""
    return build(variant).model


__all__ = [
    "GENERATOR_VERSION",
    "MORPHS",
    "MORPH_NAMES",
    "Built",
    "Variant",
    "build",
    "build_model",
    "cache_root",
    "sample_model_path",
    "variant",
    "write_sample",
]
