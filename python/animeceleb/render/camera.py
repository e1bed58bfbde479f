"""Framing: an orthographic camera in front of the face, fixed per model.

Choice: **orthographic**.  A face crop seen by MMD's 30-degree camera from the usual distance
is nearly orthographic anyway; orthographic framing makes "the head fits the frame the same
way for every model" exact and independent of the camera distance.

Coordinates are MMD's (left-handed, Y up, the character faces -Z).  The camera sits at -Z and
looks along +Z with Y up; in a left-handed frame that puts world +X on the image's right, so
the projection is a plain scale and shift with no mirror: the character's right eye (-X) lands
on the image's left.  Clip z grows with world Z (farther from the camera), mapped to [0, 1].

Framing uses the vertices weighted (>= 0.5) to 頭 and its descendants in the neutral pose,
keeping only those above the neck joint (long hair hanging below the neck would otherwise frame
the torso), with 1%/99% percentiles so a stray strand doesn't set the frame.  The frame is a
square around that box's centre, ``MARGIN`` times its larger side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .mesh import MeshData

__all__ = ["MARGIN", "Camera", "FramingError", "frame_head", "require_head_bones"]

MARGIN = 1.2


class FramingError(ValueError):
    """The model can't be framed (no 首 bone, or no vertices weighted to the head)."""


@dataclass(frozen=True)
class Camera:
    center: tuple[float, float, float]  # the head box centre, world units
    half_extent: float  # half the side of the square frame, world units
    z_near: float
    z_far: float

    def view_proj(self) -> np.ndarray:
        """World -> clip, a 4x4 float32 matrix, row-major (numpy convention)."""
        cx, cy, _ = self.center
        h = self.half_extent
        depth = self.z_far - self.z_near
        return np.array(
            [
                [1.0 / h, 0.0, 0.0, -cx / h],
                [0.0, 1.0 / h, 0.0, -cy / h],
                [0.0, 0.0, 1.0 / depth, -self.z_near / depth],
                [0.0, 0.0, 0.0, 1.0],
            ],
            dtype=np.float32,
        )

    def project(self, points: np.ndarray, size: int) -> np.ndarray:
        """World points (N,3) -> pixel (column, row), float, row 0 at the top."""
        p = np.asarray(points, dtype=np.float64).reshape(-1, 3)
        cx, cy, _ = self.center
        col = ((p[:, 0] - cx) / self.half_extent * 0.5 + 0.5) * size
        row = (0.5 - (p[:, 1] - cy) / self.half_extent * 0.5) * size
        return np.stack([col, row], axis=1)


def require_head_bones(model: Any) -> None:
    """``FramingError`` unless the model has 首 and 頭, which the camera frames the head from:
    the cheap check, before anything is rendered, of whether a model can be used at all."""
    names = {b.name for b in model.bones}
    missing = [f"{bone} ({what})" for bone, what in (("首", "neck"), ("頭", "head"))
               if bone not in names]
    if missing:
        raise FramingError(f"model {model.name!r} has no {' or '.join(missing)} bone: "
                           "the head cannot be framed")


def frame_head(mesh: MeshData, margin: float = MARGIN) -> Camera:
    if mesh.neck_position is None:
        raise FramingError(f"model {mesh.name!r} has no 首 (neck) bone: it can't be framed")
    if mesh.head_weights is None:
        raise FramingError(f"model {mesh.name!r} has no 頭 (head) bone: it can't be framed")
    neck_y = float(mesh.neck_position[1])
    pts = mesh.positions[(mesh.head_weights >= 0.5) & (mesh.positions[:, 1] >= neck_y)]
    if len(pts) < 4:
        raise FramingError(f"model {mesh.name!r} has no vertices weighted to 頭 above 首")
    lo = np.percentile(pts, 1.0, axis=0)
    hi = np.percentile(pts, 99.0, axis=0)
    center = (lo + hi) / 2.0
    half = float(max(hi[0] - lo[0], hi[1] - lo[1])) * margin / 2.0
    # Depth range: the whole model, plus room for the head to turn.
    zmin = float(mesh.positions[:, 2].min())
    zmax = float(mesh.positions[:, 2].max())
    pad = 2.0 * half + 0.1 * (zmax - zmin) + 1.0
    return Camera(
        center=(float(center[0]), float(center[1]), float(center[2])),
        half_extent=half,
        z_near=zmin - pad,
        z_far=zmax + pad,
    )
