"""Golden images, compared with a tolerance so lavapipe and real GPUs both pass.

Regenerate with ``ANIMECELEB_UPDATE_GOLDENS=1 pytest tests/test_render_goldens.py`` (on
lavapipe, the reference adapter) and look at the PNGs before committing them.  On a mismatch
the rendered image and an amplified diff are written next to the test's tmp dir.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from _render_checks import STYLE_CODES, pose, renderer
from _synthetic_head import make_model

GOLDENS = Path(__file__).parent / "goldens"
UPDATE = os.environ.get("ANIMECELEB_UPDATE_GOLDENS") == "1"

# Per-pixel tolerance: different rasterizers differ by a few levels inside surfaces and by whole
# pixels along edges, so a few pixels may differ much; the mean must stay small.
MEAN_TOLERANCE = 1.5
PIXEL_TOLERANCE = 48
OUTLIER_FRACTION = 0.01

GOLDEN_POSE = pose(mouth_a=0.6, eye_close_right=0.5, eye_close_left=0.5, yaw=10, pitch=-5, roll=4)


def compare_with_golden(img: np.ndarray, name: str, out_dir: Path) -> None:
    path = GOLDENS / name
    if UPDATE:
        GOLDENS.mkdir(exist_ok=True)
        Image.fromarray(img).save(path, optimize=True)
        return
    assert path.exists(), f"no golden {path}; run with ANIMECELEB_UPDATE_GOLDENS=1"
    golden = np.asarray(Image.open(path).convert("RGBA"))
    assert golden.shape == img.shape
    diff = np.abs(img.astype(np.int16) - golden.astype(np.int16)).max(axis=-1)
    mean = float(np.abs(img.astype(np.int16) - golden.astype(np.int16)).mean())
    outliers = float((diff > PIXEL_TOLERANCE).mean())
    if mean > MEAN_TOLERANCE or outliers > OUTLIER_FRACTION:
        Image.fromarray(img).save(out_dir / f"actual_{name}")
        Image.fromarray(np.minimum(255, diff * 4).astype(np.uint8)).save(out_dir / f"diff_{name}")
        pytest.fail(
            f"{name}: mean diff {mean:.2f} (max {MEAN_TOLERANCE}), {outliers:.2%} pixels over "
            f"{PIXEL_TOLERANCE} (max {OUTLIER_FRACTION:.0%}); actual and diff in {out_dir}"
        )


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return make_model(tmp_path_factory.mktemp("golden-model"))


@pytest.mark.parametrize("style", STYLE_CODES)
def test_synthetic_golden(synthetic, style, tmp_path):
    img = renderer().render(synthetic, GOLDEN_POSE, style, 0.6)
    compare_with_golden(img, f"synthetic_{style}.png", tmp_path)


@pytest.mark.parametrize("style", STYLE_CODES)
def test_sample_character_golden(style, tmp_path):
    import animeceleb as ac
    from animeceleb.sample import sample_model_path

    model = ac.load_model(str(sample_model_path()))
    img = renderer().render(model, GOLDEN_POSE, style, 0.6)
    compare_with_golden(img, f"sample_{style}.png", tmp_path)
