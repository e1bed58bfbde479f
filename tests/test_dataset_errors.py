"""What generate refuses, with a clear message: bad options, a folder holding something else,
a dataset made with other settings, a folder another run is writing."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from _dataset import run
from animeceleb.dataset import GenerateError, layout
from animeceleb.dataset.split import parse_ratio, split_identities

ONE = {"styles": ["S3"], "partitions": ["frontal"], "size": 32, "per_model": 1,
       "contact_sheet": False}


@pytest.mark.parametrize(("kw", "message"), [
    ({"styles": ["S9"]}, "unknown style"),
    ({"partitions": ["sideways"]}, "partitions are"),
    ({"per_model": 0}, "--per-model"),
    ({"workers": 0}, "--workers"),
    ({"seed": -1}, "--seed"),
    ({"size": 8}, "--size"),
])
def test_bad_options(tmp_path: Path, kw: dict, message: str) -> None:
    with pytest.raises(GenerateError, match=message):
        run(tmp_path / "ds", **{**ONE, **kw})
    assert not (tmp_path / "ds").exists()


def test_style_words_are_accepted(tmp_path: Path) -> None:
    summary, _ = run(tmp_path / "ds", **{**ONE, "styles": ["flat", "S3"]})
    assert summary.images == 2  # "flat" is S3: once


def test_style_and_partition_order_does_not_matter(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    run(out, **{**ONE, "styles": ["S3", "S1"], "partitions": ["frontal", "rotated"]})
    summary, _ = run(out, **{**ONE, "styles": ["S1", "S3"], "partitions": ["rotated", "frontal"]})
    assert summary.rendered == 0 and summary.images == 2 * 2 * 2


def test_a_folder_with_other_files_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    out.mkdir()
    (out / "holiday.jpg").write_bytes(b"x")
    with pytest.raises(GenerateError, match="not empty"):
        run(out, **ONE)
    assert [p.name for p in out.iterdir()] == ["holiday.jpg"]  # left as it was


def test_a_dataset_with_other_settings_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    run(out, **ONE)
    with pytest.raises(GenerateError, match="differs in: seed"):
        run(out, **{**ONE, "seed": 99})
    with pytest.raises(GenerateError, match="styles"):
        run(out, **{**ONE, "styles": ["S1"]})


def test_a_folder_in_use_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    (out / layout.STATE_DIR).mkdir(parents=True)
    fd = os.open(out / layout.STATE_DIR / "lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(GenerateError, match="another animeceleb generate"):
            run(out, **ONE)
    finally:
        os.close(fd)


def test_a_missing_store_is_refused(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    with pytest.raises(GenerateError, match="store .* does not exist"):
        run(tmp_path / "ds", models_dir=tmp_path / "models", store=tmp_path / "nope.json", **ONE)


def test_split_ratio() -> None:
    assert parse_ratio("3319:294") == (3319, 294)
    for bad in ("3319", "a:b", "0:0", "-1:3"):
        with pytest.raises(ValueError):
            parse_ratio(bad)
    ids = [(i, f"{i:064x}") for i in range(100)]
    train, test = split_identities(ids, seed=0)
    assert len(test) == 8 and sorted(train + test) == list(range(100))  # 100 * 294 / 3613
    assert split_identities(ids, seed=0) == (train, test)
    assert split_identities(ids, seed=1) != (train, test)
    assert split_identities(ids[:1], seed=0) == ([0], [])
    assert split_identities(ids, seed=0, ratio=(0, 1)) == ([], list(range(100)))
