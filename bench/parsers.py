"""The parsers the parse bench compares, each timed on bytes already in memory
and asked for the same facts (see edge_files.py): animeceleb, mmd-parser
(npm, run under Node in its own process) and pymeshio (PyPI).

A fact a parser does not read at all is None; `mismatches` counts that as a
failure only where the file holds something for it."""

from __future__ import annotations

import contextlib
import io
import json
import math
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import animeceleb as ac
from edge_files import Facts, model_facts
from timing import time_runs

NODE_DIR = Path(__file__).resolve().parent / "node"


@dataclass
class Outcome:
    """One parser on one file: run times, or the error it raised."""

    times_ms: list[float] = field(default_factory=list)
    facts: Facts | None = None
    error: str | None = None


def animeceleb(path: Path, repeats: int, budget_s: float) -> Outcome:
    data = path.read_bytes()
    try:
        model = ac.parse_bytes(data)
    except ac.PmxError as e:
        return Outcome(error=f"PmxError: {e}")
    times = time_runs(lambda: ac.parse_bytes(data), repeats, budget_s)
    return Outcome(times, model_facts(model))


def animeceleb_from_disk(path: Path, repeats: int, budget_s: float) -> list[float]:
    return time_runs(lambda: ac.load_model(path), repeats, budget_s)


# ---------------------------------------------------------------- mmd-parser


def mmd_parser_ready() -> str | None:
    """None when mmd-parser can run, else why not. Installs it (npm ci) on first use."""
    if shutil.which("node") is None:
        return "node not found"
    if not (NODE_DIR / "node_modules" / "mmd-parser").is_dir():
        if shutil.which("npm") is None:
            return "npm not found (needed once to install mmd-parser)"
        cmd = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
        subprocess.run(cmd, cwd=NODE_DIR, check=True, capture_output=True)
    return None


def mmd_parser(paths: list[Path], repeats: int, budget_s: float) -> dict[Path, Outcome]:
    """All files in one Node process (timed in-process by bench/node/parse_mmd.js)."""
    cmd = ["node", "parse_mmd.js", str(repeats), str(budget_s * 1e3), *map(str, paths)]
    done = subprocess.run(cmd, cwd=NODE_DIR, check=True, capture_output=True, text=True)
    raw = json.loads(done.stdout)
    out = {}
    for path in paths:
        r = raw[str(path)]
        out[path] = Outcome(r.get("times_ms", []), r.get("facts"), r.get("error"))
    return out


# ---------------------------------------------------------------- pymeshio


def _pymeshio_read(data: bytes, pmd: bool) -> Any:
    # pymeshio prints warnings (e.g. "unknown version 2.1") to stdout.
    import pymeshio.pmd.reader
    import pymeshio.pmx.reader

    reader = pymeshio.pmd.reader if pmd else pymeshio.pmx.reader
    with contextlib.redirect_stdout(io.StringIO()):
        return reader.read(io.BytesIO(data))


def _pymeshio_facts(m: Any, pmd: bool) -> Facts:
    def text(s: str | bytes) -> str:
        # Its PMD reader returns Shift-JIS bytes.
        return s.decode("cp932") if isinstance(s, bytes) else s

    def xyz(v: Any) -> list[float]:
        p = v.pos if pmd else v.position
        return [p.x, p.y, p.z]

    # PMD's first skin is the "base" vertex list, not a morph.
    morphs = [s for s in m.morphs if not (pmd and s.type == 0)]
    v = m.vertices
    return {
        "vertices": len(v),
        "faces": len(m.indices) // 3,
        "name": text(m.name),
        "bones": [text(b.name) for b in m.bones],
        "morphs": [text(s.name) for s in morphs],
        "first_position": xyz(v[0]) if v else None,
        "last_position": xyz(v[-1]) if v else None,
        # It refuses files with additional UVs, so what it reads has none.
        "additional_uv": [],
        "soft_bodies": None,
        "qdef": None,
    }


def pymeshio_ready() -> str | None:
    try:
        import pymeshio  # noqa: F401
    except ImportError:
        return "pymeshio not installed (pip install -e '.[bench]')"
    return None


def pymeshio(path: Path, repeats: int, budget_s: float) -> Outcome:
    data = path.read_bytes()
    pmd = path.suffix.lower() == ".pmd"
    try:
        model = _pymeshio_read(data, pmd)
        facts = _pymeshio_facts(model, pmd)
    except Exception as e:  # a peer's failure is a result to report, whatever it is
        return Outcome(error=f"{type(e).__name__}: {e}")
    return Outcome(time_runs(lambda: _pymeshio_read(data, pmd), repeats, budget_s), facts)


# ---------------------------------------------------------------- judging


def _same(want: Any, have: Any) -> bool:
    if isinstance(want, float) or isinstance(have, float):
        return math.isclose(want, have, rel_tol=1e-6, abs_tol=1e-7)
    if isinstance(want, list) and isinstance(have, list):
        return len(want) == len(have) and all(map(_same, want, have))
    return bool(want == have)


def _short(value: Any) -> str:
    s = repr(value)
    return s if len(s) <= 40 else s[:37] + "..."


def mismatches(expected: Facts, got: Facts) -> list[str]:
    """What `got` gets wrong or misses of `expected`."""
    out = []
    for key, want in expected.items():
        have = got.get(key)
        if have is None:
            if want:
                out.append(f"{key} not read")
        elif not _same(want, have):
            out.append(f"{key} {_short(have)} (expected {_short(want)})")
    return out
