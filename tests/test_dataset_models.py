"""Models in a folder: broken or unframeable ones are skipped with a message; annotations come
from the collection's store when it has them (never written into the models folder); the
paper's 100/20 rule for the number of images."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import animeceleb as ac
from _dataset import read_csv, run
from animeceleb.annotate import AnnotationStore
from animeceleb.dataset import GenerateError, layout
from animeceleb.dataset.sources import images_per_model
from animeceleb.pose import TARGET_MORPHS
from animeceleb.sample import build_model

ONE = {"styles": ["S3"], "partitions": ["frontal"], "size": 32}


def _copy_sample(dst: Path, variant: int = 0) -> Path:
    src = Path(ac.sample_model_path(variant)).parent
    shutil.copytree(src, dst)
    return dst / Path(ac.sample_model_path(variant)).name


@pytest.fixture
def models(tmp_path: Path) -> Path:
    root = tmp_path / "models"
    _copy_sample(root / "good")
    (root / "broken").mkdir()
    (root / "broken" / "garbage.pmx").write_bytes(b"PMX \x00\x00\x00@ not really a model")
    spec = build_model(1)
    for bone in spec["bones"]:
        if bone["name"] == "首":
            bone["name"] = "neck"
    (root / "headless").mkdir()
    ac.write_model(spec, root / "headless" / "no_neck.pmx")
    return root


def _unweighted_head(path: Path) -> None:
    """A model with 首 and 頭 whose vertices all follow 首 instead of 頭 and its children:
    only the renderer finds out it can't be framed."""
    spec = build_model(2)
    names = [b["name"] for b in spec["bones"]]
    neck, head = names.index("首"), names.index("頭")
    moved = {i for i, b in enumerate(spec["bones"]) if i == head or b["parent"] == head}
    for d in spec["vertices"]["deforms"]:
        if d.get("bone") in moved:
            d["bone"] = neck
        if "bones" in d:
            d["bones"] = [neck if b in moved else b for b in d["bones"]]
    path.parent.mkdir(parents=True)
    ac.write_model(spec, path)


