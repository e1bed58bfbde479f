"""The collection report: coverage per model and the two histograms of the paper's Fig. 5."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from _annotate_collection import BROKEN_KEY, EDITED_KEY, SAMPLE_KEY, make_collection
from animeceleb.annotate import Collection, write_report
from animeceleb.annotate.report import histogram_png
from animeceleb.pose import TARGET_MORPHS


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Collection:
    return Collection(make_collection(tmp_path_factory.mktemp("models")))


def test_report(collection: Collection, tmp_path: Path) -> None:
    assert collection.keys == [BROKEN_KEY, SAMPLE_KEY, EDITED_KEY]
    collection.store.decide(SAMPLE_KEY, "mouth_o", "rejected", by="person:test")
    summary = write_report(collection, tmp_path, inspect=False, progress=False)
    assert summary["models"] == 2
    assert list(summary["failed"]) == [BROKEN_KEY]
    assert summary["coverage"] == {SAMPLE_KEY: 22, EDITED_KEY: 21}
    assert summary["source_morphs"] == {SAMPLE_KEY: 23, EDITED_KEY: 23}
    assert summary["per_target"]["mouth_o"] == 1 and summary["per_target"]["brow_up_left"] == 1
    assert summary["per_target"]["eye_close"] == 2

    with open(tmp_path / "coverage.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["model"] for r in rows] == [SAMPLE_KEY, EDITED_KEY]
    first = rows[0]
    assert (first["source_morphs"], first["target_morphs"], first["decided"]) == ("23", "22", "1")
    assert first["eye_close_right"] == "ｳｨﾝｸ２右" and first["mouth_o"] == ""
    assert rows[1]["brow_up_right"] == "" and rows[1]["brow_up"] == "上"
    assert list(rows[0])[5:] == list(TARGET_MORPHS)

    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert f"| {EDITED_KEY} | 23 | 21 | 0 | brow_up_right, brow_up_left |" in md
    assert f"- {BROKEN_KEY}:" in md
    for name in ("source_morphs.png", "target_morphs.png"):
        img = np.asarray(Image.open(tmp_path / name).convert("RGB"))
        assert img.shape == (440, 760, 3)
        bars = (img[..., 2] > 150) & (img[..., 0] < 100)  # the blue of the bars
        assert bars.sum() > 500, name


def test_histogram_bins(tmp_path: Path) -> None:
    bins = histogram_png([21, 23, 23], tmp_path / "t.png", "t", "x", bin_width=1, lo=0, hi=23)
    assert len(bins) == 24 and bins[0] == (0, 1, 0)
    assert bins[21] == (21, 22, 1) and bins[23] == (23, 24, 2)
    assert sum(n for *_, n in bins) == 3
    bins = histogram_png([12, 40, 63, 184], tmp_path / "s.png", "s", "x")
    assert sum(n for *_, n in bins) == 4
    assert all(b - a == bins[0][1] - bins[0][0] for a, b, _ in bins)  # one width
    assert bins[0][0] <= 12 and bins[-1][1] > 184


def test_empty_collection_has_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError, match="does not exist"):
        Collection(tmp_path / "missing")
    assert Collection(tmp_path).keys == []
