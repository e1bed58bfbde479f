"""The renderer on a procedural head (tests/_synthetic_head.py): runs without the native module."""

import logging

import numpy as np
import pytest

from _render_checks import (
    STYLE_CODES,
    changed,
    check_deterministic,
    check_mouth_morph_lower_face,
    check_right_eye_on_image_left,
    check_shape_and_alpha,
    check_styles_differ_with_same_silhouette,
    check_yaw_carries_mouth_right,
    pose,
    renderer,
)
from _synthetic_head import make_model
from animeceleb.render import FrameData, FramingError, MeshData, frame_head, get_style
from animeceleb.render.renderer import _unpremultiply
from animeceleb.render.styles import shader_source


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return make_model(tmp_path_factory.mktemp("synthetic"))


@pytest.fixture(scope="module")
def r():
    return renderer()


def test_adapter_is_named(r):
    assert r.adapter_summary


@pytest.mark.parametrize("style", STYLE_CODES)
def test_every_style_pipeline_compiles(r, style):
    pipes = r.pipelines(style)
    assert pipes.cull_back and pipes.cull_none and pipes.edge
    assert "//!include" not in shader_source(style)


def test_style_names():
    assert get_style("S1") is get_style("mmd") is get_style("MMD")
    assert [get_style(w).code for w in ("cel", "flat", "soft")] == ["S2", "S3", "S4"]
    with pytest.raises(ValueError):
        get_style("S9")


def test_shape_alpha_corners(r, model):
    check_shape_and_alpha(r, model)


def test_styles_differ_same_silhouette(r, model):
    check_styles_differ_with_same_silhouette(r, model)


def test_mouth_morph_changes_lower_face_only(r, model):
    check_mouth_morph_lower_face(r, model)


def test_right_eye_on_image_left(r, model):
    check_right_eye_on_image_left(r, model)
    img = r.render(model, None, "S3")
    blue = (img[..., 2] > 150) & (img[..., 0] < 100)  # eye_r is blue
    assert np.nonzero(blue)[1].mean() < r.size / 2


def test_positive_yaw_carries_mouth_right(r, model):
    check_yaw_carries_mouth_right(r, model)


def test_positive_pitch_lifts_and_roll_tilts(r, model):
    def centroid(p):
        closed = r.render(model, pose(**p), "S3")
        opened = r.render(model, pose(mouth_a=1.0, **p), "S3")
        rows, cols = np.nonzero(changed(closed, opened))
        return rows.mean(), cols.mean()

    row0, col0 = centroid({})
    assert centroid({"pitch": 20.0})[0] < row0 - 2  # the chin (and mouth) goes up
    # roll toward the character's left shoulder: the head turns clockwise on the image, so the
    # right eye (image left, blue) rises above the left eye (orange)
    img = r.render(model, pose(roll=20.0), "S3")
    blue = (img[..., 2] > 150) & (img[..., 0] < 100)
    orange = (img[..., 0] > 150) & (img[..., 2] < 80) & (img[..., 1] > 100)
    assert np.nonzero(blue)[0].mean() < np.nonzero(orange)[0].mean() - 5


def test_deterministic(r, model):
    check_deterministic(r, model)


def test_light_intensity_brightens(r, model):
    dark, bright = r.render_batch(model, [None, None], "S1", [0.3, 0.9])
    fg = dark[..., 3] == 255
    assert bright[fg, :3].mean() > dark[fg, :3].mean() + 10


def test_outline_in_mmd_and_cel_only(r, model):
    imgs = r.render_batch(model, [None] * 4, STYLE_CODES, 0.6)
    fg = imgs[0, ..., 3] > 0
    inner = fg.copy()
    for axis in (0, 1):
        for shift in (1, -1):
            inner &= np.roll(fg, shift, axis=axis)
    ring = fg & ~inner
    lum = imgs[..., :3].astype(float).mean(axis=-1)
    s1, s2, s3 = (lum[i][ring].mean() for i in range(3))
    assert s1 < 0.6 * s3 and s2 < 0.6 * s3  # dark edge colour; S3 shows the albedo there


