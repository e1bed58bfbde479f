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
from animeceleb.annotate import AnnotationStore, propose_annotation
from animeceleb.modelio import write_model
from animeceleb.pose import POSE_LAYOUT, TARGET_MORPHS, Pose
from animeceleb.render import FramingError, Renderer
from animeceleb.sample import sample_model_path
from animeceleb.service import Client

__all__ = [
    "POSE_LAYOUT",
    "TARGET_MORPHS",
    "AnnotationStore",
    "Client",
    "Bone",
    "DisplayFrame",
    "FramingError",
    "Joint",
    "Material",
    "Model",
    "Morph",
    "PmxError",
    "Pose",
    "Posed",
    "Poser",
    "Renderer",
    "RigidBody",
    "SoftBody",
    "__version__",
    "head_rotation",
    "load_model",
    "model_from_json",
    "parse_bytes",
    "propose_annotation",
    "sample_model_path",
    "write_model",
]
