"""The render workers: N threads, each with its own wgpu device and ``Renderer`` per size.

Requests become one-frame jobs on one queue.  A worker takes the oldest job and, with it, up to
``max_batch - 1`` queued jobs for the same model and size (from any call), and renders them as
one ``render_batch`` so posing, drawing and readback overlap.  A job whose call has ended (the
client cancelled, or its deadline passed) is dropped before it is rendered, so a cancelled stream
costs at most the batch already on the GPU.  Rendering and posing release the GIL, so threads
scale across cores; lavapipe adds its own rasteriser threads.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict, deque
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..render import STYLES, Renderer

__all__ = ["Job", "PoolClosed", "WorkerPool"]

logger = logging.getLogger(__name__)

RENDERERS_PER_WORKER = 3  # distinct sizes kept per worker (LRU)


class PoolClosed(RuntimeError):
    """The pool is shutting down and takes no more jobs."""


@dataclass(eq=False)
class Job:
    """One frame to render; ``stop`` is set when the call it belongs to has ended."""

    model_id: str
    model: Any
    annotation: Mapping[str, str | None]
    pose: np.ndarray  # (20,) float32
    style: str  # "S1".."S4"
    light: float
    size: int
    stop: threading.Event = field(default_factory=threading.Event)
    future: Future[np.ndarray] = field(default_factory=Future)

    @property
    def key(self) -> tuple[str, int]:
        return self.model_id, self.size


class _Worker:
    def __init__(self, device: str | None) -> None:
        self.device_name = device
        self.device: Any = None
        self.renderers: OrderedDict[int, Renderer] = OrderedDict()

    def renderer(self, size: int) -> Renderer:
        r = self.renderers.get(size)
        if r is not None:
            self.renderers.move_to_end(size)
            return r
        # One device per worker, shared by its renderers of every size.
        r = Renderer(size, device=self.device if self.device is not None else self.device_name)
        self.device = r.device
        self.renderers[size] = r
        while len(self.renderers) > RENDERERS_PER_WORKER:
            self.renderers.popitem(last=False)
        return r


class WorkerPool:
    """``workers`` render threads fed from one queue.  ``submit`` returns the job's future."""

    def __init__(self, workers: int, max_batch: int = 8, warm_sizes: Sequence[int] = (),
                 device: str | None = None) -> None:
        self.max_batch = max_batch
        self._queue: deque[Job] = deque()
        self._cond = threading.Condition()
        self._closing = False
        self._frames = 0  # frames rendered, all workers
        self._batches = 0
        self._busy = 0
        ready = threading.Barrier(workers + 1)
        errors: list[BaseException] = []
        self._threads = [
            threading.Thread(target=self._run, args=(device, warm_sizes, ready, errors),
                             name=f"animeceleb-render-{i}", daemon=True)
            for i in range(workers)
        ]
        for t in self._threads:
            t.start()
        ready.wait()  # every worker has its device and warm renderers (or failed)
        if errors:
            self.close()
            raise RuntimeError(f"a render worker could not start: {errors[0]}") from errors[0]

    @property
    def workers(self) -> int:
        return len(self._threads)

    @property
    def frames_rendered(self) -> int:
        with self._cond:
            return self._frames

    @property
    def batches_rendered(self) -> int:
        with self._cond:
            return self._batches

    def submit(self, job: Job) -> Future[np.ndarray]:
        with self._cond:
            if self._closing:
                raise PoolClosed("the server is shutting down")
            self._queue.append(job)
            self._cond.notify()
        return job.future

    def _take(self) -> list[Job] | None:
        with self._cond:
            while not self._queue and not self._closing:
                self._cond.wait()
            if not self._queue:
                return None
            first = self._queue.popleft()
            batch = [first]
            if self.max_batch > 1:
                rest: deque[Job] = deque()
                while self._queue and len(batch) < self.max_batch:
                    job = self._queue.popleft()
                    (batch if job.key == first.key else rest).append(job)
                rest.extend(self._queue)
                self._queue = rest
            self._busy += 1
            return batch

    def _run(self, device: str | None, warm_sizes: Sequence[int], ready: threading.Barrier,
             errors: list[BaseException]) -> None:
        worker = _Worker(device)
        try:
            for size in warm_sizes:  # device, target and every style's pipelines
                r = worker.renderer(size)
                for style in STYLES:
                    r.pipelines(style)
        except Exception as e:  # no adapter, bad device name: say so at start
            errors.append(e)
        ready.wait()
        if errors:
            return
        while True:
            batch = self._take()
            if batch is None:
                return
            try:
                self._render(worker, batch)
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()

    def _render(self, worker: _Worker, batch: list[Job]) -> None:
        live = []
        for j in batch:
            if j.stop.is_set():  # its call ended: never render it
                j.future.cancel()
            elif j.future.set_running_or_notify_cancel():
                live.append(j)
        if not live:
            return
        first = live[0]
        try:
            images = worker.renderer(first.size).render_batch(
                first.model, [j.pose for j in live], [j.style for j in live],
                [j.light for j in live], first.annotation)
        except Exception as e:  # FramingError and the like: the caller maps it to a status
            for j in live:
                j.future.set_exception(e)
            return
        with self._cond:
            self._frames += len(live)
            self._batches += 1
        for j, img in zip(live, images, strict=True):
            j.future.set_result(img)

    def wait_idle(self) -> None:
        """Block until the queue is empty and no worker is rendering."""
        with self._cond:
            while self._queue or self._busy:
                self._cond.wait()

    def close(self) -> None:
        """Stop taking jobs, cancel the queued ones, and wait for the workers to finish theirs."""
        with self._cond:
            self._closing = True
            dropped, self._queue = list(self._queue), deque()
            self._cond.notify_all()
        for job in dropped:
            job.future.cancel()
        for t in self._threads:
            t.join()
