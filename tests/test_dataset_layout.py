"""A generated folder: layout, label files, loader compatibility, split, manifest, poses."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import animeceleb as ac
from _dataset import SMALL, read_csv, run
from animeceleb.dataset import layout, sample_image
from animeceleb.pose import POSE_LAYOUT

STYLES = ("S1", "S2", "S3", "S4")
PARTS = ("rotated", "frontal")
N = SMALL["per_model"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ds")
    summary, _ = run(out)
    assert not summary.interrupted and summary.skipped == {}
    assert (summary.images, summary.rendered, summary.identities) == (2 * 2 * N * 4,) * 2 + (2,)
    return out


def _pose_cols(row: list[str], first: int) -> np.ndarray:
    return np.array([float(v) for v in row[first:]], dtype=np.float64)


def test_top_level_files(dataset: Path) -> None:
    names = sorted(p.name for p in dataset.iterdir())
    assert names == sorted([layout.LABELS, layout.MANIFEST, layout.ANNOTATIONS,
                            layout.TRAIN_LIST, layout.TEST_LIST, layout.CONTACT_SHEET,
                            *PARTS])  # no bookkeeping left behind
    for part in PARTS:
        assert sorted(p.name for p in (dataset / part).iterdir()) == sorted(
            [layout.LOADER_LABELS, *STYLES])


def test_labels_file(dataset: Path) -> None:
    header, rows = read_csv(dataset / layout.LABELS)
    assert header == ["org_id", "path", *POSE_LAYOUT]
    assert len(rows) == 2 * 2 * N * 4
    expected = [layout.image_relpath(p, s, m, i) for m in (0, 1) for p in PARTS
                for i in range(N) for s in STYLES]
    assert [r[1] for r in rows] == expected
    for r in rows:
        assert int(r[0]) == layout.parse_image_relpath(r[1])[2]
        with Image.open(dataset / r[1]) as im:
            assert (im.format, im.mode, im.size) == ("PNG", "RGBA", (64, 64))


def test_labels_are_the_rendered_draws(dataset: Path) -> None:
    """Each row holds exactly the pose sampled for that image (rounded as rendered)."""
    manifest = json.loads((dataset / layout.MANIFEST).read_text(encoding="utf-8"))
    anns = json.loads((dataset / layout.ANNOTATIONS).read_text(encoding="utf-8"))["models"]
    sha = {m["org_id"]: m["sha256"] for m in manifest["models"]}
    ann = {a["org_id"]: a["targets"] for a in anns.values()}
    _, rows = read_csv(dataset / layout.LABELS)
    lights = {im["path"]: im["light"] for im in manifest["images"]}
    for r in rows:
        part, _, org_id, index = layout.parse_image_relpath(r[1])
        pose, light = sample_image(7, sha[org_id], part, index, ann[org_id])
        assert np.array_equal(_pose_cols(r, 2), pose)
        assert lights[r[1]] == light


def test_published_loader_layout(dataset: Path) -> None:
    """Each partition is a root the published loader reads: combined_pose.csv with org_id,
    num_cluster, png_name and the pose; images at root/<style>/<num_cluster>/<folder>/<png>
    with folder = png_name.split('_')[0]; identities in train/test lists, one per line."""
    _, labels = read_csv(dataset / layout.LABELS)
    by_path = {r[1]: r[2:] for r in labels}
    for part in PARTS:
        header, rows = read_csv(dataset / part / layout.LOADER_LABELS)
        assert header == ["org_id", "num_cluster", "png_name", *POSE_LAYOUT]
        assert len(rows) == 2 * N
        for org_id, cluster, png, *pose in rows:
            folder = png.split("_")[0]
            assert int(folder) == int(org_id)
            for style in STYLES:
                rel = f"{part}/{style}/{cluster}/{folder}/{png}"
                assert (dataset / rel).is_file()
                assert by_path[rel] == pose
    train = (dataset / layout.TRAIN_LIST).read_text().splitlines(keepends=True)
    test = (dataset / layout.TEST_LIST).read_text().splitlines(keepends=True)
    assert all(line.endswith("\n") for line in train + test)  # the loader strips line[:-1]
    assert sorted(int(x) for x in train + test) == [0, 1] and len(test) == 1


def test_pose_ranges_and_one_morph_per_part(dataset: Path) -> None:
    _, rows = read_csv(dataset / layout.LABELS)
    col = {name: i for i, name in enumerate(POSE_LAYOUT)}
    parts = {"eyes": ("eye_close", "eye_smile", "eye_wide"),
             "brows": ("brow_up", "brow_down", "brow_troubled")}
    mouth = ("mouth_a", "mouth_i", "mouth_u", "mouth_e", "mouth_o")
    seen_angles = []
    for r in rows:
        pose = _pose_cols(r, 2)
        morphs, angles = pose[:17], pose[17:]
        assert ((morphs >= 0) & (morphs <= 1)).all()
        assert ((angles >= -20) & (angles <= 20)).all()
        if r[1].startswith("frontal/"):
            assert (angles == 0).all()
        else:
            seen_angles.append(angles)
        for bases in parts.values():
            live = [b for b in bases
                    if pose[col[f"{b}_right"]] > 0 or pose[col[f"{b}_left"]] > 0]
            assert len(live) <= 1, (r[1], live)
        assert sum(pose[col[m]] > 0 for m in mouth) <= 1
    assert np.abs(np.array(seen_angles)).max() > 1.0  # the rotated partition does rotate


def test_manifest(dataset: Path) -> None:
    m = json.loads((dataset / layout.MANIFEST).read_text(encoding="utf-8"))
    assert (m["format"], m["generator"]["version"]) == ("animeceleb-dataset", ac.__version__)
    assert m["pose_layout"] == list(POSE_LAYOUT) and m["styles"] == list(STYLES)
    assert m["options"]["seed"] == 7 and m["options"]["per_model"] == N
    for rec, variant in zip(m["models"], (0, 1), strict=True):
        data = Path(ac.sample_model_path(variant)).read_bytes()
        assert rec["sha256"] == hashlib.sha256(data).hexdigest()
        assert rec["poses_per_partition"] == N and rec["annotation_from"] == "proposed"
    ann_bytes = (dataset / layout.ANNOTATIONS).read_bytes()
    assert m["annotations"]["sha256"] == hashlib.sha256(ann_bytes).hexdigest()
    anns = json.loads(ann_bytes)["models"]
    model0 = ac.load_model(ac.sample_model_path(0))
    assert anns["sample-0"]["targets"] == ac.propose_annotation(model0)
    assert len(m["images"]) == m["counts"]["images"] == 2 * 2 * N * 4
    for im in m["images"]:
        assert 0.3 <= im["light"] <= 0.9 and im["style"] in STYLES
    # one light per pose, shared by its styles
    per_pose = {}
    for im in m["images"]:
        per_pose.setdefault((im["partition"], im["org_id"], im["index"]), set()).add(im["light"])
    assert all(len(v) == 1 for v in per_pose.values())
    assert sorted(m["split"]["train"] + m["split"]["test"]) == [0, 1]


def test_styles_share_the_silhouette(dataset: Path) -> None:
    """Every style renders the same pose: the alpha masks agree."""
    rel = layout.image_relpath("rotated", "S1", 0, 1)
    masks = [np.asarray(Image.open(dataset / rel.replace("/S1/", f"/{s}/")))[..., 3] > 0
             for s in STYLES]
    for m in masks[1:]:
        assert (m != masks[0]).mean() < 0.02