def test_broken_and_neckless_models_are_skipped_with_a_message(models: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "ds"
    summary, messages = run(out, models_dir=models, per_model=2, **ONE)
    assert set(summary.skipped) == {"broken/garbage.pmx", "headless/no_neck.pmx"}
    assert "cannot load" in summary.skipped["broken/garbage.pmx"]
    assert "首" in summary.skipped["headless/no_neck.pmx"]
    assert any("broken/garbage.pmx" in m for m in messages)
    assert any("headless/no_neck.pmx" in m for m in messages)
    assert "skipped headless/no_neck.pmx" in summary.report()
    assert not (out / layout.STATE_DIR).exists()
    _, rows = read_csv(out / layout.LABELS)
    # identity numbers follow the sorted model list, skipped models included
    keys = ["broken/garbage.pmx", "good/animeceleb_sample_0.pmx", "headless/no_neck.pmx"]
    assert {r[0] for r in rows} == {"1"} and len(rows) == 2
    manifest = json.loads((out / layout.MANIFEST).read_text(encoding="utf-8"))
    assert [m["key"] for m in manifest["models"]] == keys
    assert [("skipped" in m) for m in manifest["models"]] == [True, False, True]
    assert manifest["split"] == {"ratio": [3319, 294], "train": [1], "test": []}


def test_a_model_the_renderer_cannot_frame_is_skipped(tmp_path: Path) -> None:
    root = tmp_path / "models"
    _copy_sample(root / "a")
    _unweighted_head(root / "b" / "flat.pmx")
    out = tmp_path / "ds"
    for workers in (1, 2):  # found in the parent's process, or in a worker's
        summary, messages = run(out, models_dir=root, per_model=2, workers=workers, **ONE)
        assert list(summary.skipped) == ["b/flat.pmx"]
        assert "cannot be framed" in summary.skipped["b/flat.pmx"]
        assert any("b/flat.pmx" in m for m in messages)
        assert summary.identities == 1 and summary.images == 2
        assert len(list(out.rglob("00000_*.png"))) == 2
        assert not list(out.rglob("00001_*.png"))  # none of its images in the dataset
        manifest = json.loads((out / layout.MANIFEST).read_text(encoding="utf-8"))
        assert "cannot be framed" in manifest["models"][1]["skipped"]


def test_only_broken_models_is_an_error(tmp_path: Path) -> None:
    root = tmp_path / "models"
    root.mkdir()
    (root / "x.pmx").write_bytes(b"nope")
    with pytest.raises(GenerateError, match="no model can be used"):
        run(tmp_path / "ds", models_dir=root, **ONE)
    with pytest.raises(GenerateError, match="does not exist"):
        run(tmp_path / "ds", models_dir=tmp_path / "missing", **ONE)


def test_store_annotation_is_used_and_models_folder_untouched(tmp_path: Path) -> None:
    root = tmp_path / "models"
    path = _copy_sample(root / "a")
    key = "a/" + path.name
    store = AnnotationStore(root / "annotations.json")
    model = ac.load_model(path)
    proposed = ac.propose_annotation(model)
    store.set_proposals(key, {t: {"source": s} for t, s in proposed.items()},
                        {"sha256": ac.annotate.store.file_info(path)["sha256"]})
    keep = ("mouth_a", "mouth_o", "eye_close", "brow_up", "eye_smile")  # five targets
    for t in TARGET_MORPHS:
        if t not in keep:
            store.decide(key, t, "rejected", by="test")
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    out = tmp_path / "ds"
    summary, _ = run(out, models_dir=root, per_model=None, **ONE)
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == before
    anns = json.loads((out / layout.ANNOTATIONS).read_text(encoding="utf-8"))["models"]
    assert anns[key]["from"] == "store"
    manifest = json.loads((out / layout.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["annotations"]["from_store"] == 1
    assert manifest["annotations"]["store_format"] == {"format": "animeceleb-annotation",
                                                       "version": 1}
    assert {t for t, s in anns[key]["targets"].items() if s} == set(keep)
    # five annotated targets: the paper's rule gives 20 images per partition
    assert summary.images == 20
    header, rows = read_csv(out / layout.LABELS)
    col = {name: i for i, name in enumerate(header)}
    for r in rows:  # rejected targets are never drawn
        for name in ("mouth_i", "mouth_u", "mouth_e", "eye_wide_right", "brow_down_left"):
            assert float(r[col[name]]) == 0.0


def test_paper_rule_counts_annotated_targets() -> None:
    six = dict.fromkeys(TARGET_MORPHS, None) | {t: t for t in TARGET_MORPHS[:6]}
    five = dict.fromkeys(TARGET_MORPHS, None) | {t: t for t in TARGET_MORPHS[:5]}
    assert images_per_model(six) == 100
    assert images_per_model(five) == 20
    assert images_per_model(five, override=3) == 3


def test_sample_characters_get_100_images_by_default(tmp_path: Path) -> None:
    summary, _ = run(tmp_path / "ds", samples=1, per_model=None, size=16, styles=["S3"],
                     partitions=["frontal"], contact_sheet=False)
    assert summary.images == 100


def test_real_models_folder_is_read_not_written(tmp_path: Path) -> None:
    from conftest import models_dir

    root = models_dir()
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    summary, _ = run(tmp_path / "ds", models_dir=root, per_model=1, **ONE)
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == before
    assert summary.skipped == {} and summary.identities == len(ac.annotate.find_models(root))
    manifest = json.loads((tmp_path / "ds" / layout.MANIFEST).read_text(encoding="utf-8"))
    for rec in manifest["models"]:
        assert rec["annotation_from"] in ("store", "proposed")
        assert rec["annotated_targets"] > 5
