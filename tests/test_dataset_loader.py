"""The published AnimeCeleb loader's access pattern, reproduced (not its code): each style root
is read with pandas, the identity tree built from the rows and cached as JSON, the split lists
read from data/ with the last character of each line cut, and every image path it implies
opened, in both partition folders; frontal and rotated images pair by name."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from _dataset import SMALL, read_csv, run
from animeceleb.dataset import layout
from animeceleb.pose import POSE_LAYOUT

ROOTS = ("combined_default", "combined_toon2", "combined_flat", "combined_soft")
N = SMALL["per_model"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("loader")
    run(out, contact_sheet=False)
    return out


def _identity_tree(frame: Any) -> dict[Any, dict[str, Any]]:
    """What the loader builds from combined_pose.csv: per org_id its num_cluster (as text),
    folder (png_name up to '_'), image names and pose rows, with the values pandas gives."""
    tree: dict[Any, dict[str, Any]] = {}
    for number in np.unique(list(frame["org_id"])).tolist():
        tree[number] = {"num_cluster": None, "folder_name": None, "img_names": [],
                        "pose_information": []}
    for i in range(len(frame)):
        row = list(frame.iloc[i])
        entry = tree[row[0]]
        if entry["num_cluster"] is None:
            entry["num_cluster"] = str(row[1])
            entry["folder_name"] = row[2].split("_")[0]
        entry["img_names"].append(row[2])
        entry["pose_information"].append(row[3:])
    return tree


def _split(out: Path, name: str) -> list[str]:
    with open(out / "data" / name) as f:  # as the loader: the newline is the last character
        return [line[:-1] for line in f]


def test_combined_pose_csv_reads_as_floats_and_caches_as_json(dataset: Path) -> None:
    _, labels = read_csv(dataset / layout.LABELS)
    by_path = {r[1]: [float(v) for v in r[2:]] for r in labels}
    train, test = _split(dataset, "train_list.txt"), _split(dataset, "test_list.txt")
    assert sorted(train + test) == ["0", "1"] and len(test) == 1
    for root in ROOTS:
        frame = pd.read_csv(dataset / root / "combined_pose.csv")
        assert list(frame.columns) == ["org_id", "num_cluster", "png_name", *POSE_LAYOUT]
        assert [str(t) for t in frame.dtypes[:2]] == ["int64", "int64"]
        assert all(str(t) == "float64" for t in frame.dtypes[3:]), frame.dtypes
        assert len(frame) == 2 * N
        tree = _identity_tree(frame)
        text = json.dumps(tree)  # raises on an int64 pose value
        cached = json.loads(text)
        # the cache we ship is the one the loader would write
        assert json.loads((dataset / root / "cached.json").read_text()) == cached
        for ident in train + test:  # keys as the split lists spell them
            entry = cached[ident]
            assert entry["num_cluster"] == "0" and entry["folder_name"] == f"{int(ident):05d}"
            assert entry["img_names"] == [f"{int(ident):05d}_{i:04d}.png" for i in range(N)]
            for name, pose in zip(entry["img_names"], entry["pose_information"], strict=True):
                for folder in ("rotation", "frontal"):
                    rel = f"{root}/{folder}/{entry['num_cluster']}/{entry['folder_name']}/{name}"
                    with Image.open(dataset / rel) as im:
                        assert (im.mode, im.size) == ("RGBA", (64, 64))
                rotated = f"{root}/rotation/0/{entry['folder_name']}/{name}"
                frontal = f"{root}/frontal/0/{entry['folder_name']}/{name}"
                # the loader returns these numbers as float32: they equal the labels
                returned = np.array(pose, dtype="float32")
                assert np.array_equal(returned, np.array(by_path[rotated], dtype="float32"))
                # the frontal twin: same expression, head angles 0.0
                assert by_path[frontal][:17] == pose[:17]
                assert by_path[frontal][17:] == [0.0, 0.0, 0.0]


def test_a_loader_root_with_only_frontal_poses_is_still_all_floats(tmp_path: Path) -> None:
    """Every angle is zero there: written 0.0, pandas still reads float64 columns."""
    out = tmp_path / "ds"
    run(out, styles=["S3"], partitions=["frontal"], size=32, contact_sheet=False)
    text = (out / "combined_flat" / "combined_pose.csv").read_text()
    assert text.splitlines()[1].endswith(",0.0,0.0,0.0")
    frame = pd.read_csv(io.StringIO(text))
    assert all(str(t) == "float64" for t in frame.dtypes[3:])
    assert (frame[["yaw", "pitch", "roll"]] == 0.0).all().all()
    json.dumps(_identity_tree(frame))
    assert not (out / "combined_flat" / "rotation").exists()
    assert len(list((out / "combined_flat" / "frontal").rglob("*.png"))) == 2 * N
