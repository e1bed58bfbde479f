"""The committed Python code generated from proto/ is what scripts/gen_proto_py.sh makes now."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "python" / "animeceleb" / "service" / "proto"


def test_generated_code_is_current(tmp_path: Path) -> None:
    pytest.importorskip("grpc_tools", reason="grpcio-tools (the dev extra) regenerates the code")
    subprocess.run([str(ROOT / "scripts" / "gen_proto_py.sh"), str(tmp_path)], check=True,
                   env={"PYTHON": sys.executable, "PATH": "/usr/bin:/bin"}, capture_output=True)
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    have = sorted(p.relative_to(COMMITTED) for p in COMMITTED.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)
    assert made == have
    stale = [str(p) for p in made if not filecmp.cmp(tmp_path / p, COMMITTED / p, shallow=False)]
    assert not stale, f"regenerate with `make proto`: {stale} differ from proto/"


def test_generated_modules_import_from_the_package() -> None:
    from animeceleb.service.proto.animeceleb.v1 import render_pb2, render_pb2_grpc

    assert render_pb2.DESCRIPTOR.package == "animeceleb.v1"
    assert render_pb2_grpc.RenderServiceStub.__module__.startswith("animeceleb.service.proto")
    names = [m.name for m in render_pb2.DESCRIPTOR.services_by_name["RenderService"].methods]
    assert names == ["ListModels", "DescribeModel", "Render", "RenderStream", "Sample"]
