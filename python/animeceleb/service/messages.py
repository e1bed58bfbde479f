"""Translation between the wire messages and library values, with the request checks.

Every check failure is a ``RequestError`` carrying the gRPC status code and a message naming the
field; the servicer only turns it into the status.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import grpc
import numpy as np

from ..png import png_bytes
from ..pose import POSE_LAYOUT
from ..render import DEFAULT_LIGHT
from .config import Limits
from .proto.animeceleb.v1 import render_pb2 as pb
from .registry import ModelEntry, ModelRegistry, UnknownModel

__all__ = [
    "CODE_BY_STYLE",
    "STYLE_BY_CODE",
    "FrameSpec",
    "RequestError",
    "check_size",
    "encode_frame",
    "entry_for",
    "parse_render",
    "style_code",
]

# wire enum <-> the renderer's style codes
STYLE_BY_CODE: dict[str, pb.Style.ValueType] = {
    "S1": pb.STYLE_MMD, "S2": pb.STYLE_CEL, "S3": pb.STYLE_FLAT, "S4": pb.STYLE_SOFT}
CODE_BY_STYLE: dict[int, str] = {v: k for k, v in STYLE_BY_CODE.items()}
ANGLE_LIMIT = 90.0  # degrees the server accepts for yaw, pitch, roll
LIGHT_LIMIT = (0.0, 2.0)
N_MORPHS = len(POSE_LAYOUT) - 3


class RequestError(Exception):
    """A request the server refuses: ``code`` is the gRPC status, the message says why."""

    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class FrameSpec:
    """One frame to render, checked: what the worker renders and the reply echoes."""

    entry: ModelEntry
    pose: np.ndarray  # (20,) float32, exactly what is rendered and sent back
    style: str  # "S1".."S4"
    light: float  # a float32 value, as sent back
    size: int
    encoding: pb.ImageEncoding.ValueType
    pair_id: int = 0
    role: pb.PairRole.ValueType = pb.PAIR_ROLE_UNSPECIFIED


def entry_for(registry: ModelRegistry, model_id: str) -> ModelEntry:
    if not model_id:
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "model_id is required")
    try:
        return registry.entry(model_id)
    except UnknownModel:
        raise RequestError(grpc.StatusCode.NOT_FOUND,
                           f"no model {model_id!r} on this server (ListModels gives the ids)"
                           ) from None


def style_code(style: int) -> str:
    if style == pb.STYLE_UNSPECIFIED:
        return "S1"
    try:
        return CODE_BY_STYLE[style]
    except KeyError:
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT,
                           f"unknown style {style}; use STYLE_MMD/CEL/FLAT/SOFT") from None


def check_size(size: int, limits: Limits) -> int:
    if size == 0:
        return limits.default_size
    if size < limits.min_size:
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT,
                           f"size {size} is below the smallest image, {limits.min_size} px")
    if size > limits.max_size:
        raise RequestError(grpc.StatusCode.RESOURCE_EXHAUSTED,
                           f"size {size} is over this server's bound of {limits.max_size} px")
    return size


def check_encoding(encoding: int) -> pb.ImageEncoding.ValueType:
    known: dict[int, pb.ImageEncoding.ValueType] = {
        pb.IMAGE_ENCODING_UNSPECIFIED: pb.IMAGE_ENCODING_RAW_RGBA,
        pb.IMAGE_ENCODING_RAW_RGBA: pb.IMAGE_ENCODING_RAW_RGBA,
        pb.IMAGE_ENCODING_PNG: pb.IMAGE_ENCODING_PNG}
    if encoding not in known:
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, f"unknown image encoding {encoding}")
    return known[encoding]


def check_pose(values: Sequence[float]) -> np.ndarray:
    pose = np.asarray(values, dtype=np.float32)
    if pose.shape != (len(POSE_LAYOUT),):
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT,
                           f"pose has {len(POSE_LAYOUT)} numbers (POSE_LAYOUT), got {len(pose)}")
    if not np.all(np.isfinite(pose)):
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "pose values must be finite")
    morphs, angles = pose[:N_MORPHS], pose[N_MORPHS:]
    if np.any((morphs < 0) | (morphs > 1)):
        i = int(np.flatnonzero((morphs < 0) | (morphs > 1))[0])
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT,
                           f"pose[{i}] ({POSE_LAYOUT[i]}) = {morphs[i]:g} is outside [0, 1]")
    if np.any(np.abs(angles) > ANGLE_LIMIT):
        i = int(np.flatnonzero(np.abs(angles) > ANGLE_LIMIT)[0])
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT,
                           f"{POSE_LAYOUT[N_MORPHS + i]} = {angles[i]:g} degrees is outside "
                           f"[-{ANGLE_LIMIT:g}, {ANGLE_LIMIT:g}]")
    return pose


def check_light(light: float) -> float:
    if light == 0.0:  # proto3 has no "unset" for a float: 0 means the default
        return float(np.float32(DEFAULT_LIGHT))
    if not (math.isfinite(light) and LIGHT_LIMIT[0] <= light <= LIGHT_LIMIT[1]):
        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT,
                           f"light {light:g} is outside [{LIGHT_LIMIT[0]:g}, {LIGHT_LIMIT[1]:g}]")
    return float(light)


def parse_render(req: pb.RenderRequest, registry: ModelRegistry, limits: Limits) -> FrameSpec:
    """A checked ``FrameSpec`` from a RenderRequest, or a ``RequestError``."""
    entry = entry_for(registry, req.model_id)
    return FrameSpec(entry=entry, pose=check_pose(req.pose), style=style_code(req.style),
                     light=check_light(req.light), size=check_size(req.size, limits),
                     encoding=check_encoding(req.encoding))


def encode_frame(spec: FrameSpec, image: np.ndarray, index: int) -> pb.Frame:
    """The wire frame of a rendered image."""
    if spec.encoding == pb.IMAGE_ENCODING_PNG:
        data = png_bytes(image, compress_level=1)  # speed over size: frames are short-lived
    else:
        data = image.tobytes()
    return pb.Frame(model_id=spec.entry.id, pose=spec.pose.tolist(),
                    style=STYLE_BY_CODE[spec.style], light=spec.light, width=image.shape[1],
                    height=image.shape[0], encoding=spec.encoding, image=data, index=index,
                    pair_id=spec.pair_id, role=spec.role)
