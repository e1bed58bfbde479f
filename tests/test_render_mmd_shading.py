"""S1 (mmd) against MMD's own shader, on tiny meshes with colours computed by hand.

MMD's shader (and MME's full.fx after it): colour = saturate(diffuse * light + ambient) *
texture * sphere * toon + pow(max(0, N.H), specularity) * specular * light; a subtexture sphere
is sampled at additional UV1 and multiplies; the edge pass fills the hull with the edge colour.
Light 0.6 and no toon ramp (white) keep the arithmetic exact.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from _annotate_models import edited_sample
from _render_checks import changed, pose, renderer
from _synthetic_head import _orient, _sphere
from animeceleb.render import MeshData
from animeceleb.render.mesh import MaterialData

LIGHT = 0.6
FLAG_EDGE = 0x10
QUADRANTS = {  # a 8x8 subtexture: a flat colour per quadrant (exact under bilinear filtering)
    (0.25, 0.25): (200, 100, 50),
    (0.75, 0.25): (40, 180, 90),
    (0.25, 0.75): (30, 60, 220),
    (0.75, 0.75): (250, 250, 20),
}


def _quadrant_texture(path):
    img = np.zeros((8, 8, 4), dtype=np.uint8)
    img[..., 3] = 255
    for (u, v), colour in QUADRANTS.items():
        img[int(v * 8) - 2 : int(v * 8) + 2, int(u * 8) - 2 : int(u * 8) + 2, :3] = colour
    Image.fromarray(img).save(path)
    return path


def _mesh(pos, nrm, uv, faces, material, tmp_path, textures=(), **extra) -> MeshData:
    """A one-material mesh framed as a head (every vertex on 頭, 首 below it)."""
    n = len(pos)
    return MeshData(
        positions=pos, normals=nrm, uvs=uv, faces=faces,
        materials=[MaterialData(index_count=faces.size, **material)],
        textures=list(textures), base_dir=tmp_path,
        head_weights=np.ones(n, np.float32),
        neck_position=np.array([0.0, float(pos[:, 1].min()) - 1.0, 0.0], np.float32),
        **extra,
    )


def _quad(tmp_path, material, **extra) -> MeshData:
    """A flat square facing the camera (normal -Z): N.L is the same everywhere."""
    pos = np.array([[-1, 1, 0], [1, 1, 0], [1, -1, 0], [-1, -1, 0]], np.float32)
    nrm = np.tile(np.array([0, 0, -1], np.float32), (4, 1))
    uv = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], np.float32)
    faces = _orient(pos, np.array([[0, 1, 2], [0, 2, 3]]), nrm).astype(np.uint32)
    return _mesh(pos, nrm, uv, faces, {"name": "quad", **material}, tmp_path, **extra)


def _centre(img: np.ndarray) -> np.ndarray:
    s = img.shape[0]
    return img[s // 2 - 20 : s // 2 + 20, s // 2 - 20 : s // 2 + 20].reshape(-1, 4).astype(int)


def _assert_colour(pixels: np.ndarray, rgba) -> None:
    assert np.abs(pixels - np.asarray(rgba)).max() <= 1, (pixels.min(0), pixels.max(0), rgba)


# ----- specular with specularity 0 --------------------------------------------------------


@pytest.mark.parametrize("power", [0.0, -5.0])
def test_zero_specularity_adds_the_whole_specular_colour(tmp_path, power):
    """MMD's pow(max(0, N.H), 0) is 1: the specular colour (x light) is added everywhere."""
    mesh = _quad(tmp_path, {"diffuse": (0.2, 0.2, 0.2, 1.0), "ambient": (0.1, 0.1, 0.1),
                            "specular": (0.3, 0.2, 0.1), "specularity": power})
    img = renderer().render_frame(mesh, None, "S1", LIGHT)
    base = 0.2 * LIGHT + 0.1
    expected = [round(255 * (base + s * LIGHT)) for s in (0.3, 0.2, 0.1)]  # 102, 87, 71
    _assert_colour(_centre(img), [*expected, 255])


