"""The server's model registry: ids from the configured folders, annotations from the store
(decisions over proposals) or proposed, nothing written into a models folder unless asked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import animeceleb as ac
from _service import sample_models
from animeceleb.service.registry import ModelRegistry, UnknownModel

V0, V1 = "v0/animeceleb_sample_0.pmx", "v1/animeceleb_sample_1.pmx"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return sample_models(tmp_path / "chars")


def test_ids_are_relative_paths_and_nothing_is_written(folder: Path) -> None:
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    reg = ModelRegistry([folder])
    assert reg.ids == [V0, V1]
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before
    m = ac.load_model(folder / V0)
    e = reg.entry(V0)
    assert dict(e.annotation) == ac.propose_annotation(m)
    assert (e.vertex_count, e.bone_count, e.format) == (m.vertex_count, len(m.bones), "pmx")
    with pytest.raises(UnknownModel):
        reg.entry(str(folder / V0))  # a path is never an id
    with pytest.raises(UnknownModel):
        reg.entry("../chars/" + V0)


def test_decisions_in_the_folders_store_win(folder: Path) -> None:
    store = ac.AnnotationStore(folder / "annotations.json")
    store.decide(V0, "mouth_a", "reassigned", source="い")
    store.decide(V0, "eye_close", "rejected")
    text = store.path.read_bytes()
    e = ModelRegistry([folder]).entry(V0)
    proposed = ac.propose_annotation(ac.load_model(folder / V0))
    assert e.annotation["mouth_a"] == "い"
    assert e.annotation["eye_close"] is None
    assert "eye_close" not in e.target_morphs
    assert {t: s for t, s in e.annotation.items() if t not in ("mouth_a", "eye_close")} == {
        t: s for t, s in proposed.items() if t not in ("mouth_a", "eye_close")}
    assert store.path.read_bytes() == text  # read, never written


def test_a_given_store_is_filled_with_proposals(folder: Path, tmp_path: Path) -> None:
    store_path = tmp_path / "store.json"
    reg = ModelRegistry([folder], store=store_path)
    data = json.loads(store_path.read_text(encoding="utf-8"))
    assert sorted(data["models"]) == [V0, V1]
    assert not (folder / "annotations.json").exists()
    assert dict(reg.entry(V1).annotation) == ac.AnnotationStore(store_path).annotation(V1)


def test_several_folders_prefix_ids(folder: Path, tmp_path: Path) -> None:
    other = sample_models(tmp_path / "more", variants=(2,))
    reg = ModelRegistry([folder, other])
    assert reg.ids == [f"chars/{V0}", f"chars/{V1}", "more/v2/animeceleb_sample_2.pmx"]
    same_name = sample_models(tmp_path / "x" / "chars", variants=(0,))
    with pytest.raises(ValueError, match=f"two models would have the id 'chars/{V0}'"):
        ModelRegistry([folder, same_name])


def test_broken_files_are_skipped_with_the_reason(folder: Path) -> None:
    (folder / "broken.pmx").write_bytes(b"PMX \x00\x00")
    reg = ModelRegistry([folder])
    assert reg.ids == [V0, V1]
    assert "broken.pmx" in reg.skipped and reg.skipped["broken.pmx"]


def test_credit_and_reload(folder: Path) -> None:
    (folder / "v1" / "SOURCE.txt").write_text("\nModel: sample 1, by us\nmore\n", "utf-8")
    reg = ModelRegistry([folder], max_loaded=1)
    assert reg.entry(V1).credit == "Model: sample 1, by us"
    assert reg.entry(V0).credit == ""
    a = reg.model(V0)
    reg.model(V1)  # pushes V0 out
    assert reg.model(V0) is not a
    assert reg.model(V0).vertex_count == a.vertex_count
