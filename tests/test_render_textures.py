import logging

import numpy as np
import pytest
from PIL import Image

from animeceleb.render.textures import load_texture, resolve_texture_path
from animeceleb.render.toon import SHADOW_TINTS, shared_toon, white_toon

COLOUR = (200, 120, 40, 255)


def _image(alpha=255):
    img = np.zeros((16, 16, 4), dtype=np.uint8)
    img[...] = COLOUR
    img[..., 3] = alpha
    img[:8, :8, :3] = (20, 40, 220)  # top-left quadrant blue: catches flips
    return Image.fromarray(img)


def _save(path, **kwargs):
    im = _image(kwargs.pop("alpha", 255))
    if kwargs.get("format") in ("JPEG", "BMP"):
        im = im.convert("RGB")
    im.save(path, **kwargs)
    return path


def test_resolution_backslashes_case_and_japanese(tmp_path):
    (tmp_path / "Tex" / "顔").mkdir(parents=True)
    target = _save(tmp_path / "Tex" / "顔" / "Face.png")
    assert resolve_texture_path(tmp_path, "Tex\\顔\\Face.png") == target
    assert resolve_texture_path(tmp_path, "tex\\顔\\FACE.PNG") == target
    assert resolve_texture_path(tmp_path, "./TEX/顔/face.png") == target
    assert resolve_texture_path(tmp_path, "tex\\顔\\ＦＡＣＥ.png") == target  # full-width letters
    assert resolve_texture_path(tmp_path / "Tex", "..\\tex\\顔\\face.png") == target
    assert resolve_texture_path(tmp_path, "tex\\missing.png") is None
    assert resolve_texture_path(tmp_path, "") is None
    assert resolve_texture_path(tmp_path, "tex") is None  # a directory is not a texture


@pytest.mark.parametrize(
    ("name", "save"),
    [
        ("a.png", {"format": "PNG"}),
        ("a.jpg", {"format": "JPEG", "quality": 95}),
        ("a.bmp", {"format": "BMP"}),
        ("a.tga", {"format": "TGA"}),
        ("rle.tga", {"format": "TGA", "compression": "tga_rle"}),
        ("a.dxt1.dds", {"format": "DDS", "pixel_format": "DXT1"}),
        ("a.dxt3.dds", {"format": "DDS", "pixel_format": "DXT3", "alpha": 128}),
        ("a.dxt5.dds", {"format": "DDS", "pixel_format": "DXT5", "alpha": 128}),
        ("sphere.spa", {"format": "BMP"}),  # sphere files are opened by content
        ("sphere.sph", {"format": "JPEG", "quality": 95}),
        ("png_named.bmp", {"format": "PNG"}),  # a mislabelled file still opens
    ],
)
def test_formats(tmp_path, name, save):
    alpha = save.get("alpha", 255)
    _save(tmp_path / name, **save)
    if save["format"] == "DDS":
        data = bytearray((tmp_path / name).read_bytes())
        assert data[84:88] == save["pixel_format"].encode()
        if save["pixel_format"] == "DXT3":
            # Pillow's DXT3 encoder packs the 4-bit alphas wrongly; write them by hand
            # (0x8 per texel = 136/255) so the decoder is tested on a correct file.
            for block in range(128, len(data), 16):
                data[block : block + 8] = b"\x88" * 8
            (tmp_path / name).write_bytes(bytes(data))
    tex = load_texture(tmp_path, name)
    assert tex is not None
    top = tex.levels[0]
    assert top.shape == (16, 16, 4) and top.dtype == np.uint8
    np.testing.assert_allclose(top[12, 12, :3], COLOUR[:3], atol=12)
    np.testing.assert_allclose(top[2, 2, :3], (20, 40, 220), atol=12)  # not flipped
    assert abs(int(top[12, 12, 3]) - alpha) <= 8
    assert tex.has_alpha == (alpha < 255)
    assert [lv.shape[0] for lv in tex.levels] == [16, 8, 4, 2, 1]


def test_missing_and_unreadable_textures_warn(tmp_path, caplog):
    (tmp_path / "bad.png").write_bytes(b"not an image at all")
    with caplog.at_level(logging.WARNING, logger="animeceleb.render.textures"):
        assert load_texture(tmp_path, "nothere.png") is None
        assert load_texture(tmp_path, "bad.png") is None
        # loaded again (another renderer, worker or cache entry): no second warning
        assert load_texture(tmp_path, "nothere.png") is None
        assert load_texture(tmp_path, "bad.png") is None
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert "nothere.png" in messages[0] and "bad.png" in messages[1]


def test_large_textures_are_capped(tmp_path):
    Image.new("RGB", (4096, 1024), (10, 20, 30)).save(tmp_path / "big.png")
    tex = load_texture(tmp_path, "big.png")
    assert tex.size == (2048, 512)
    assert tex.levels[-1].shape[:2] == (1, 1)


def test_toon_ramps():
    ramps = [shared_toon(i) for i in range(10)]
    assert len({r.tobytes() for r in ramps}) == 10
    for ramp, tint in zip(ramps, SHADOW_TINTS, strict=True):
        assert ramp.dtype == np.uint8 and ramp.shape[2] == 4
        assert (ramp[0, :, :3] == 255).all()  # lit end white
        np.testing.assert_allclose(ramp[-1, 0, :3], np.round(np.array(tint) * 255), atol=1)
    assert (white_toon() == 255).all()
    with pytest.raises(ValueError):
        shared_toon(10)
