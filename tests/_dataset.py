"""Helpers of the dataset tests: small generate runs and reading their files back."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from animeceleb.dataset import GenerateOptions, Summary, generate

# Small enough for CI on 2 cores: 64 px, 2 sample characters, 3 poses per partition.
SMALL: dict[str, Any] = {"samples": 2, "per_model": 3, "size": 64, "seed": 7,
                         "progress": False}


def run(out: Path, **kw: Any) -> tuple[Summary, list[str]]:
    """generate() with the small options (overridable); the summary and what it logged."""
    messages: list[str] = []
    opts = GenerateOptions(out=out, **{**SMALL, "workers": 1, **kw})
    return generate(opts, log=messages.append), messages


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def files(root: Path) -> dict[str, bytes]:
    """Every file under root by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def cli(*args: str, **kw: Any) -> subprocess.Popen[bytes]:
    """``animeceleb generate ARGS`` in a subprocess (stdout/stderr piped)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "animeceleb.cli", "generate", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, **kw)


def small_args(out: Path, workers: int = 1) -> list[str]:
    return ["-o", str(out), "--samples", str(SMALL["samples"]), "--per-model",
            str(SMALL["per_model"]), "--size", str(SMALL["size"]), "--seed", str(SMALL["seed"]),
            "--workers", str(workers), "--quiet"]
