"""Edge-case model files for comparing parsers, written with animeceleb's own
writer from the sample character, each with the facts it is known to hold.

The expected facts come from the model description that was written, not
from any parser, so a parser is judged against what the file really holds.
The PMD files are the ones the Rust test suite builds byte by byte
(crates/pmx_core/tests/pmd.rs, written out by its `write_fuzz_seeds` test);
they need cargo, and their facts are our parser's (the Rust tests pin them).
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import animeceleb as ac
from animeceleb.sample import build_model
from models import ROOT

Facts = dict[str, Any]


@dataclass(frozen=True)
class EdgeFile:
    feature: str
    path: Path
    expected: Facts


def spec_facts(spec: dict[str, Any]) -> Facts:
    """What a correct parser must report for a file written from `spec`."""
    v = spec["vertices"]
    auv = v.get("additional_uvs") or []
    return {
        "vertices": len(v["positions"]),
        "faces": len(spec["faces"]),
        "name": spec["name"],
        "bones": [b["name"] for b in spec["bones"]],
        "morphs": [m["name"] for m in spec["morphs"]],
        "first_position": list(v["positions"][0]),
        "last_position": list(v["positions"][-1]),
        "additional_uv": [x for channel in auv for x in channel[0]],
        "soft_bodies": len(spec.get("soft_bodies", [])),
        "qdef": sum(d["type"] == "qdef" for d in v["deforms"]),
    }


def model_facts(m: ac.Model) -> Facts:
    """The same facts as our parser reports them."""
    auv = m.additional_uvs
    return {
        "vertices": m.vertex_count,
        "faces": m.face_count,
        "name": m.name,
        "bones": [b.name for b in m.bones],
        "morphs": [x.name for x in m.morphs],
        "first_position": m.positions[0].tolist(),
        "last_position": m.positions[-1].tolist(),
        "additional_uv": auv[:, 0, :].ravel().tolist(),
        "soft_bodies": len(m.soft_bodies),
        "qdef": int((m.deform_kinds == 4).sum()),
    }


def _utf8(spec: dict[str, Any]) -> None:
    spec["header"]["encoding"] = "utf-8"


def _additional_uvs(spec: dict[str, Any]) -> None:
    n = len(spec["vertices"]["positions"])
    spec["header"]["additional_uv_count"] = 4
    # Distinct, exactly representable values per channel and vertex.
    spec["vertices"]["additional_uvs"] = [
        [[k + 0.5, (i % 97) / 4, -(i % 13) / 8, 1.0] for i in range(n)] for k in range(4)
    ]


def _soft_body(spec: dict[str, Any]) -> None:
    spec["header"]["version"] = 2.1
    spec["soft_bodies"] = [
        {"name": "髪ソフト", "name_en": "hair soft", "material": 0, "total_mass": 1.0,
         "collision_mask": 0xFFFF, "pins": [0, 1, 2]}
    ]  # fmt: skip


def _qdef(spec: dict[str, Any]) -> None:
    spec["header"]["version"] = 2.1
    deforms = spec["vertices"]["deforms"]
    for i in range(0, len(deforms), 10):
        d = deforms[i]
        if d["type"] == "bdef1":
            deforms[i] = {"type": "qdef", "bones": [d["bone"], 0, 0, 0], "weights": [1, 0, 0, 0]}


EDITS = [
    ("PMX 2.0 UTF-16 (sample character)", None),
    ("UTF-8 text", _utf8),
    ("4 additional UVs", _additional_uvs),
    ("PMX 2.1 soft body", _soft_body),
    ("PMX 2.1 QDEF deform", _qdef),
]


# The Rust suite's PMD files (crates/pmx_core/tests/pmd.rs `sample` and `minimal`).
PMD_FILES = [
    ("PMD 1.0, every section and extension", "seed_sample.pmd"),
    ("PMD 1.0, mandatory sections only", "seed_minimal.pmd"),
]


def _write_pmd_files(folder: Path) -> bool:
    """Have the Rust tests write their PMD files into `folder`; False without cargo."""
    if shutil.which("cargo") is None:
        return False
    env = {**os.environ, "PMX_FUZZ_SEEDS_DIR": str(folder)}
    cmd = ["cargo", "test", "-q", "-p", "pmx_core", "--test", "pmd", "write_fuzz_seeds"]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
    return True


def write_edge_files(folder: Path) -> tuple[list[EdgeFile], list[str]]:
    """Write every edge-case file into `folder`; also the notes on what was skipped."""
    base = build_model(0)
    out = []
    for i, (feature, edit) in enumerate(EDITS):
        spec = copy.deepcopy(base)
        if edit is not None:
            edit(spec)
        path = folder / f"edge_{i}.pmx"
        ac.write_model(spec, path)
        out.append(EdgeFile(feature, path, spec_facts(spec)))
    if not _write_pmd_files(folder):
        return out, ["PMD skipped: cargo not found (the PMD files are built by the Rust tests)"]
    for feature, name in PMD_FILES:
        path = folder / name
        out.append(EdgeFile(feature, path, model_facts(ac.load_model(path))))
    return out, []