def test_positive_specularity_is_a_highlight_below_the_full_colour(tmp_path):
    material = {"diffuse": (0.2, 0.2, 0.2, 1.0), "ambient": (0.1, 0.1, 0.1),
                "specular": (0.3, 0.2, 0.1)}
    full = renderer().render_frame(_quad(tmp_path, {**material, "specularity": 0.0}))
    sharp = renderer().render_frame(_quad(tmp_path, {**material, "specularity": 20.0}))
    none = renderer().render_frame(_quad(tmp_path, {**material, "specular": (0, 0, 0)}))
    c_full, c_sharp, c_none = (_centre(i)[:, 0].mean() for i in (full, sharp, none))
    assert c_none < c_sharp < c_full


# ----- subtexture spheres -----------------------------------------------------------------


def _sub_quad(tmp_path, uv1, **material):
    _quadrant_texture(tmp_path / "sub.png")
    # diffuse * light + ambient saturates to 1: the pixel is the subtexture's colour
    return _quad(tmp_path, {"diffuse": (1.0, 1.0, 1.0, 1.0), "ambient": (0.4, 0.4, 0.4),
                            "sphere_texture": 0, "sphere_mode": "subtexture", **material},
                 textures=["sub.png"], uv1=np.tile(np.float32(uv1), (4, 1)))


@pytest.mark.parametrize("uv1", list(QUADRANTS))
def test_subtexture_sphere_multiplies_at_additional_uv1(tmp_path, uv1):
    img = renderer().render_frame(_sub_quad(tmp_path, uv1), None, "S1", LIGHT)
    _assert_colour(_centre(img), [*QUADRANTS[uv1], 255])


def test_subtexture_follows_frame_uv1_and_morph_factors(tmp_path):
    from animeceleb.render import FrameData

    r = renderer()
    mesh = _sub_quad(tmp_path, (0.25, 0.25))
    moved = FrameData(mesh.positions, mesh.normals, uv1=np.tile(np.float32([0.75, 0.75]), (4, 1)))
    _assert_colour(_centre(r.render_frame(mesh, moved, "S1", LIGHT)), [250, 250, 20, 255])
    # a frame without UV1 goes back to the mesh's own
    _assert_colour(_centre(r.render_frame(mesh, None, "S1", LIGHT)), [200, 100, 50, 255])
    # material morph sphere factors apply as to any sphere: colour * mul + add
    rows = mesh.material_table()
    rows[0, 24:28] = (0.5, 1.0, 1.0, 1.0)  # sphere_mul
    rows[0, 28:32] = (0.0, 0.0, 0.2, 0.0)  # sphere_add
    tinted = FrameData(mesh.positions, mesh.normals, materials=rows)
    expected = [round(200 * 0.5), 100, round(50 + 0.2 * 255), 255]
    _assert_colour(_centre(r.render_frame(mesh, tinted, "S1", LIGHT)), expected)


def test_subtexture_without_additional_uv_draws_no_sphere(tmp_path, caplog):
    from types import SimpleNamespace

    model = SimpleNamespace(materials=[SimpleNamespace(name="m", sphere_mode="subtexture",
                                                       sphere_texture=0)])
    from animeceleb.render.mesh import _subtexture_uv1

    with caplog.at_level("WARNING", logger="animeceleb.render.mesh"):
        assert _subtexture_uv1(model, model.materials) is None
    assert "no additional UV" in caplog.text
    mesh = _sub_quad(tmp_path, (0.25, 0.25))
    mesh.uv1 = None
    img = renderer().render_frame(mesh, None, "S1", LIGHT)
    _assert_colour(_centre(img), [255, 255, 255, 255])


def test_common_path_binds_no_uv1(tmp_path):
    mesh = _quad(tmp_path, {"diffuse": (1.0, 1.0, 1.0, 1.0)},
                 uv1=np.zeros((4, 2), np.float32))  # UV1 but no subtexture material
    assert renderer().prepare(mesh).uv1 is None


