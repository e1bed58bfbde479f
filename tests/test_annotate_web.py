"""The inspection web tool: its JSON API, the command line, and the page end to end in headless
Chromium (Debian's /usr/bin/chromium driven by Playwright): open, reassign, reload, still there.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from _annotate_collection import BROKEN_KEY, EDITED_KEY, SAMPLE_KEY, make_collection
from _annotate_models import edited_sample
from animeceleb.annotate import Collection
from animeceleb.annotate.web import AnnotateServer, make_server
from animeceleb.cli import main

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_collection(tmp_path_factory.mktemp("models"))


@contextlib.contextmanager
def _serving(collection: Collection) -> Iterator[AnnotateServer]:
    srv = make_server(collection, port=0, user="tester")
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join()


@pytest.fixture()
def server(models_dir: Path, tmp_path: Path) -> Iterator[AnnotateServer]:
    with _serving(Collection(models_dir, store=tmp_path / "annotations.json")) as srv:
        yield srv


def _get(srv: AnnotateServer, path: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(srv.url.rstrip("/") + path, timeout=120) as r:
            return r.status, r.read(), r.headers["Content-Type"]
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers["Content-Type"]


def _post(srv: AnnotateServer, body: Any) -> tuple[int, Any]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(srv.url + "api/decide", data=data, method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def _q(key: str) -> str:
    return urllib.parse.quote(key, safe="")


def test_api(server: AnnotateServer, tmp_path: Path) -> None:
    status, body, ctype = _get(server, "/")
    assert status == 200 and ctype.startswith("text/html") and b"app.js" in body
    status, body, _ = _get(server, "/api/models")
    models = json.loads(body)
    assert [m["id"] for m in models["models"]] == [BROKEN_KEY, SAMPLE_KEY, EDITED_KEY]
    assert models["user"] == "tester" and len(models["targets"]) == 23

    status, body, _ = _get(server, f"/api/model?id={_q(SAMPLE_KEY)}")
    model = json.loads(body)
    rows = {t["target"]: t for t in model["targets"]}
    assert rows["eye_smile_left"]["effective"] == "ウィンク"
    assert rows["eye_smile_left"]["proposal"]["flags"] == []
    assert "equals 笑い" in rows["eye_smile_left"]["proposal"]["reason"]
    assert len(model["morphs"]) == 23 and set(model["crops"]) == {"brow", "eye", "mouth"}
    assert "image inspection" in model["proposed_by"]

    status, png, ctype = _get(server, f"/api/image?id={_q(SAMPLE_KEY)}&morph=neutral")
    assert status == 200 and ctype == "image/png"
    neutral = np.asarray(Image.open(io.BytesIO(png)))
    assert neutral.shape == (256, 256, 4) and neutral[..., 3].max() == 255
    i = rows["mouth_a"]["effective_index"]
    status, png, _ = _get(server, f"/api/image?id={_q(SAMPLE_KEY)}&morph={i}")
    assert status == 200 and png != _get(server, f"/api/image?id={_q(SAMPLE_KEY)}&morph=neutral")[1]

    # decisions, saved before the answer
    status, row = _post(server, {"id": SAMPLE_KEY, "target": "mouth_a", "action": "assign",
                                 "source": "い"})
    assert status == 200 and row["effective"] == "い" and row["decision"]["by"] == "person:tester"
    store = json.loads(Path(server.collection.store.path).read_text(encoding="utf-8"))
    assert store["models"][SAMPLE_KEY]["decisions"]["mouth_a"]["status"] == "reassigned"
    status, row = _post(server, {"id": SAMPLE_KEY, "target": "eye_close", "action": "accept",
                                 "source": "まばたき"})
    assert status == 200 and row["decision"]["status"] == "accepted"
    status, row = _post(server, {"id": SAMPLE_KEY, "target": "brow_up", "action": "reject"})
    assert status == 200 and row["effective"] is None
    status, row = _post(server, {"id": SAMPLE_KEY, "target": "brow_up", "action": "clear"})
    assert status == 200 and row["effective"] == "上" and row["decision"] is None
    models = json.loads(_get(server, "/api/models")[1])
    assert next(m for m in models["models"] if m["id"] == SAMPLE_KEY)["decided"] == 2


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"id": "../../etc/passwd", "target": "mouth_a", "action": "reject"}, 404, "no model"),
    ({"id": SAMPLE_KEY, "target": "nose", "action": "reject"}, 400, "unknown target"),
    ({"id": SAMPLE_KEY, "target": "mouth_a", "action": "frobnicate"}, 400, "'action'"),
    ({"id": SAMPLE_KEY, "target": "mouth_a", "action": "assign", "source": "鼻"}, 400,
     "no morph named '鼻'"),
    ({"id": SAMPLE_KEY, "target": "mouth_a", "action": "accept", "source": "い"}, 400,
     "the proposal is 'あ'"),
    (b"not json", 400, "not JSON"),
    ([1, 2], 400, "JSON object"),
])
def test_bad_decisions(server: AnnotateServer, body: Any, status: int, message: str) -> None:
    got, answer = _post(server, body)
    assert got == status and message in answer["error"]
    assert server.collection.store.model(SAMPLE_KEY)["decisions"] == {}


def test_bad_requests(server: AnnotateServer) -> None:
    assert _get(server, "/api/model?id=nothing.pmx")[0] == 404
    assert _get(server, "/../../etc/passwd")[0] == 404
    assert _get(server, f"/api/image?id={_q(SAMPLE_KEY)}&morph=99")[0] == 404
    assert _get(server, f"/api/image?id={_q(SAMPLE_KEY)}&morph=x")[0] == 400
    status, body, _ = _get(server, f"/api/model?id={_q(BROKEN_KEY)}")
    assert status == 422 and "broken.pmx" in json.loads(body)["error"]
    listed = json.loads(_get(server, "/api/models")[1])["models"][0]
    assert listed["id"] == BROKEN_KEY and listed["error"]


def test_model_that_cannot_be_framed(tmp_path: Path) -> None:
    # no 首 bone: no image can be drawn, names and geometry still propose
    def edit(spec: dict) -> None:
        next(b for b in spec["bones"] if b["name"] == "首")["name"] = "neck_x"

    edited_sample(tmp_path / "models" / "noneck", edit)
    with _serving(Collection(tmp_path / "models")) as srv:
        key = "noneck/animeceleb_sample_0.pmx"
        status, body, _ = _get(srv, f"/api/model?id={_q(key)}")
        assert status == 200
        model = json.loads(body)
        assert "no image inspection" in model["proposed_by"] and "首" in model["proposed_by"]
        effective = {t["target"]: t["effective"] for t in model["targets"]}
        assert effective["eye_smile_left"] == "ウィンク"
        assert model["crops"]["eye"] == [0.0, 0.0, 256.0, 256.0]
        status, body, _ = _get(srv, f"/api/image?id={_q(key)}&morph=neutral")
        assert status == 422 and "首" in json.loads(body)["error"]


def test_cli(models_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "s.json"
    # the broken model fails (exit 1) but the others are proposed and saved
    assert main(["annotate", str(models_dir), "--store", str(store), "--propose",
                 "--no-inspect"]) == 1
    data = json.loads(store.read_text(encoding="utf-8"))
    assert sorted(data["models"]) == [SAMPLE_KEY, EDITED_KEY]
    err = capsys.readouterr().err
    assert BROKEN_KEY in err
    assert main(["annotate", str(models_dir), "--store", str(store), "--report",
                 str(tmp_path / "report"), "--no-inspect"]) == 1
    assert (tmp_path / "report" / "target_morphs.png").is_file()
    assert main(["annotate", str(tmp_path / "missing")]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["annotate", str(tmp_path / "empty")]) == 1
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    assert main(["annotate", str(models_dir), "--store", str(bad)]) == 2
    assert "not an animeceleb-annotation file" in capsys.readouterr().err


def test_page_reassign_and_reload(server: AnnotateServer, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    assert os.path.exists(CHROMIUM), "Debian's chromium is needed (make sysdeps installs it)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server.url)
            expect(page.locator("#models li")).to_have_count(3)
            page.locator(f'#models li[data-id="{SAMPLE_KEY}"]').click()
            row = page.locator('tr[data-target="mouth_a"]')
            expect(row.locator(".source-name")).to_have_text("あ", timeout=60_000)
            expect(row.locator(".status")).to_have_text("proposed")

            # reassign with the picker: filter, preview, pick
            row.locator("button.reassign").click()
            expect(page.locator("#picker")).to_be_visible()
            page.fill("#picker-filter", "い")
            expect(page.locator("#picker-list li")).to_have_count(2)  # い and 笑い
            page.locator('#picker-list li[data-name="い"]').hover()
            expect(page.locator("#picker-name")).to_contain_text("い (vertex morph")
            preview = page.locator("#picker-preview .applied")
            assert "morph=" in (preview.get_attribute("style") or "")
            page.locator('#picker-list li[data-name="い"]').click()
            expect(page.locator("#picker")).to_be_hidden()
            expect(row.locator(".source-name")).to_have_text("い")
            expect(row.locator(".status")).to_have_text("reassigned")
            expect(page.locator("#status")).to_have_text("saved mouth_a")

            # accept with the keyboard
            page.locator('tr[data-target="eye_close"] td.target').click()
            page.keyboard.press("a")
            expect(page.locator('tr[data-target="eye_close"] .status')).to_have_text("accepted")
            # one key press and the next row is selected: reject it with "r"
            expect(page.locator('tr[data-target="eye_close_right"]')).to_have_class(
                "selected")
            page.keyboard.press("r")
            expect(page.locator('tr[data-target="eye_close_right"] .status')).to_have_text(
                "rejected")
            page.screenshot(path=str(tmp_path / "page.png"))

            page.reload()
            row = page.locator('tr[data-target="mouth_a"]')
            expect(row.locator(".source-name")).to_have_text("い", timeout=60_000)
            expect(row.locator(".status")).to_have_text("reassigned")
            expect(page.locator('tr[data-target="eye_close"] .status')).to_have_text("accepted")
            expect(page.locator('tr[data-target="eye_close_right"] .source-name')).to_have_text(
                "none")
            expect(page.locator(f'#models li[data-id="{SAMPLE_KEY}"] .progress')).to_contain_text(
                "3/23 decided")
            expect(page.locator("#overall")).to_contain_text("3 / 69 targets decided")

            # the other model, by key, and the broken one says why
            page.keyboard.press("n")
            expect(page.locator("#model-meta")).to_contain_text(EDITED_KEY, timeout=60_000)
            expect(page.locator('tr[data-target="brow_up_left"] .source-name')).to_have_text(
                "none", timeout=60_000)
            page.locator(f'#models li[data-id="{BROKEN_KEY}"]').click()
            expect(page.locator("#status")).to_contain_text("broken.pmx")
            assert errors == []
        finally:
            browser.close()
    decisions = server.collection.store.model(SAMPLE_KEY)["decisions"]
    assert {t: (d["status"], d["source"], d["by"]) for t, d in decisions.items()} == {
        "mouth_a": ("reassigned", "い", "person:tester"),
        "eye_close": ("accepted", "まばたき", "person:tester"),
        "eye_close_right": ("rejected", None, "person:tester"),
    }
    assert server.collection.store.model(EDITED_KEY)["decisions"] == {}
