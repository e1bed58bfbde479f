"""The inspection web tool's server: the standard library's threading HTTP server, a static
page, and a small JSON API over a ``Collection``.

    GET  /                                   the page (static/index.html, app.js, app.css)
    GET  /api/models                         the collection: models, progress, the user
    GET  /api/model?id=KEY                   one model: targets with proposals and decisions,
                                             its morphs, crop boxes for the thumbnails
    GET  /api/image?id=KEY&morph=N|neutral   PNG of the neutral face or morph N at 1.0
    POST /api/decide  {"id", "target", "action": accept|reject|assign|clear, "source"?}

Models are addressed only by their key in the collection's list; nothing else on disk is read.
Every decision is written to the store before the response is sent.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ... import _core
from ...png import png_bytes
from ...pose import TARGET_MORPHS
from ...render import FramingError
from ..collection import Collection
from ..matcher import target_region
from ..store import AnnotationStoreError

__all__ = ["AnnotateServer", "make_server"]

logger = logging.getLogger(__name__)

_STATIC = {"/": ("index.html", "text/html; charset=utf-8"),
           "/app.js": ("app.js", "text/javascript; charset=utf-8"),
           "/app.css": ("app.css", "text/css; charset=utf-8")}
_CROP_CENTRES = {"brow": 0.75, "eye": 0.15, "mouth": -1.25}  # eye spans above the eye line
_MAX_BODY = 64 * 1024


class _BadRequest(Exception):
    def __init__(self, message: str, status: HTTPStatus = HTTPStatus.BAD_REQUEST) -> None:
        super().__init__(message)
        self.status = status


class AnnotateServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], collection: Collection, user: str) -> None:
        super().__init__(address, _Handler)
        self.collection = collection
        self.user = user
        self._png: OrderedDict[tuple[str, int], bytes] = OrderedDict()
        self._png_lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode()
        return f"http://{host}:{port}/"

    # ----- API ------------------------------------------------------------------------------

    def models(self) -> dict[str, Any]:
        c = self.collection
        data = c.store.load()["models"]
        rows = []
        for key in c.keys:
            rec = data.get(key, {})
            proposed = rec.get("proposals", {}).get("targets", {})
            rows.append({
                "id": key,
                "name": rec.get("file", {}).get("name") or key.rsplit("/", 1)[-1],
                "decided": len(rec.get("decisions", {})),
                "proposed": bool(proposed),
                "assigned": sum(1 for p in proposed.values() if p.get("source")),
                "error": c.error(key),
            })
        return {"targets": list(TARGET_MORPHS), "models": rows, "user": self.user,
                "store": str(c.store.path)}

    def model(self, key: str) -> dict[str, Any]:
        c = self.collection
        self._check_key(key)
        try:
            rec = c.ensure_proposals(key)
            model = c.load(key)
        except (_core.PmxError, OSError) as e:
            raise _BadRequest(f"{key}: {e}", HTTPStatus.UNPROCESSABLE_ENTITY) from e
        proposals = rec["proposals"].get("targets", {})
        decisions = rec["decisions"]
        targets = []
        for t in TARGET_MORPHS:
            p = proposals.get(t, {"source": None, "confidence": 0.0, "reason": "", "flags": []})
            d = decisions.get(t)
            effective = p.get("source") if d is None else (
                None if d["status"] == "rejected" else d.get("source"))
            targets.append({"target": t, "region": target_region(t), "proposal": p,
                            "decision": d, "effective": effective,
                            "effective_index": model.morph_index(effective) if effective
                            else None})
        return {
            "id": key, "name": model.name, "name_en": model.name_en,
            "proposed_by": rec["proposals"].get("by", ""),
            "proposed_at": rec["proposals"].get("at", ""),
            "targets": targets,
            "morphs": [{"index": m.index, "name": m.name, "name_en": m.name_en,
                        "panel": m.panel, "kind": m.kind} for m in model.morphs],
            "crops": self._crops(model),
            "size": c.inspector.size,
        }

    def _crops(self, model: Any) -> dict[str, list[float]]:
        """Boxes [x, y, w, h] (pixels) around each face part, for the zoomed thumbnails."""
        size = float(self.collection.inspector.size)
        try:
            marks = self.collection.inspector.landmarks(model)
        except FramingError:
            marks = None
        if marks is None or marks.eye_row is None or not marks.eye_span:
            return {r: [0.0, 0.0, size, size] for r in _CROP_CENTRES}
        s = marks.eye_span
        w, h = min(size, 3.2 * s), min(size, 1.6 * s)
        out = {}
        for region, c in _CROP_CENTRES.items():
            x = min(max(marks.mid_col - w / 2, 0.0), size - w)
            y = min(max(marks.eye_row - c * s - h / 2, 0.0), size - h)
            out[region] = [round(x, 1), round(y, 1), round(w, 1), round(h, 1)]
        return out

    def image(self, key: str, morph: str) -> bytes:
        c = self.collection
        self._check_key(key)
        model = c.load(key)
        if morph == "neutral":
            index = -1
        else:
            try:
                index = int(morph)
            except ValueError as e:
                raise _BadRequest(f"morph must be an index or 'neutral', got {morph!r}") from e
            if not 0 <= index < len(model.morphs):
                raise _BadRequest(f"{key} has no morph {index}", HTTPStatus.NOT_FOUND)
        with self._png_lock:
            cached = self._png.get((key, index))
        if cached is not None:
            return cached
        img = c.inspector.images(model, [None if index < 0 else index])[0]
        data = png_bytes(img)
        with self._png_lock:
            self._png[(key, index)] = data
            while len(self._png) > 2048:
                self._png.popitem(last=False)
        return data

    def decide(self, body: dict[str, Any]) -> dict[str, Any]:
        c = self.collection
        key, target, action = body.get("id"), body.get("target"), body.get("action")
        if not isinstance(key, str):
            raise _BadRequest("'id' must be a model id")
        self._check_key(key)
        if target not in TARGET_MORPHS:
            raise _BadRequest(f"unknown target morph {target!r}")
        by = f"person:{self.user}"
        try:
            c.ensure_proposals(key)  # a decision is recorded against the proposal
        except (_core.PmxError, OSError) as e:
            raise _BadRequest(f"{key}: {e}", HTTPStatus.UNPROCESSABLE_ENTITY) from e
        if action == "clear":
            c.store.clear(key, target)
        elif action == "accept":
            c.store.decide(key, target, "accepted", body.get("source"), by=by)
        elif action == "reject":
            c.store.decide(key, target, "rejected", by=by)
        elif action == "assign":
            source = body.get("source")
            model = c.load(key)
            if not isinstance(source, str) or model.morph_index(source) is None:
                raise _BadRequest(f"{key} has no morph named {source!r}")
            c.store.decide(key, target, "reassigned", source, by=by)
        else:
            raise _BadRequest("'action' must be accept, reject, assign or clear")
        row = next(t for t in self.model(key)["targets"] if t["target"] == target)
        return row

    def _check_key(self, key: str) -> None:
        if key not in self.collection.keys:
            raise _BadRequest(f"no model {key!r}", HTTPStatus.NOT_FOUND)


class _Handler(BaseHTTPRequestHandler):
    server: AnnotateServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib name)
        logger.debug("%s " + format, self.address_string(), *args)

    def _send(self, status: HTTPStatus, body: bytes, content_type: str,
              cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, data: Any, status: HTTPStatus = HTTPStatus.OK) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                   "application/json; charset=utf-8")

    def _handle(self, fn: Any) -> None:
        try:
            fn()
        except _BadRequest as e:
            self._json({"error": str(e)}, e.status)
        except (AnnotationStoreError, KeyError) as e:
            self._json({"error": str(e)}, HTTPStatus.BAD_REQUEST)
        except FramingError as e:  # a model without 首/頭 can't be drawn
            self._json({"error": str(e)}, HTTPStatus.UNPROCESSABLE_ENTITY)
        except Exception as e:  # the page shows it; the server keeps serving
            logger.exception("annotate server error")
            self._json({"error": f"{type(e).__name__}: {e}"}, HTTPStatus.INTERNAL_SERVER_ERROR)

    def do_GET(self) -> None:  # noqa: N802 (stdlib name)
        self._handle(self._get)

    def do_POST(self) -> None:  # noqa: N802 (stdlib name)
        self._handle(self._post)

    def _get(self) -> None:
        url = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path in _STATIC:
            name, ctype = _STATIC[url.path]
            body = resources.files(__package__).joinpath("static").joinpath(name).read_bytes()
            self._send(HTTPStatus.OK, body, ctype)
        elif url.path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon", cache="max-age=86400")
        elif url.path == "/api/models":
            self._json(self.server.models())
        elif url.path == "/api/model":
            self._json(self.server.model(q.get("id", "")))
        elif url.path == "/api/image":
            png = self.server.image(q.get("id", ""), q.get("morph", "neutral"))
            self._send(HTTPStatus.OK, png, "image/png", cache="max-age=3600")
        else:
            raise _BadRequest(f"no such page {url.path}", HTTPStatus.NOT_FOUND)

    def _post(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/api/decide":
            raise _BadRequest(f"no such endpoint {url.path}", HTTPStatus.NOT_FOUND)
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= _MAX_BODY:
            raise _BadRequest("a JSON body of at most 64 KiB is required")
        try:
            body = json.loads(self.rfile.read(length))
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise _BadRequest(f"body is not JSON: {e}") from e
        if not isinstance(body, dict):
            raise _BadRequest("body must be a JSON object")
        self._json(self.server.decide(body))


def make_server(collection: Collection, host: str = "127.0.0.1", port: int = 8765,
                user: str = "person") -> AnnotateServer:
    """A server for ``collection`` (port 0: any free port); call ``serve_forever()``."""
    return AnnotateServer((host, port), collection, user)
