"""A generated folder: layout, label files, paired partitions, split, manifest, poses."""

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
ROOTS = ("combined_default", "combined_toon2", "combined_flat", "combined_soft")
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
    assert names == sorted(["labels.csv", "manifest.json", "annotations.json",
                            "contact_sheet.png", "data", *ROOTS])  # no bookkeeping left behind
    assert sorted(p.name for p in (dataset / "data").iterdir()) == ["test_list.txt",
                                                                    "train_list.txt"]
    for root in ROOTS:  # one loader root per style, the loader's partition folder names
        assert sorted(p.name for p in (dataset / root).iterdir()) == [
            "cached.json", "combined_pose.csv", "frontal", "rotation"]
        for folder in ("rotation", "frontal"):
            assert sorted(p.relative_to(dataset / root / folder).as_posix()
                          for p in (dataset / root / folder).rglob("*.png")) == [
                f"0/{m:05d}/{m:05d}_{i:04d}.png" for m in (0, 1) for i in range(N)]


def test_labels_file(dataset: Path) -> None:
    header, rows = read_csv(dataset / layout.LABELS)
    assert header == ["org_id", "path", *POSE_LAYOUT]
    assert len(rows) == 2 * 2 * N * 4
    expected = [layout.image_relpath(p, s, m, i) for m in (0, 1) for p in PARTS
                for i in range(N) for s in STYLES]
    assert [r[1] for r in rows] == expected
    assert expected[0] == "combined_default/rotation/0/00000/00000_0000.png"
    for r in rows:
        assert int(r[0]) == layout.parse_image_relpath(r[1])[2]
        assert all("." in v for v in r[2:]), r  # every pose number a float: 0.0, never 0
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
        pose, light = sample_image(7, sha[org_id], part, index, ann[org_id], paired=True)
        assert np.array_equal(_pose_cols(r, 2), pose)
        assert lights[r[1]] == light


def test_frontal_images_are_their_rotated_twins_with_zero_angles(dataset: Path) -> None:
    """Paired: under the same relative name, the frontal image has the rotated one's
    expression and light, and head angles 0.0; labels.csv states each image's own pose."""
    _, rows = read_csv(dataset / layout.LABELS)
    by_path = {r[1]: r[2:] for r in rows}
    lights = {im["path"]: im["light"] for im in
              json.loads((dataset / layout.MANIFEST).read_text(encoding="utf-8"))["images"]}
    twins = 0
    for path, pose in by_path.items():
        root, folder, rest = path.split("/", 2)
        if folder != "rotation":
            continue
        front = f"{root}/frontal/{rest}"
        assert by_path[front][:17] == pose[:17]
        assert by_path[front][17:] == ["0.0", "0.0", "0.0"]
        assert lights[front] == lights[path]
        twins += 1
    assert twins == 2 * N * 4 and any(float(v) != 0 for p in by_path.values() for v in p[17:])


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
        if "/frontal/" in r[1]:
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
    assert m["paired"] is True and m["version"] == 2
    assert m["layout"]["roots"] == dict(zip(STYLES, ROOTS, strict=True))
    assert m["layout"]["loader_labels"] == [f"{r}/combined_pose.csv" for r in ROOTS]
    assert m["layout"]["split_lists"] == ["data/train_list.txt", "data/test_list.txt"]
    assert m["layout"]["loader_poses"] == "rotated"
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
    # one light per pose, shared by its styles and its frontal twin
    per_pose = {}
    for im in m["images"]:
        per_pose.setdefault((im["org_id"], im["index"]), set()).add(im["light"])
    assert all(len(v) == 1 for v in per_pose.values())
    assert sorted(m["split"]["train"] + m["split"]["test"]) == [0, 1]


def test_styles_share_the_silhouette(dataset: Path) -> None:
    """Every style renders the same pose: the alpha masks agree."""
    masks = [np.asarray(Image.open(dataset / layout.image_relpath("rotated", s, 0, 1)))[..., 3]
             > 0 for s in STYLES]
    for m in masks[1:]:
        assert (m != masks[0]).mean() < 0.02


def test_paths_and_their_parts() -> None:
    assert layout.image_relpath("rotated", "S1", 3, 7) == \
        "combined_default/rotation/0/00003/00003_0007.png"
    assert layout.image_relpath("frontal", "S4", 1234, 12) == \
        "combined_soft/frontal/1/01234/01234_0012.png"
    assert layout.shard_relpath("S2", "rotated", 5) == "combined_toon2/rotation-000005.tar"
    assert layout.loader_file("S3") == "combined_flat/combined_pose.csv"
    for args in (("rotated", "S2", 0, 0), ("frontal", "S3", 4999, 9999)):
        assert layout.parse_image_relpath(layout.image_relpath(*args)) == args
    for bad in ("rotated/S1/0/00003/00003_0007.png", "combined_default/rotation/0/00003.png",
                "combined_default/rotation/1/00003/00003_0007.png",
                "combined_default/rotation/0/00004/00003_0007.png"):
        with pytest.raises(ValueError, match="not a dataset image path"):
            layout.parse_image_relpath(bad)
    assert [layout.partition_name(n) for n in ("rotated", "rotation", "frontal")] == \
        ["rotated", "rotated", "frontal"]
    with pytest.raises(ValueError, match="partitions are"):
        layout.partition_name("sideways")


def test_unpaired_draws_each_partition_on_its_own(tmp_path: Path, dataset: Path) -> None:
    """--unpaired: the rotated images are the paired dataset's (the same draws), the frontal
    ones have expressions of their own, still with zero head angles."""
    out = tmp_path / "ds"
    run(out, styles=["S3"], paired=False, contact_sheet=False)
    _, rows = read_csv(out / layout.LABELS)
    _, paired = read_csv(dataset / layout.LABELS)
    paired_rows = {r[1]: r for r in paired}
    m = json.loads((out / layout.MANIFEST).read_text(encoding="utf-8"))
    assert m["paired"] is False and m["options"]["paired"] is False
    differs = 0
    for r in rows:
        part, _, org_id, index = layout.parse_image_relpath(r[1])
        if part == "rotated":
            assert r == paired_rows[r[1]]
            assert (out / r[1]).read_bytes() == (dataset / r[1]).read_bytes()
        else:
            assert r[-3:] == ["0.0", "0.0", "0.0"]
            differs += r[2:19] != paired_rows[r[1]][2:19]
    assert differs == 2 * N  # no frontal image shares its twin's expression by chance
    # the loader file carries the rotated poses, as in a paired dataset
    assert (out / "combined_flat/combined_pose.csv").read_bytes() == \
        (dataset / "combined_flat/combined_pose.csv").read_bytes()
