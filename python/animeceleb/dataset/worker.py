"""One worker's part: render chunks of images and write each PNG atomically.

A ``ChunkTask`` is a self-contained unit of work (one model, one partition, a range of poses,
every style): the model file and its hash, the annotation, the seed and where to write, so any
process that can read the model and write under ``image_root`` can run it.

A worker process owns one ``Renderer`` (created inside it: a wgpu device can't cross a process
boundary) and keeps its last models loaded. It ignores Ctrl-C (the parent decides when to stop)
and stops by itself when its parent is gone, so a killed run leaves no worker rendering behind.
"""

from __future__ import annotations

import os
import signal
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import _core
from ..atomic import write_atomic
from ..png import png_bytes
from ..pose import Pose
from . import layout
from .plan import Chunk, sample_image

__all__ = ["ChunkResult", "ChunkTask", "init_worker", "run_chunk", "shutdown"]

MAX_MODELS = 2


@dataclass(frozen=True)
class ChunkTask:
    """The images of one chunk still missing on disk: (pose index, styles). Each is written
    to ``image_root/<layout.image_relpath>`` through ``tmp_dir`` (same file system)."""

    chunk: Chunk
    model_key: str
    model_path: str
    model_sha256: str
    annotation: dict[str, str | None]
    seed: int
    paired: bool
    image_root: str
    tmp_dir: str
    todo: tuple[tuple[int, tuple[str, ...]], ...]

    @property
    def images(self) -> int:
        return sum(len(styles) for _, styles in self.todo)


@dataclass(frozen=True)
class ChunkResult:
    chunk: Chunk
    model_key: str
    written: int
    error: str | None = None


class _State:
    renderer: Any = None
    size: int = 256
    device: str | None = None
    parent: int | None = None
    models: OrderedDict[str, Any] = OrderedDict()


def init_worker(size: int, device: str | None, in_process: bool = False) -> None:
    """Set up this process's renderer (lazily: on its first chunk)."""
    _State.size, _State.device = size, device
    _State.renderer = None
    _State.models = OrderedDict()
    _State.parent = None
    if not in_process:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _State.parent = os.getppid()


def shutdown() -> None:
    """Drop this process's renderer and models."""
    _State.renderer = None
    _State.models = OrderedDict()


def _renderer() -> Any:
    if _State.renderer is None:
        from ..render import Renderer

        _State.renderer = Renderer(size=_State.size, device=_State.device)
    return _State.renderer


def _model(key: str, path: str) -> Any:
    models = _State.models
    if key in models:
        models.move_to_end(key)
        return models[key]
    model = _core.load_model(path)
    models[key] = model
    while len(models) > MAX_MODELS:
        models.popitem(last=False)
    return model


def _check_parent() -> None:
    if _State.parent is not None and os.getppid() != _State.parent:
        raise SystemExit(0)  # the run was killed: don't go on writing into its folder


def _done(saving: list[Future[None]]) -> int:
    """Wait for the writes; their count (an error writing one is raised here)."""
    for f in saving:
        f.result()
    return len(saving)


def run_chunk(task: ChunkTask) -> ChunkResult:
    """Render and write the task's images; a model that can't be rendered gives an error
    result (reported by the parent, which skips the model), never an exception."""
    from ..render import FramingError

    try:
        model = _model(task.model_key, task.model_path)
        renderer = _renderer()
    except (_core.PmxError, OSError) as e:
        return ChunkResult(task.chunk, task.model_key, 0, f"cannot load: {e}")
    by_style: dict[str, list[int]] = {}
    for index, styles in task.todo:
        for style in styles:
            by_style.setdefault(style, []).append(index)
    root = Path(task.image_root)
    c = task.chunk

    def save(rel: str, image: np.ndarray) -> None:
        _check_parent()
        write_atomic(root / rel, png_bytes(image), task.tmp_dir)

    # PNG encoding (zlib releases the GIL) overlaps the rendering of the next style
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="animeceleb-png") as pool:
        saving = []
        try:
            for style, indices in by_style.items():
                _check_parent()
                drawn = [sample_image(task.seed, task.model_sha256, c.partition, i,
                                      task.annotation, task.paired) for i in indices]
                poses = [Pose.from_array(values) for values, _ in drawn]
                lights = [light for _, light in drawn]
                images = renderer.render_batch(model, poses, style, lights, task.annotation)
                saving += [pool.submit(save, layout.image_relpath(c.partition, style,
                                                                   c.org_id, i), image)
                           for i, image in zip(indices, images, strict=True)]
        except FramingError as e:
            return ChunkResult(c, task.model_key, _done(saving), f"cannot be framed: {e}")
        except ValueError as e:  # a model the poser or renderer refuses
            return ChunkResult(c, task.model_key, _done(saving), f"cannot be rendered: {e}")
        written = _done(saving)
    return ChunkResult(c, task.model_key, written)
