"""RenderService: translates between messages and the registry, sampler and worker pool.

Calls end early in three ways, all honoured: the client cancels or its deadline passes (gRPC
runs the call's callbacks: its queued jobs are dropped and the stream stops), a request fails a
check (the status from ``RequestError``), or the server shuts down (the pool refuses new jobs).
Streams keep a bounded window of frames in flight, so a slow reader makes the server wait
instead of queueing frames: gRPC's own flow control does the rest.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import queue
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, NoReturn

import grpc
import numpy as np

from ..pose import PARTITIONS
from ..render import FramingError
from .config import Limits
from .messages import (
    FrameSpec,
    RequestError,
    check_encoding,
    check_size,
    encode_frame,
    entry_for,
    parse_render,
    style_code,
)
from .proto.animeceleb.v1 import render_pb2 as pb
from .proto.animeceleb.v1 import render_pb2_grpc as pb_grpc
from .registry import ModelEntry, ModelRegistry
from .sampling import sample_specs
from .workers import Job, PoolClosed, WorkerPool

__all__ = ["RenderServicer"]

logger = logging.getLogger(__name__)

_END = object()
_PARTITION = {pb.PARTITION_UNSPECIFIED: PARTITIONS[0], pb.PARTITION_ROTATED: "rotated",
              pb.PARTITION_FRONTAL: "frontal"}


def _abort(context: grpc.ServicerContext, e: RequestError) -> NoReturn:
    context.abort(e.code, e.message)
    raise AssertionError("context.abort returns only by raising")


class RenderServicer(pb_grpc.RenderServiceServicer):
    def __init__(self, registry: ModelRegistry, pool: WorkerPool, limits: Limits) -> None:
        self.registry = registry
        self.pool = pool
        self.limits = limits
        self._streams = 0
        self._lock = threading.Lock()
        # Frames a stream keeps in flight: enough for every worker to have a full batch queued.
        self.window = 2 * pool.max_batch

    @property
    def active_streams(self) -> int:
        """Streaming calls being served now."""
        with self._lock:
            return self._streams

    # ----- helpers ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _stream_slot(self, context: grpc.ServicerContext) -> Iterator[None]:
        with self._lock:
            if self._streams >= self.limits.max_streams:
                busy = True
            else:
                busy = False
                self._streams += 1
        if busy:
            _abort(context, RequestError(
                grpc.StatusCode.RESOURCE_EXHAUSTED,
                f"this server already serves {self.limits.max_streams} streams; "
                "retry later or use another replica"))
        try:
            yield
        finally:
            with self._lock:
                self._streams -= 1

    def _submit(self, spec: FrameSpec, stop: threading.Event) -> Future[np.ndarray]:
        model = self.registry.model(spec.entry.id)
        return self.pool.submit(Job(spec.entry.id, model, spec.entry.annotation, spec.pose,
                                    spec.style, spec.light, spec.size, stop=stop))

    def _stop_event(self, context: grpc.ServicerContext) -> threading.Event:
        stop = threading.Event()
        # Runs when the call ends: done, cancelled or timed out (False: it has ended already).
        if not context.add_callback(stop.set):
            stop.set()
        return stop

    def _result(self, future: Future[np.ndarray], context: grpc.ServicerContext
                ) -> np.ndarray | None:
        """The rendered image; None when the call ended meanwhile (nobody to send it to)."""
        remaining = context.time_remaining()  # huge (not None) when there is no deadline
        timeout = remaining if remaining is not None and remaining < 1e6 else None
        try:
            return future.result(timeout=timeout)
        except CancelledError:
            return None
        except FutureTimeout:
            future.cancel()
            _abort(context, RequestError(grpc.StatusCode.DEADLINE_EXCEEDED,
                                         "the deadline passed before the frame was rendered"))
        except FramingError as e:
            _abort(context, RequestError(grpc.StatusCode.FAILED_PRECONDITION, str(e)))

    def _frames(self, items: Iterable[tuple[FrameSpec, Future[np.ndarray]]],
                context: grpc.ServicerContext) -> Iterator[pb.Frame]:
        for index, (spec, future) in enumerate(items):
            image = self._result(future, context)
            if image is None or not context.is_active():
                return
            yield encode_frame(spec, image, index)

    # ----- unary --------------------------------------------------------------------------

    def ListModels(self, request: pb.ListModelsRequest, context: grpc.ServicerContext
                   ) -> pb.ListModelsResponse:
        return pb.ListModelsResponse(models=[_summary(e) for e in self.registry.entries()])

    def DescribeModel(self, request: pb.DescribeModelRequest, context: grpc.ServicerContext
                      ) -> pb.ModelDescription:
        try:
            e = entry_for(self.registry, request.model_id)
        except RequestError as err:
            _abort(context, err)
        return pb.ModelDescription(
            summary=_summary(e), annotation={t: s for t, s in e.annotation.items() if s},
            bone_count=e.bone_count, morph_count=e.morph_count, material_count=e.material_count,
            format=e.format, format_version=e.format_version)

    def Render(self, request: pb.RenderRequest, context: grpc.ServicerContext) -> pb.Frame:
        try:
            spec = parse_render(request, self.registry, self.limits)
            future = self._submit(spec, self._stop_event(context))
        except RequestError as e:
            _abort(context, e)
        except PoolClosed as e:
            _abort(context, RequestError(grpc.StatusCode.UNAVAILABLE, str(e)))
        image = self._result(future, context)
        if image is None:  # the client cancelled: nobody reads this status
            _abort(context, RequestError(grpc.StatusCode.CANCELLED, "cancelled"))
        return encode_frame(spec, image, 0)

    # ----- streams ------------------------------------------------------------------------

    def Sample(self, request: pb.SampleRequest, context: grpc.ServicerContext
               ) -> Iterator[pb.Frame]:
        try:
            specs = self._sample_specs(request)
        except RequestError as e:
            _abort(context, e)
        with self._stream_slot(context):
            stop = self._stop_event(context)
            count = request.count or None
            window: deque[tuple[FrameSpec, Future[np.ndarray]]] = deque()

            def in_order() -> Iterator[tuple[FrameSpec, Future[np.ndarray]]]:
                for spec in itertools.islice(specs, count):
                    window.append((spec, self._submit(spec, stop)))
                    if len(window) >= self.window:
                        yield window.popleft()
                while window:
                    yield window.popleft()

            try:
                yield from self._frames(in_order(), context)
            except PoolClosed as e:
                _abort(context, RequestError(grpc.StatusCode.UNAVAILABLE, str(e)))
            finally:
                stop.set()
                for _, f in window:
                    f.cancel()

    def _sample_specs(self, request: pb.SampleRequest) -> Iterator[FrameSpec]:
        lim = self.limits
        if request.count > lim.max_frames:
            raise RequestError(grpc.StatusCode.RESOURCE_EXHAUSTED,
                               f"count {request.count} is over this server's bound of "
                               f"{lim.max_frames} frames per request")
        if request.pairs and request.count % 2:
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT,
                               f"count {request.count} is odd; with pairs it counts frames, "
                               "two per pair")
        if request.partition not in _PARTITION:
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT,
                               f"unknown partition {request.partition}")
        entries: list[ModelEntry]
        if request.model_id:
            entries = [entry_for(self.registry, request.model_id)]
        else:
            entries = self.registry.entries()
            if not entries:
                raise RequestError(grpc.StatusCode.FAILED_PRECONDITION,
                                   "this server has no models")
        styles = ([style_code(s) for s in request.styles] if request.styles
                  else ["S1", "S2", "S3", "S4"])
        return sample_specs(request.seed, entries, styles, request.pairs,
                            _PARTITION[request.partition], check_size(request.size, lim),
                            check_encoding(request.encoding))

    def RenderStream(self, request_iterator: Iterator[pb.RenderRequest],
                     context: grpc.ServicerContext) -> Iterator[pb.Frame]:
        with self._stream_slot(context):
            stop = self._stop_event(context)
            # The reader submits requests as they arrive, at most `window` ahead of the frames
            # sent: a client that stops reading stops the reader, and gRPC stops the client.
            ahead: queue.Queue[Any] = queue.Queue(maxsize=self.window)

            def put(item: Any) -> bool:
                while not stop.is_set():
                    try:
                        ahead.put(item, timeout=0.1)
                        return True
                    except queue.Full:
                        continue
                return False

            def read() -> None:
                try:
                    for req in request_iterator:
                        if stop.is_set():
                            return
                        spec = parse_render(req, self.registry, self.limits)
                        if not put((spec, self._submit(spec, stop))):
                            return
                except (RequestError, PoolClosed) as e:
                    put(e)
                    return
                except Exception:  # the call was cancelled while reading: nothing to do
                    if not stop.is_set():
                        logger.exception("reading a RenderStream failed")
                put(_END)

            reader = threading.Thread(target=read, name="animeceleb-stream-reader", daemon=True)
            reader.start()

            def in_order() -> Iterator[tuple[FrameSpec, Future[np.ndarray]]]:
                while True:
                    try:
                        item = ahead.get(timeout=0.1)
                    except queue.Empty:
                        if stop.is_set():  # the call ended; the reader has stopped
                            return
                        continue
                    if item is _END:
                        return
                    if isinstance(item, PoolClosed):
                        raise RequestError(grpc.StatusCode.UNAVAILABLE, str(item))
                    if isinstance(item, RequestError):
                        raise item
                    yield item

            try:
                yield from self._frames(in_order(), context)
            except RequestError as e:
                _abort(context, e)
            finally:
                stop.set()
                while True:  # drop what the reader queued
                    try:
                        item = ahead.get_nowait()
                    except queue.Empty:
                        break
                    if isinstance(item, tuple):
                        item[1].cancel()
                reader.join(timeout=1.0)


def _summary(e: ModelEntry) -> pb.ModelSummary:
    return pb.ModelSummary(id=e.id, name=e.name, name_en=e.name_en, vertex_count=e.vertex_count,
                           face_count=e.face_count, target_morphs=list(e.target_morphs),
                           credit=e.credit)