def _with_subtexture_morph(spec):
    """The sample character's skin drawn with a subtexture at additional UV1 (0.25, 0.25), and
    a UV1 morph "uv1shift" moving it to (0.75, 0.25)."""
    n = len(spec["vertices"]["positions"])
    spec["header"]["additional_uv_count"] = 1
    spec["vertices"]["additional_uvs"] = [[[0.25, 0.25, 0.0, 0.0]] * n]
    spec["textures"].append("sub.png")
    skin = spec["materials"][0]
    skin.update(sphere_texture=len(spec["textures"]) - 1, sphere_mode="subtexture")
    verts = sorted({int(v) for f in spec["faces"][: skin["index_count"] // 3] for v in f})
    spec["morphs"].append({"name": "uv1shift", "name_en": "", "panel": 4, "kind": "uv1",
                           "offsets": {"type": "uv", "items": [
                               {"vertex": v, "offset": [0.5, 0.0, 0.0, 0.0]} for v in verts]}})


def test_uv1_morphs_reach_the_subtexture_through_the_poser(tmp_path):
    import animeceleb as ac

    _quadrant_texture(tmp_path / "sub.png")
    path = edited_sample(tmp_path, _with_subtexture_morph)
    model = ac.load_model(str(path))
    assert json.loads(model.to_json())["header"]["additional_uv_count"] == 1
    r = renderer()
    annotation = {"mouth_a": "uv1shift"}
    neutral, shifted = r.render_batch(model, [pose(), pose(mouth_a=1.0)], "S1", LIGHT, annotation)
    skin = changed(neutral, shifted)  # only the UV1 morph differs between the two
    assert skin.sum() > 0.1 * skin.size
    red, green = (img[skin][:, :3].astype(float).mean(axis=0) for img in (neutral, shifted))
    assert red[0] > 1.5 * red[1]  # skin x (200, 100, 50)
    assert green[1] > 1.5 * green[0]  # skin x (40, 180, 90)


# ----- the edge pass ----------------------------------------------------------------------


def _ball(tmp_path, texture_alpha_right: int, diffuse_alpha: float, edge: bool) -> MeshData:
    """A sphere (closed, so its inverted hull shows) with a white texture whose right half
    (u < 0.5 maps to image right) has the given alpha, and a wide red translucent edge."""
    img = np.full((8, 8, 4), 255, dtype=np.uint8)
    img[:, :4, 3] = texture_alpha_right
    name = f"half{texture_alpha_right}.png"  # GPU textures are cached by path
    Image.fromarray(img).save(tmp_path / name)
    pos, nrm, uv, faces = _sphere((0.0, 0.0, 0.0), (1.0, 1.0, 1.0))
    material = {"name": "ball", "diffuse": (1.0, 1.0, 1.0, diffuse_alpha),
                "ambient": (0.4, 0.4, 0.4), "texture": 0, "flags": FLAG_EDGE if edge else 0,
                "edge_color": (1.0, 0.0, 0.0, 0.6), "edge_size": 4.0}
    return _mesh(pos, nrm, uv, faces.astype(np.uint32), material, tmp_path, textures=[name])


@pytest.mark.parametrize(("texture_alpha", "diffuse_alpha"), [(0, 1.0), (255, 0.5)])
def test_edge_is_the_edge_colour_whatever_the_material_alpha(tmp_path, texture_alpha,
                                                             diffuse_alpha):
    """MMD's edge pass returns the edge colour (alpha 0.6 here), not faded by the texture's
    alpha or the material's."""
    r = renderer()
    body = r.render_frame(_ball(tmp_path, 255, 1.0, edge=False), None, "S1", LIGHT)[..., 3] > 0
    img = r.render_frame(_ball(tmp_path, texture_alpha, diffuse_alpha, edge=True), None, "S1",
                         LIGHT)
    ring = (img[..., 3] > 0) & ~body
    cols = np.nonzero(ring)[1]
    s = img.shape[0]
    assert (cols < s // 2).sum() > 100 and (cols > s // 2).sum() > 100  # all around
    _assert_colour(img[ring].astype(int), [255, 0, 0, 153])
