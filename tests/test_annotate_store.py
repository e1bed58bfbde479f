"""The annotation store: decisions over proposals, regeneration never touching a person's
decision, bad files refused, and concurrent saves (threads and processes) never lost."""

from __future__ import annotations

import json
import multiprocessing
import threading
from pathlib import Path

import pytest

from animeceleb.annotate.store import FORMAT, VERSION, AnnotationStore, AnnotationStoreError
from animeceleb.pose import TARGET_MORPHS

KEY = "gene/Gene_light.pmx"


def _proposals(source_a: str = "あ") -> dict[str, dict]:
    p = {t: {"source": None, "confidence": 0.0, "reason": "none", "flags": []}
         for t in TARGET_MORPHS}
    p["mouth_a"] = {"source": source_a, "confidence": 0.9, "reason": "name", "flags": []}
    p["eye_close"] = {"source": "まばたき", "confidence": 0.9, "reason": "name", "flags": []}
    return p


def test_decisions_over_proposals(tmp_path: Path) -> None:
    s = AnnotationStore(tmp_path / "annotations.json")
    assert s.annotation(KEY) == dict.fromkeys(TARGET_MORPHS)  # nothing yet: all None
    s.set_proposals(KEY, _proposals(), {"sha256": "x"}, by="matcher")
    assert s.annotation(KEY)["mouth_a"] == "あ"
    assert s.annotation(KEY, decided_only=True)["mouth_a"] is None

    d = s.decide(KEY, "mouth_a", "reassigned", "い", by="person:alice")
    assert (d["status"], d["source"], d["proposed"], d["by"]) == (
        "reassigned", "い", "あ", "person:alice")
    s.decide(KEY, "eye_close", "accepted", "まばたき", by="person:alice")
    s.decide(KEY, "brow_up", "rejected", by="person:bob")
    a = s.annotation(KEY)
    assert (a["mouth_a"], a["eye_close"], a["brow_up"]) == ("い", "まばたき", None)
    assert s.progress() == {KEY: 3}

    s.clear(KEY, "mouth_a")
    assert s.annotation(KEY)["mouth_a"] == "あ"


def test_regenerating_proposals_keeps_decisions(tmp_path: Path) -> None:
    s = AnnotationStore(tmp_path / "a.json")
    s.set_proposals(KEY, _proposals("あ"), {"sha256": "x"}, by="matcher v1")
    s.decide(KEY, "mouth_a", "accepted", by="person:alice")  # accepts あ
    s.decide(KEY, "eye_close", "reassigned", "eyeBlink", by="person:alice")
    s.set_proposals(KEY, _proposals("ワ"), {"sha256": "y"}, by="matcher v2")
    rec = s.model(KEY)
    assert rec["proposals"]["by"] == "matcher v2" and rec["file"]["sha256"] == "y"
    assert rec["proposals"]["targets"]["mouth_a"]["source"] == "ワ"
    assert rec["decisions"]["mouth_a"]["source"] == "あ"  # what the person accepted
    assert rec["decisions"]["eye_close"]["by"] == "person:alice"
    assert s.annotation(KEY)["mouth_a"] == "あ"
    assert s.annotation(KEY)["eye_close"] == "eyeBlink"


def test_file_is_readable_versioned_json(tmp_path: Path) -> None:
    s = AnnotationStore(tmp_path / "a.json")
    s.set_proposals(KEY, _proposals(), by="m")
    s.decide(KEY, "mouth_a", "reassigned", "い", by="person:ア")
    text = (tmp_path / "a.json").read_text(encoding="utf-8")
    assert '"い"' in text and '"person:ア"' in text  # not \\u-escaped
    assert text.count("\n") > 50  # indented, one value per line
    data = json.loads(text)
    assert (data["format"], data["version"]) == (FORMAT, VERSION)
    assert data["targets"] == list(TARGET_MORPHS)
    assert list(data["models"][KEY]) == ["decisions", "proposals"]


def test_invalid_changes_and_files(tmp_path: Path) -> None:
    s = AnnotationStore(tmp_path / "a.json")
    s.set_proposals(KEY, _proposals(), by="m")
    with pytest.raises(AnnotationStoreError, match="unknown target"):
        s.decide(KEY, "mouth_x", "accepted")
    with pytest.raises(AnnotationStoreError, match="status"):
        s.decide(KEY, "mouth_a", "maybe")
    with pytest.raises(AnnotationStoreError, match="needs a source"):
        s.decide(KEY, "mouth_a", "reassigned")
    with pytest.raises(AnnotationStoreError, match="the proposal is 'あ', not 'い'"):
        s.decide(KEY, "mouth_a", "accepted", "い")  # a stale page accepting an old proposal
    with pytest.raises(AnnotationStoreError, match="unknown target"):
        s.set_proposals(KEY, {"nose": {}})
    assert s.model(KEY)["decisions"] == {}  # nothing half-written

    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(AnnotationStoreError, match="not JSON"):
        AnnotationStore(bad).load()
    bad.write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(AnnotationStoreError, match="not an animeceleb-annotation file"):
        AnnotationStore(bad).load()
    bad.write_text(json.dumps({"format": FORMAT, "version": 99, "models": {}}), encoding="utf-8")
    with pytest.raises(AnnotationStoreError, match="version 99"):
        AnnotationStore(bad).decide(KEY, "mouth_a", "rejected")
    assert json.loads(bad.read_text())["version"] == 99  # left as it was


def _save_many(path: str, worker: int, count: int) -> None:
    s = AnnotationStore(path)
    for k in range(count):
        s.decide(f"model{worker}.pmx", TARGET_MORPHS[k], "reassigned", f"m{worker}-{k}",
                 by=f"person:p{worker}")


def test_concurrent_saves_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    threads = [threading.Thread(target=_save_many, args=(str(path), w, 15)) for w in range(6)]
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_save_many, args=(str(path), 10 + w, 15)) for w in range(3)]
    for p in procs:
        p.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    data = AnnotationStore(path).load()
    workers = [*range(6), 10, 11, 12]
    assert sorted(data["models"]) == sorted(f"model{w}.pmx" for w in workers)
    for w in workers:
        decisions = data["models"][f"model{w}.pmx"]["decisions"]
        assert {t: d["source"] for t, d in decisions.items()} == {
            TARGET_MORPHS[k]: f"m{w}-{k}" for k in range(15)}
    assert not list(tmp_path.glob("*.tmp"))  # no temporary file left behind


def test_readers_never_see_half_a_file(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    s = AnnotationStore(path)
    s.set_proposals(KEY, _proposals(), by="m")
    stop = threading.Event()
    errors: list[Exception] = []

    def read() -> None:
        while not stop.is_set():
            try:
                AnnotationStore(path).load()
            except Exception as e:  # pragma: no cover - the failure being tested for
                errors.append(e)

    reader = threading.Thread(target=read)
    reader.start()
    for k in range(40):
        s.decide(KEY, TARGET_MORPHS[k % 23], "rejected", by=f"person:{k}")
    stop.set()
    reader.join()
    assert errors == []
