"""The renderer on real models: the test models (ANIMECELEB_TEST_MODELS, default tests/models;
missing is a failure, not a skip) and the sample character."""

from __future__ import annotations

from pathlib import Path

import pytest

import animeceleb as ac
from _render_checks import (
    check_deterministic,
    check_mouth_morph_lower_face,
    check_right_eye_on_image_left,
    check_shape_and_alpha,
    check_styles_differ_with_same_silhouette,
    check_yaw_carries_mouth_right,
    renderer,
)
from animeceleb.sample import sample_model_path
from conftest import models_dir

SHARED = models_dir()
SHARED_MODELS = ["alicia/Alicia_solid.pmx", "gene/Gene_light.pmx"]
MODELS = [*SHARED_MODELS, "sample"]

_cache: dict[str, object] = {}


def load(name: str):
    if name not in _cache:
        if name == "sample":
            path = Path(sample_model_path())
        else:
            path = SHARED / name
            assert path.exists(), f"shared model {path} missing (set ANIMECELEB_TEST_MODELS)"
        _cache[name] = ac.load_model(str(path))
    return _cache[name]


@pytest.fixture(params=MODELS)
def model(request):
    return load(request.param)


def test_shape_alpha_corners(model):
    check_shape_and_alpha(renderer(), model)


def test_styles_differ_same_silhouette(model):
    check_styles_differ_with_same_silhouette(renderer(), model)


def test_mouth_morph_changes_lower_face_only(model):
    check_mouth_morph_lower_face(renderer(), model)


def test_right_eye_on_image_left(model):
    check_right_eye_on_image_left(renderer(), model)


def test_positive_yaw_carries_mouth_right(model):
    check_yaw_carries_mouth_right(renderer(), model)


def test_deterministic(model):
    check_deterministic(renderer(), model)


def test_missing_texture_still_renders(tmp_path, caplog):
    """A shared model copied without one of its textures renders, with a warning."""
    src = SHARED / "gene"
    assert src.exists(), f"shared model {src} missing (set ANIMECELEB_TEST_MODELS)"
    (tmp_path / "light").mkdir()
    for f in (src / "light").iterdir():
        if f.name != "face.png":
            (tmp_path / "light" / f.name).symlink_to(f)
    (tmp_path / "Gene_light.pmx").symlink_to(src / "Gene_light.pmx")
    m = ac.load_model(str(tmp_path / "Gene_light.pmx"))
    with caplog.at_level("WARNING", logger="animeceleb.render.textures"):
        img = renderer().render(m, None, "S1")
    assert "face.png" in caplog.text
    s = img.shape[0]
    assert img[s // 2, s // 2, 3] == 255
    assert not img[:4, :4].any()


def test_neutral_face_is_not_dark(model):
    """Faces must not come out dark in any style (a lit face in MMD is near its texture)."""
    r = renderer()
    imgs = r.render_batch(model, [None] * 4, ["S1", "S2", "S3", "S4"], 0.6)
    s = r.size
    centre = imgs[:, s * 3 // 8 : s * 5 // 8, s * 3 // 8 : s * 5 // 8, :3].astype(float)
    flat = centre[2].mean()
    for i in (0, 1, 3):
        assert centre[i].mean() > 0.75 * flat, (i, centre[i].mean(), flat)
    assert flat > 120
