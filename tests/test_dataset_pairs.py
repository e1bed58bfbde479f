"""Source/driving pairs of a generated folder: PairFolder (numpy) and the torch dataset."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from _dataset import read_csv, run
from animeceleb.dataset import PairFolder, layout


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pairs")
    run(out, styles=["S1", "S3"], contact_sheet=False)
    return out


def test_pairs_are_one_identity_and_style_with_their_poses(folder: Path) -> None:
    pairs = PairFolder(folder)
    _, rows = read_csv(folder / layout.LABELS)
    assert len(pairs) == len(rows) == 2 * 2 * 3 * 2
    pose_of = {r[1]: np.array(r[2:], dtype=np.float32) for r in rows}
    for i in range(len(pairs)):
        item = pairs[i]
        src, drv = item["source_path"], item["driving_path"]
        assert src == rows[i][1] and drv != src
        ps, ss, ids, _ = layout.parse_image_relpath(src)
        _, sd, idd, _ = layout.parse_image_relpath(drv)
        assert (ids, ss) == (idd, sd) == (item["identity"], ss)
        assert np.array_equal(item["source_pose"], pose_of[src])
        assert np.array_equal(item["driving_pose"], pose_of[drv])
        assert item["source"].shape == (64, 64, 4) and item["source"].dtype == np.uint8


def test_twins_are_the_same_name_in_the_other_partition(folder: Path) -> None:
    pairs = PairFolder(folder)
    for i in range(len(pairs)):
        j = pairs.twin_index(i)
        assert j is not None and pairs.twin_index(j) == i
        a, b = pairs.paths[i], pairs.paths[j]
        assert a.split("/")[0] == b.split("/")[0] and a.split("/")[2:] == b.split("/")[2:]
        assert {a.split("/")[1], b.split("/")[1]} == {"rotation", "frontal"}
        assert np.array_equal(pairs.poses[i][:17], pairs.poses[j][:17])
        front = i if "/frontal/" in a else j
        assert pairs.poses[front][17:].tolist() == [0.0, 0.0, 0.0]
    only = PairFolder(folder, partitions=["rotation"])  # the folder's name works too
    assert len(only) == len(pairs) // 2 and only.twin_index(0) is None


def test_pairs_are_reproducible_and_change_with_the_epoch(folder: Path) -> None:
    a, b = PairFolder(folder, seed=3), PairFolder(folder, seed=3)
    first = [a.driving_index(i) for i in range(len(a))]
    assert first == [b.driving_index(i) for i in range(len(b))]
    a.set_epoch(1)
    assert [a.driving_index(i) for i in range(len(a))] != first


def test_filters_and_background(folder: Path) -> None:
    test_ids = [int(x) for x in (folder / layout.TEST_LIST).read_text().split()]
    pairs = PairFolder(folder, split="test", partitions=["rotated"], styles=["S3"],
                       background=(255, 255, 255))
    assert len(pairs) == 3 and set(pairs.identities.tolist()) == set(test_ids)
    item = pairs[0]
    assert item["source"].shape == (64, 64, 3)
    rgba = PairFolder(folder).image(0)
    assert rgba.shape == (64, 64, 4)
    corner = item["source"][0, 0]  # transparent background -> white
    assert corner.tolist() == [255, 255, 255]
    with pytest.raises(ValueError, match="split"):
        PairFolder(folder, split="validation")
    with pytest.raises(IndexError):
        pairs[3]


def test_not_a_dataset(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="labels.csv"):
        PairFolder(tmp_path)


def test_torch_dataset(folder: Path) -> None:
    torch = pytest.importorskip("torch")
    from animeceleb.torch import FolderPairDataset

    ds = FolderPairDataset(folder, split="train")
    pairs = PairFolder(folder, split="train", background=(255, 255, 255))
    assert len(ds) == len(pairs)
    item = ds[0]
    assert item["source"].shape == (3, 64, 64) and item["source"].dtype == torch.float32
    assert float(item["source"].max()) <= 1.0
    ref = pairs[0]
    assert torch.equal(item["source_pose"], torch.from_numpy(ref["source_pose"]))
    assert np.allclose(item["driving"].numpy().transpose(1, 2, 0) * 255, ref["driving"])
    batch = next(iter(torch.utils.data.DataLoader(ds, batch_size=4)))
    assert batch["source"].shape == (4, 3, 64, 64) and batch["driving_pose"].shape == (4, 20)


def test_torch_missing_says_how_to_get_it() -> None:
    import importlib.util
    import sys

    if importlib.util.find_spec("torch") is not None:
        pytest.skip("torch is installed")
    sys.modules.pop("animeceleb.torch", None)
    sys.modules.pop("animeceleb.torch.folder", None)
    with pytest.raises(ImportError, match=r"pip install 'animeceleb\[torch\]'"):
        import animeceleb.torch  # noqa: F401
