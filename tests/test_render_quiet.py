"""A normal run is quiet: starting a renderer outside a desktop session (no XDG_RUNTIME_DIR, as in
CI, ssh and containers) prints no line starting with "error:" (Mesa's device-select layer did, per
Vulkan instance), while a missing texture still warns, once per texture."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import logging
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
import numpy as np
import animeceleb as ac
m = ac.load_model(ac.sample_model_path(0))
r = ac.Renderer(size=64)
r.render(m, np.zeros(20, np.float32), style="S1")
"""


def _stderr(env: dict[str, str]) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=300, check=True)
    return proc.stderr.splitlines()


def test_renderer_start_prints_no_error_lines() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_RUNTIME_DIR", "NODEVICE_SELECT")}
    lines = _stderr(env)
    assert [line for line in lines if line.lower().startswith("error")] == []
