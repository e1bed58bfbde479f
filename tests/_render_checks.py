"""Checks every model must pass (the synthetic head, the sample character, the shared models)."""

from __future__ import annotations

import functools

import numpy as np

from animeceleb.pose import POSE_LAYOUT, Pose
from animeceleb.render import STYLES, Renderer

STYLE_CODES = [s.code for s in STYLES]


@functools.cache
def renderer() -> Renderer:
    return Renderer(size=256)


def pose(**values: float) -> np.ndarray:
    p = np.zeros(len(POSE_LAYOUT), dtype=np.float32)
    for k, v in values.items():
        p[POSE_LAYOUT.index(k)] = v
    return p


def changed(a: np.ndarray, b: np.ndarray, threshold: int = 24) -> np.ndarray:
    """Pixels whose colour or alpha changed by more than ``threshold`` in some channel."""
    return (np.abs(a.astype(np.int16) - b.astype(np.int16)) > threshold).any(axis=-1)


def check_shape_and_alpha(r: Renderer, model) -> None:
    for style in STYLE_CODES:
        img = r.render(model, Pose(), style=style, light=0.6)
        assert img.shape == (r.size, r.size, 4) and img.dtype == np.uint8
        s = r.size
        # The head is framed at the centre: a patch around it is opaque.
        c, k = s // 2, s // 16
        assert (img[c - k : c + k, c - k : c + k, 3] == 255).mean() > 0.95, style
        # Background fully transparent: corners are zero, alpha included.
        for corner in (img[:4, :4], img[:4, -4:], img[-4:, :4], img[-4:, -4:]):
            assert not corner.any(), style


def check_styles_differ_with_same_silhouette(r: Renderer, model) -> None:
    imgs = r.render_batch(model, [Pose()] * 4, STYLE_CODES, 0.6)
    fg = imgs[0, ..., 3] > 0
    for i in range(4):
        # the same pose in each style gives the same silhouette (DESIGN.md)
        assert ((imgs[i, ..., 3] > 0) != fg).mean() < 0.002, STYLE_CODES[i]
        for j in range(i + 1, 4):
            diff = np.abs(imgs[i, ..., :3].astype(int) - imgs[j, ..., :3].astype(int))[fg]
            assert diff.mean() > 3.0, (STYLE_CODES[i], STYLE_CODES[j], diff.mean())


def check_mouth_morph_lower_face(r: Renderer, model) -> None:
    neutral = r.render(model, Pose(), "S3")
    mouth = r.render(model, pose(mouth_a=1.0), "S3")
    diff = changed(neutral, mouth)
    assert diff.sum() > 20, "the mouth morph changed nothing"
    rows = np.nonzero(diff)[0]
    assert rows.min() >= r.size // 2, "the mouth morph changed pixels in the upper half"


def check_right_eye_on_image_left(r: Renderer, model) -> None:
    neutral = r.render(model, Pose(), "S3")
    wink = r.render(model, pose(eye_close_right=1.0), "S3")
    cols = np.nonzero(changed(neutral, wink))[1]
    assert cols.size > 10, "closing the right eye changed nothing"
    assert cols.mean() < r.size / 2, "the character's right eye is not on the image's left"


def check_yaw_carries_mouth_right(r: Renderer, model) -> None:
    def mouth_column(yaw: float) -> float:
        closed = r.render(model, pose(yaw=yaw), "S3")
        opened = r.render(model, pose(yaw=yaw, mouth_a=1.0), "S3")
        cols = np.nonzero(changed(closed, opened))[1]
        assert cols.size > 10
        return float(cols.mean())

    assert mouth_column(20.0) > mouth_column(0.0) + r.size / 50


def check_deterministic(r: Renderer, model) -> None:
    p = pose(mouth_a=0.5, eye_close_right=0.3, eye_close_left=0.3, yaw=7, pitch=-5, roll=3)
    a = r.render(model, p, "S1", 0.45)
    b = r.render(model, p, "S1", 0.45)
    batch = r.render_batch(model, [Pose(), p, p], ["S2", "S1", "S1"], [0.6, 0.45, 0.45])
    assert a.tobytes() == b.tobytes() == batch[1].tobytes() == batch[2].tobytes()
