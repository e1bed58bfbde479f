"""The procedurally built sample character (python/animeceleb/sample/)."""

from __future__ import annotations

import numpy as np
import pytest

from animeceleb.sample import MORPH_NAMES, build, build_model, morphs, skeleton
from animeceleb.sample.cache import model_json

REQUIRED_BONES = ["センター", "上半身", "首", "頭", "両目", "右目", "左目"]

# Every target morph of DESIGN.md has a source; one-sided variants under names real models use.
REQUIRED_MORPHS = [
    "まばたき",
    "ウィンク",
    "ウィンク右",
    "笑い",
    "ウィンク２",
    "ｳｨﾝｸ２右",
    "びっくり",
    "びっくり右",
    "びっくり左",
    "上",
    "上右",
    "上左",
    "下",
    "下右",
    "下左",
    "困る",
    "困る右",
    "困る左",
    "あ",
    "い",
    "う",
    "え",
    "お",
]
PANEL = {"eyes": 2, "brows": 1, "mouth": 3}

# (one-sided morph, both morph, side): side -1 is the character's right (-X), +1 its left (+X).
ONE_SIDED = [
    ("ウィンク", "笑い", 1),
    ("ウィンク右", "笑い", -1),
    ("ウィンク２", "まばたき", 1),
    ("ｳｨﾝｸ２右", "まばたき", -1),
    ("びっくり左", "びっくり", 1),
    ("びっくり右", "びっくり", -1),
    ("上左", "上", 1),
    ("上右", "上", -1),
    ("下左", "下", 1),
    ("下右", "下", -1),
    ("困る左", "困る", 1),
    ("困る右", "困る", -1),
]


@pytest.fixture(scope="module")
def built():
    return build(0)


@pytest.fixture(scope="module")
def model(built):
    return built.model


def _morph(model, name):
    (m,) = [m for m in model["morphs"] if m["name"] == name]
    return m


def _offsets(model, name):
    items = _morph(model, name)["offsets"]["items"]
    return {it["vertex"]: tuple(it["offset"]) for it in items}


def _bone_weights(model, names):
    """Per-vertex total weight on the named bones (BDEF1/BDEF2 only)."""
    wanted = {skeleton.bone_index()[n] for n in names}
    w = []
    for d in model["vertices"]["deforms"]:
        if d["type"] == "bdef1":
            w.append(1.0 if d["bone"] in wanted else 0.0)
        else:
            a, b = d["bones"]
            w.append(d["weight"] * (a in wanted) + (1 - d["weight"]) * (b in wanted))
    return np.array(w)


def _head_weights(model):
    return _bone_weights(model, ["頭"])


def test_dict_is_self_consistent(model):
    v = model["vertices"]
    n = len(v["positions"])
    for key in ("normals", "uvs", "deforms", "edge_scales"):
        assert len(v[key]) == n, key
    assert v["additional_uvs"] == []
    faces = np.array(model["faces"])
    assert faces.shape[1] == 3
    assert faces.min() >= 0 and faces.max() < n
    assert sum(m["index_count"] for m in model["materials"]) == 3 * len(faces)
    assert all(m["index_count"] > 0 and m["index_count"] % 3 == 0 for m in model["materials"])
    n_tex = len(model["textures"])
    for m in model["materials"]:
        assert -1 <= m["texture"] < n_tex
        assert 0 <= m["toon"]["texture"] < n_tex
    spheres = {m["name"]: (m["sphere_mode"], model["textures"][m["sphere_texture"]])
               for m in model["materials"] if m["sphere_texture"] >= 0}
    assert spheres == {"髪": ("add", "tex/hair_s.png"), "肌": ("multiply", "tex/skin_s.png")}
    assert all(m["sphere_mode"] == "off" for m in model["materials"] if m["name"] not in spheres)
    bones = model["bones"]
    for i, b in enumerate(bones):
        assert -1 <= b["parent"] < i
        if "bone" in b["tail"]:
            assert 0 <= b["tail"]["bone"] < len(bones)
        if b["append"] is not None:
            assert 0 <= b["append"]["parent"] < i
    for m in model["morphs"]:
        idx = [it["vertex"] for it in m["offsets"]["items"]]
        assert idx == sorted(set(idx)) and all(0 <= i < n for i in idx), m["name"]
    for frame in model["display_frames"]:
        for item in frame["items"]:
            ((kind, i),) = item.items()
            assert 0 <= i < len(bones if kind == "bone" else model["morphs"])
    header = model["header"]
    assert header["format"] == "pmx" and header["version"] == 2.0
    assert "encoding" not in header  # the default, UTF-16
    assert header["index_sizes"]["vertex"] == 4
    # the JSON round-trips
    assert model_json(model)