def test_material_morph_and_uv_morph_are_drawn(r, model):
    mesh = r.prepare(model).mesh
    poser = model.poser()
    neutral = poser.evaluate()
    poser.set_morph("照れ", 1.0)
    blush = poser.evaluate()
    base = r.render_frame(mesh, FrameData(neutral.positions, neutral.normals), "S3")
    with_blush = r.render_frame(
        mesh, FrameData(blush.positions, blush.normals, materials=blush.materials), "S3"
    )
    assert changed(base, with_blush).sum() > 50
    shifted = r.render_frame(
        mesh, FrameData(neutral.positions, neutral.normals, uvs=mesh.uvs + 0.0625), "S3"
    )
    assert changed(base, shifted, 8).sum() > 200
    # the UV buffer goes back to the mesh's UVs for frames without their own
    again = r.render_frame(mesh, FrameData(neutral.positions, neutral.normals), "S3")
    assert again.tobytes() == base.tobytes()


def test_missing_texture_still_renders(tmp_path, caplog):
    model = make_model(tmp_path, missing_texture=True)
    with caplog.at_level(logging.WARNING, logger="animeceleb.render.textures"):
        img = renderer().render(model, None, "S1")
    assert "missing_skin.png" in caplog.text
    c = img.shape[0] // 2
    assert img[c, c, 3] == 255 and img[c, c, :3].max() > 100  # the material colour, not black


def test_a_model_without_neck_cannot_be_framed(model):
    mesh = MeshData.from_model(model)
    mesh.neck_position = None
    with pytest.raises(FramingError, match="首"):
        frame_head(mesh)


def test_unpremultiply():
    img = np.array([[[100, 50, 0, 128], [10, 20, 30, 255], [0, 0, 0, 0]]], dtype=np.uint8)
    _unpremultiply(img)
    assert img[0, 0].tolist() == [199, 100, 0, 128]
    assert img[0, 1].tolist() == [10, 20, 30, 255]
    assert img[0, 2].tolist() == [0, 0, 0, 0]


def test_batch_checks_lengths(r, model):
    with pytest.raises(ValueError):
        r.render_batch(model, [None, None], ["S1"], 0.6)


def test_culled_triangles_never_show(r, model):
    gm = r.prepare(model)
    assert gm.culled is not None  # the feet are far below the frame
    assert gm.culled[2].sum() < gm.index_count.sum()
    for p in (pose(), pose(yaw=20, pitch=-20, roll=20), pose(yaw=-20, pitch=20, mouth_a=1)):
        frame = r.pose_model(gm, p)
        assert frame.head_turn is not None
        culled = r.render_frame(model, frame, "S1")
        frame.head_turn = None  # unknown turn: every triangle is drawn
        full = r.render_frame(model, frame, "S1")
        assert culled.tobytes() == full.tobytes()


def test_threads_share_a_renderer(r, model):
    from concurrent.futures import ThreadPoolExecutor

    p = pose(mouth_a=0.4, yaw=-8)
    expected = r.render(model, p, "S2").tobytes()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: r.render(model, p, "S2").tobytes(), range(8)))
    assert all(x == expected for x in results)


def test_adapter_by_name(r):
    from animeceleb.render import Renderer

    name = r.adapter_summary.split()[0]
    assert Renderer(size=64, device=name).adapter_summary.startswith(name)
    with pytest.raises(RuntimeError, match="no wgpu adapter"):
        Renderer(device="no such adapter, surely")
    same = Renderer(size=64, device=r.device)
    assert same.device is r.device


def test_model_cache_is_bounded(tmp_path):
    from animeceleb.render import Renderer

    r = Renderer(size=64, device=renderer().device, max_models=2)
    models = [make_model(tmp_path / str(i)) for i in range(3)]
    first = [r.render(m, None, "S3") for m in models]
    assert len(r._models) == 2
    assert len(r._textures) == 4  # skin and sphere of the two cached models
    again = r.render(models[0], None, "S3")  # rebuilt after eviction, same image
    assert again.tobytes() == first[0].tobytes()
