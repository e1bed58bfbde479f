"""resolve_annotation: the store's annotation when current, else proposals; decisions win."""

from __future__ import annotations

from pathlib import Path

import pytest

import animeceleb as ac
from animeceleb.annotate import AnnotationStore, resolve_annotation
from animeceleb.render import FramingError, require_head_bones

KEY = "a/model.pmx"


@pytest.fixture(scope="module")
def model() -> ac.Model:
    return ac.load_model(ac.sample_model_path(0))


def test_no_store_proposes(model: ac.Model, tmp_path: Path) -> None:
    assert resolve_annotation(None, KEY, model) == (ac.propose_annotation(model), "proposed")
    missing = AnnotationStore(tmp_path / "none.json")
    assert resolve_annotation(missing, KEY, model, "f" * 64)[1] == "proposed"
    assert not missing.path.exists()  # read, never written


def test_current_store_proposals_and_decisions(model: ac.Model, tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    proposals = {t: {"source": "あ" if t == "mouth_o" else None} for t in ac.TARGET_MORPHS}
    store.set_proposals(KEY, proposals, {"sha256": "1" * 64})
    store.decide(KEY, "mouth_a", "reassigned", source="い")
    annotation, origin = resolve_annotation(store, KEY, model, "1" * 64)
    assert origin == "store"
    assert annotation["mouth_o"] == "あ" and annotation["mouth_a"] == "い"
    assert annotation["eye_close"] is None  # the store's proposal, not a fresh one


def test_stale_proposals_are_proposed_anew_with_decisions(model: ac.Model, tmp_path: Path
                                                          ) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    store.set_proposals(KEY, {t: {"source": None} for t in ac.TARGET_MORPHS},
                        {"sha256": "1" * 64})
    store.decide(KEY, "mouth_a", "reassigned", source="い")
    store.decide(KEY, "eye_close", "rejected")
    said: list[str] = []
    annotation, origin = resolve_annotation(store, KEY, model, "2" * 64, log=said.append)
    assert origin == "proposed + decisions"
    expected = dict(ac.propose_annotation(model), mouth_a="い", eye_close=None)
    assert annotation == expected
    assert said == [f"{KEY}: the annotation store's proposals are of another version of the "
                    "file; proposing anew"]


def test_require_head_bones(model: ac.Model) -> None:
    require_head_bones(model)  # the sample has both

    class Bone:
        def __init__(self, name: str) -> None:
            self.name = name

    class Headless:
        name = "x"
        bones = [Bone("センター"), Bone("頭")]

    with pytest.raises(FramingError, match=r"^model 'x' has no 首 \(neck\) bone: the head"):
        require_head_bones(Headless())
    Headless.bones = [Bone("センター")]
    with pytest.raises(FramingError, match=r"no 首 \(neck\) or 頭 \(head\) bone"):
        require_head_bones(Headless())
