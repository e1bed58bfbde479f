"""animeceleb: labelled anime-face images from MikuMikuDance models.

The public surface (see DESIGN.md); everything here is re-exported from the
modules that implement it.
"""

from animeceleb._core import (
    Bone,
    DisplayFrame,
    Joint,
    Material,
    Model,
    Morph,
    PmxError,
    Posed,
    Poser,
    RigidBody,
    SoftBody,
    __version__,
    head_rotation,
    load_model,
    model_from_json,
    parse_bytes,
)
from animeceleb.modelio import write_model

__all__ = [
    "Bone",
    "DisplayFrame",
    "Joint",
    "Material",
    "Model",
    "Morph",
    "PmxError",
    "Posed",
    "Poser",
    "RigidBody",
    "SoftBody",
    "__version__",
    "head_rotation",
    "load_model",
    "model_from_json",
    "parse_bytes",
    "write_model",
]
