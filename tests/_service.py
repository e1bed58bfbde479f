"""Helpers for the render service tests: a folder of sample characters and servers on loopback."""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import animeceleb as ac
from animeceleb.service import Limits, RenderServer, ServerConfig

SIZE = 64  # small frames keep the suite fast on lavapipe
WAIT = 60.0  # seconds a condition gets before a test gives up on it (never a timing check)


def sample_models(folder: Path, variants: tuple[int, ...] = (0, 1)) -> Path:
    """``folder`` holding the built-in sample characters, one subfolder each (v0/, v1/)."""
    for v in variants:
        src = Path(ac.sample_model_path(v)).parent
        shutil.copytree(src, folder / f"v{v}")
    return folder


def config(models: tuple[Path, ...], port: int = 0, **kw: Any) -> ServerConfig:
    limits = kw.pop("limits", Limits(max_size=128, max_frames=1000))
    kw.setdefault("workers", 1)
    kw.setdefault("warm_sizes", (SIZE,))
    return ServerConfig(models=models, host="127.0.0.1", port=port, limits=limits, **kw)


@contextlib.contextmanager
def running(models: tuple[Path, ...], **kw: Any) -> Iterator[RenderServer]:
    server = RenderServer(config(models, **kw))
    try:
        yield server
    finally:
        server.stop(grace=0)


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Wait until ``condition()`` holds (the server reacts on its own threads)."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.01)
