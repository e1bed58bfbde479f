"""--format webdataset: tar shards of PNG + pose JSON that the webdataset package reads, with
the images and labels of the folder format; the same bytes whatever --workers; resumable."""

from __future__ import annotations

import gc
import io
import json
import os
import random
import signal
import tarfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import webdataset as wds
from PIL import Image

from _dataset import cli, files, read_csv, run, small_args
from animeceleb.dataset import PairFolder, layout, write_contact_sheet

STYLES = ["S1", "S3"]
SHARDS = {  # 2 models x 3 poses per partition and style, 4 images per shard
    f"{root}/{folder}-{n:06d}.tar": count for root in ("combined_default", "combined_flat")
    for folder in ("rotation", "frontal") for n, count in ((0, 4), (1, 2))}
WDS = {"styles": STYLES, "format": "webdataset", "shard_size": 4}


def _read(urls: list[str], decode: str | None = None) -> list[dict[str, Any]]:
    """Every sample of the shards, as the webdataset package gives them (it leaves each shard
    file for the garbage collector to close: collected here, its ResourceWarning ignored)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        dataset = wds.WebDataset(urls, shardshuffle=False)
        samples = list(dataset.decode(decode) if decode else dataset)
        del dataset
        gc.collect()
    return samples


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("folder")
    run(out, styles=STYLES)
    return out


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wds")
    summary, _ = run(out, workers=2, **WDS)
    assert summary.images == summary.rendered == 24
    return out


def test_files(shards: Path, folder: Path) -> None:
    got = files(shards)
    assert sorted(got) == sorted(["labels.csv", "manifest.json", "annotations.json",
                                  "contact_sheet.png", "data/train_list.txt",
                                  "data/test_list.txt", *SHARDS])
    for name in ("labels.csv", "annotations.json", "data/train_list.txt", "data/test_list.txt"):
        assert got[name] == (folder / name).read_bytes(), name
    # the same images, so the same contact sheet, read from the shards
    assert got["contact_sheet.png"] == (folder / "contact_sheet.png").read_bytes()
    m = json.loads(got["manifest.json"])
    assert m["layout"]["format"] == "webdataset" and m["layout"]["shard_size"] == 4
    assert m["layout"]["shards"] == [{"path": k, "images": v} for k, v in SHARDS.items()]


def test_webdataset_reads_the_samples_of_labels_csv(shards: Path, folder: Path) -> None:
    header, rows = read_csv(shards / layout.LABELS)
    urls = [str(shards / name) for name in SHARDS]
    samples = _read(urls)
    assert sorted(s["__key__"] for s in samples) == sorted(r[1][:-4] for r in rows)
    by_path = {r[1]: r for r in rows}
    for sample in samples:
        label = json.loads(sample["json"])
        row = by_path[label["path"]]
        assert sample["__key__"] == label["path"][:-4]
        assert list(label) == header  # the keys of labels.csv, in its order
        assert label["org_id"] == int(row[0])
        assert [label[k] for k in header[2:]] == [float(v) for v in row[2:]]
        assert all(isinstance(label[k], float) for k in header[2:])
        assert sample["png"] == (folder / label["path"]).read_bytes()
    # and decoded by webdataset itself
    first = _read(urls[:1], "rgb8")[0]
    assert first["png"].shape == (64, 64, 3) and first["png"].dtype == np.uint8
    assert first["json"]["path"] == "combined_default/rotation/0/00000/00000_0000.png"


def test_shards_are_plain_deterministic_tars(shards: Path) -> None:
    with tarfile.open(shards / "combined_flat/frontal-000000.tar") as tar:
        members = tar.getmembers()
    assert [m.name for m in members] == [
        f"combined_flat/frontal/0/00000/00000_{i:04d}{ext}" for i in range(3)
        for ext in (".json", ".png")] + [
        f"combined_flat/frontal/0/00001/00001_0000{ext}" for ext in (".json", ".png")]
    for m in members:
        assert (m.mtime, m.uid, m.gid, m.uname, m.gname, m.mode) == (0, 0, 0, "", "", 0o644)
        assert m.isreg() and not m.pax_headers


def test_same_bytes_with_one_worker(shards: Path, tmp_path: Path) -> None:
    out = tmp_path / "ds"
    run(out, workers=1, **WDS)
    assert files(out) == files(shards)


def test_pair_folder_reads_the_shards(shards: Path, folder: Path) -> None:
    a, b = PairFolder(shards, background=(255, 255, 255)), PairFolder(folder)
    assert a.paths == b.paths and len(a) == 24
    for i in (0, 5, 23):
        with Image.open(folder / a.paths[i]) as im:
            rgba = np.asarray(im)
        assert np.array_equal(b.image(i), rgba)
        assert np.array_equal(PairFolder(shards).image(i), rgba)
        assert a.image(i).shape == (64, 64, 3)
    sheet = write_contact_sheet(shards, shards.parent / "sheet.png", partition="frontal")
    with Image.open(io.BytesIO(sheet.read_bytes())) as im:
        assert im.size[1] == 2 * (96 + 16)


def test_a_lost_shard_is_made_again(shards: Path, tmp_path: Path) -> None:
    out = tmp_path / "ds"
    run(out, **WDS)
    before = files(out)
    (out / "combined_default/rotation-000001.tar").unlink()
    summary, _ = run(out, **WDS)
    assert summary.rendered == 2 and files(out) == before


def test_sigkill_then_resume(tmp_path: Path, shards: Path) -> None:
    """Killed while rendering (images staged) or while packing (some shards written, their
    staged images gone): the next run finishes the same bytes."""
    reference = files(shards)
    out = tmp_path / "ds"
    stage = out / layout.STATE_DIR / "stage"
    args = [*small_args(out, workers=2), "--styles", ",".join(STYLES), "--format",
            "webdataset", "--shard-size", "4"]
    rng = random.Random(99)
    kills = 0
    for wait_for in (6, 24, 24):
        proc = cli(*args, start_new_session=True)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            staged = sum(1 for _ in stage.rglob("*.png")) if stage.exists() else 0
            packed = sum(1 for _ in out.glob("*/*.tar")) if out.exists() else 0
            if staged + 4 * packed >= wait_for:
                break
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            kills += 1
        proc.communicate(timeout=60)
        for name, data in files(out).items():  # what is there under a final name is right
            if not name.startswith(layout.STATE_DIR + "/"):
                assert data == reference[name], name
    assert kills >= 2
    proc = cli(*args)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr.decode()
    assert files(out) == reference


def test_stopped_while_packing_then_resumed(tmp_path: Path, shards: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Two shards written and the third half-way when the run dies: the written ones are
    kept (their staged images gone), the half one never appears, the next run completes."""
    from animeceleb.dataset import shards as shards_module

    real_add = shards_module._add
    calls = 0

    def dying_add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
        nonlocal calls
        calls += 1
        if calls == 2 * 8 + 3:  # 8 members (4 samples) per full shard
            raise RuntimeError("power cut")
        real_add(tar, name, data)

    out = tmp_path / "ds"
    monkeypatch.setattr(shards_module, "_add", dying_add)
    with pytest.raises(RuntimeError, match="power cut"):
        run(out, **WDS)
    monkeypatch.setattr(shards_module, "_add", real_add)
    packed = sorted(p.relative_to(out).as_posix() for p in out.glob("*/*.tar"))
    assert packed == ["combined_default/rotation-000000.tar",
                      "combined_default/rotation-000001.tar"]
    staged = out / layout.STATE_DIR / "stage"
    assert sum(1 for _ in staged.rglob("*.png")) == 24 - 6
    assert not (out / layout.MANIFEST).exists()
    summary, _ = run(out, **WDS)
    assert summary.rendered == 0 and files(out) == files(shards)