def test_faces_grouped_by_material_are_contiguous_vertex_ranges(built, model):
    faces = np.array(model["faces"])
    start = 0
    seen_max = -1
    for m in model["materials"]:
        block = faces[start : start + m["index_count"] // 3]
        start += m["index_count"] // 3
        assert block.min() > seen_max, m["name"]
        seen_max = block.max()


def test_enough_geometry(model):
    assert len(model["vertices"]["positions"]) >= 5000
    assert len(model["faces"]) >= 10000


def test_front_faces_agree_with_normals(model):
    """PMX front faces: cross(v1 - v0, v2 - v0) points along the outward normal."""
    p = np.array(model["vertices"]["positions"], dtype=np.float64)
    n = np.array(model["vertices"]["normals"], dtype=np.float64)
    f = np.array(model["faces"])
    c = np.cross(p[f[:, 1]] - p[f[:, 0]], p[f[:, 2]] - p[f[:, 0]])
    area = np.linalg.norm(c, axis=1)
    ok = area > 1e-7  # the closed eyelids and mouth are zero-area until a morph opens them
    dot = (c[ok] * n[f[ok]].sum(1)).sum(1)
    assert (dot > 0).mean() > 0.995
    assert np.allclose(np.linalg.norm(n, axis=1), 1.0, atol=1e-4)


def test_character_faces_minus_z(built, model):
    p = np.array(model["vertices"]["positions"])
    eyes = p[built.vertex_sets["region:eyes"]]
    head = p[built.vertex_sets["head"]]
    assert eyes[:, 2].mean() < head[:, 2].mean() - 0.8
    # the right eye (右目) is at -X
    bones = {b["name"]: b for b in model["bones"]}
    assert bones["右目"]["position"][0] < 0 < bones["左目"]["position"][0]
    assert p[built.vertex_sets["region:eyes:-1"]][:, 0].max() < 0
    assert 15.5 < head[:, 1].mean() < 18.5


def test_bones(model):
    names = [b["name"] for b in model["bones"]]
    for name in REQUIRED_BONES:
        assert name in names
    bones = {b["name"]: b for b in model["bones"]}
    parent = {b["name"]: names[b["parent"]] if b["parent"] >= 0 else None for b in model["bones"]}
    assert parent["首"] == "上半身" and parent["頭"] == "首"
    assert parent["右目"] == "頭" and parent["左目"] == "頭" and parent["両目"] == "頭"
    for eye in ("右目", "左目"):
        assert bones[eye]["append"] == {"parent": names.index("両目"), "ratio": 1.0}
        assert bones[eye]["flags"] & 0x0100
    assert bones["首"]["position"][1] < bones["頭"]["position"][1]


def test_morph_names_panels_kinds(model):
    names = [m["name"] for m in model["morphs"]]
    assert names == list(MORPH_NAMES)
    for name in REQUIRED_MORPHS:
        assert name in names
    assert len(set(names)) == len(names)
    for m in model["morphs"]:
        assert m["kind"] == "vertex" and m["offsets"]["type"] == "vertex"
    for name, _en, panel, region, _shape, _sides in morphs.MORPHS:
        assert _morph(model, name)["panel"] == panel == PANEL[region]


@pytest.mark.parametrize("row", morphs.MORPHS, ids=[m[0] for m in morphs.MORPHS])
def test_each_morph_moves_only_its_region(built, model, row):
    name, _en, _panel, region, _shape, sides = row
    moved = np.array(sorted(_offsets(model, name)))
    assert len(moved) > 0
    allowed = np.concatenate([built.vertex_sets[f"region:{region}:{s}"] for s in sides])
    assert np.isin(moved, allowed).all()
    # it visibly does something: some vertex moves at least 0.04 units (~3 mm)
    off = np.array(list(_offsets(model, name).values()))
    assert np.linalg.norm(off, axis=1).max() > 0.04


def test_regions_are_disjoint_and_by_material(built, model):
    mats = model["materials"]
    faces = np.array(model["faces"])
    material_of_vertex = {}
    start = 0
    for m in mats:
        for v in np.unique(faces[start : start + m["index_count"] // 3]):
            material_of_vertex[int(v)] = m["name"]
        start += m["index_count"] // 3
    region_materials = {
        "eyes": {"白目", "まぶた", "まつげ"},
        "brows": {"眉"},
        "mouth": {"口", "口線"},
    }
    sets = {r: set(built.vertex_sets[f"region:{r}"].tolist()) for r in region_materials}
    for r, mset in region_materials.items():
        assert {material_of_vertex[v] for v in sets[r]} == mset
    assert not (sets["eyes"] & sets["brows"]) and not (sets["eyes"] & sets["mouth"])


@pytest.mark.parametrize("one, both, side", ONE_SIDED, ids=[r[0] for r in ONE_SIDED])
def test_one_sided_morph_is_both_restricted_to_its_side(model, one, both, side):
    p = np.array(model["vertices"]["positions"])
    o = _offsets(model, one)
    b = _offsets(model, both)
    on_side = {v: off for v, off in b.items() if np.sign(p[v, 0]) == side}
    assert o == on_side  # exactly equal, float for float
    assert all(np.sign(p[v, 0]) == side for v in o)


def test_both_morphs_are_the_union_of_their_sides(model):
    for both, right, left in [
        ("笑い", "ウィンク右", "ウィンク"),
        ("まばたき", "ｳｨﾝｸ２右", "ウィンク２"),
        ("びっくり", "びっくり右", "びっくり左"),
        ("上", "上右", "上左"),
        ("下", "下右", "下左"),
        ("困る", "困る右", "困る左"),
    ]:
        assert _offsets(model, both) == {**_offsets(model, right), **_offsets(model, left)}


def test_morphs_are_mirror_symmetric(built, model):
    """Each right-side part is the mirror of its left twin, vertex for vertex, morphs included."""
    p = np.array(model["vertices"]["positions"])
    pairs = [
        (k, k[:-2] + "_R")
        for k in built.vertex_sets
        if k.endswith("_L") and k.startswith(("eye_plate", "eyelid", "lash", "brow"))
    ]
    assert len(pairs) == 6
    for right, left in [
        ("ウィンク右", "ウィンク"),
        ("ｳｨﾝｸ２右", "ウィンク２"),
        ("上右", "上左"),
        ("下右", "下左"),
        ("困る右", "困る左"),
        ("びっくり右", "びっくり左"),
    ]:
        r = _offsets(model, right)
        lo = _offsets(model, left)
        assert len(r) == len(lo)
        for kl, kr in pairs:
            il, ir = built.vertex_sets[kl], built.vertex_sets[kr]
            np.testing.assert_allclose(p[ir], p[il] * [-1, 1, 1], atol=1e-5)
            for a, b in zip(il, ir, strict=True):
                if a in lo:
                    np.testing.assert_allclose(r[b], np.array(lo[a]) * [-1, 1, 1], atol=1e-6)
                else:
                    assert b not in r


def test_eyes_close_and_mouth_opens(built, model):
    """まばたき brings the lids together; あ opens the mouth downward."""
    p = np.array(model["vertices"]["positions"])
    blink = _offsets(model, "まばたき")
    lids = built.vertex_sets["eyelid_upper_L"]
    dy = np.array([blink[v][1] for v in lids if v in blink])
    assert dy.min() < -0.15  # the upper lid's edge comes down over the eye
    a = _offsets(model, "あ")
    inner = built.vertex_sets["mouth_inner"]
    assert min(a[v][1] for v in inner if v in a) < -0.15
    up = _offsets(model, "上")
    assert all(off[1] > 0 for off in up.values())
    down = _offsets(model, "下")
    assert all(off[1] < 0 for off in down.values())
    assert p is not None


def test_weights_sum_to_one_and_bones_valid(model):
    n_bones = len(model["bones"])
    for d in model["vertices"]["deforms"]:
        assert d["type"] in ("bdef1", "bdef2")
        if d["type"] == "bdef1":
            assert 0 <= d["bone"] < n_bones
        else:
            assert all(0 <= b < n_bones for b in d["bones"]) and d["bones"][0] != d["bones"][1]
            # BDEF2 stores w for bones[0] and 1 - w for bones[1]: they sum to 1 when 0 <= w <= 1
            assert 0.0 < d["weight"] < 1.0


def test_neck_blend_is_smooth_and_monotonic(built, model):
    bones = {b["name"]: b for b in model["bones"]}
    y_neck = bones["首"]["position"][1]
    y_head = bones["頭"]["position"][1]
    y_mid = 0.5 * (y_neck + y_head)
    idx = built.vertex_sets["neck"]
    y = np.array(model["vertices"]["positions"])[idx, 1]
    order = np.argsort(y, kind="stable")
    # Stage 1: what turns with 首 (首 and its child 頭) rises from 0 at the base to 1 at mid-neck.
    follow = _bone_weights(model, ["首", "頭"])[idx]
    assert np.all(np.diff(follow[order]) >= -1e-7)
    assert follow[order[0]] == 0.0 and np.all(follow[y >= y_mid] == 1.0)
    # Stage 2: 頭's own weight rises from 0 at mid-neck to 1 at 頭.
    head = _head_weights(model)[idx]
    assert np.all(np.diff(head[order]) >= -1e-7)
    assert np.all(head[y <= y_mid] == 0.0) and np.all(head[y >= y_head] == 1.0)
    for w, lo, hi in ((follow, y_neck - 0.05, y_mid - 0.05), (head, y_mid + 0.05, y_head - 0.05)):
        between = (y > lo) & (y < hi)
        assert between.sum() >= 2 * 40  # several rings blend in each stage
        assert np.all((w[between] > 0) & (w[between] < 1))
        # smooth: no jump between neighbouring rings bigger than a third of the range
        ring_w = np.unique(np.round(w[order], 6))
        assert np.diff(ring_w).max() < 0.34
    # the neck is bound to 上半身/首/頭 only
    allowed = {skeleton.bone_index()[n] for n in ("上半身", "首", "頭")}
    for i in idx:
        d = model["vertices"]["deforms"][i]
        bones_used = {d["bone"]} if d["type"] == "bdef1" else set(d["bones"])
        assert bones_used <= allowed


def test_head_features_follow_the_head(built, model):
    head = skeleton.bone_index()["頭"]
    deforms = model["vertices"]["deforms"]
    for key in (
        "head",
        "region:hair",
        "region:brows",
        "region:mouth",
        "eyelid_upper_L",
        "lash_upper_R",
    ):
        for i in built.vertex_sets[key]:
            assert deforms[i] == {"type": "bdef1", "bone": head}, key
    # the eye plate's inside follows the eye bone, its outline stays with the head
    eye_l = skeleton.bone_index()["左目"]
    plate = [deforms[i] for i in built.vertex_sets["eye_plate_L"]]
    assert any(d["type"] == "bdef2" and d["bones"] == [eye_l, head] for d in plate)
    assert any(d == {"type": "bdef1", "bone": head} for d in plate)


def test_variants_differ():
    a, b, c = build(0), build(1), build(2)
    for x, y in [(a, b), (b, c), (a, c)]:
        assert not np.array_equal(x.textures["tex/hair.png"], y.textures["tex/hair.png"])
        assert not np.array_equal(x.textures["tex/eye.png"], y.textures["tex/eye.png"])
        hx = np.array(x.model["vertices"]["positions"])[x.vertex_sets["region:hair"]]
        hy = np.array(y.model["vertices"]["positions"])[y.vertex_sets["region:hair"]]
        assert hx.shape != hy.shape or not np.allclose(hx, hy)
    # the face is the same character rig: same morph names and bones
    assert [m["name"] for m in a.model["morphs"]] == [m["name"] for m in b.model["morphs"]]


def test_same_variant_is_identical():
    assert model_json(build_model(3)) == model_json(build_model(3))
    t1, t2 = build(3).textures, build(3).textures
    assert all(np.array_equal(t1[k], t2[k]) for k in t1)


# ---- end to end through the Rust core (needs the native module with the writer) ----


def _core_or_skip():
    core = pytest.importorskip("animeceleb._core")
    if not hasattr(core, "write_model_json"):
        pytest.skip("animeceleb._core has no write_model_json")
    return core


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def written(cache_dir):
    core = _core_or_skip()
    mp = pytest.MonkeyPatch()
    mp.setenv("ANIMECELEB_CACHE", str(cache_dir))
    try:
        from animeceleb.sample import sample_model_path

        path = sample_model_path(0)
        return core, path, core.load_model(path)
    finally:
        mp.undo()


def test_file_parses_with_bones_and_morphs(written, model):
    _core, path, m = written
    assert path.name.endswith(".pmx") and path.is_file()
    assert m.format_version == 2.0
    assert m.positions.shape == (len(model["vertices"]["positions"]), 3)
    assert m.faces.shape == (len(model["faces"]), 3)
    np.testing.assert_array_equal(m.positions, np.array(model["vertices"]["positions"], np.float32))
    bone_names = [b.name for b in m.bones]
    for name in REQUIRED_BONES:
        assert name in bone_names
    morph_names = [x.name for x in m.morphs]
    assert morph_names == list(MORPH_NAMES)
    assert [x.panel for x in m.morphs] == [r[2] for r in morphs.MORPHS]
    for t in m.textures:
        assert (path.parent / t).is_file()


def test_sample_file_is_byte_identical_on_rebuild(written, tmp_path):
    from animeceleb.sample import write_sample

    _core, path, _m = written
    again = write_sample(0, tmp_path)
    assert again.read_bytes() == path.read_bytes()
    for t in ("tex/eye.png", "tex/hair.png", "tex/skin.png"):
        assert (tmp_path / t).read_bytes() == (path.parent / t).read_bytes()


def test_cached_path_is_reused(written, cache_dir, monkeypatch):
    from animeceleb.sample import sample_model_path

    _core, path, _m = written
    monkeypatch.setenv("ANIMECELEB_CACHE", str(cache_dir))
    stamp = path.stat().st_mtime_ns
    assert sample_model_path(0) == path
    assert path.stat().st_mtime_ns == stamp
    assert not [p for p in path.parent.parent.iterdir() if p.name.startswith(".")]


def test_turning_the_neck_turns_the_head(written, built):
    _core, _path, m = written
    if not hasattr(m, "poser"):
        pytest.skip("no poser in this build")
    poser = m.poser()
    poser.set_bone_rotation("首", 20.0, 0.0, 0.0)
    posed = poser.evaluate().positions
    rest = m.positions
    moved = np.linalg.norm(posed - rest, axis=1)
    assert moved[built.vertex_sets["region:eyes"]].min() > 0.2
    assert moved[built.vertex_sets["torso"]].max() < 1e-5
    neck = built.vertex_sets["neck"]
    y = rest[neck, 1]
    order = np.argsort(y)
    # the base of the neck stays with the body; the turn grows up the neck
    d = moved[neck][order]
    assert d[0] < 1e-5
    assert d[-1] > 0.1
