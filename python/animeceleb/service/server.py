"""Building and running the server: the render service, standard health checking and server
reflection beside it, optional TLS and bearer token, and a graceful stop.

``RenderServer(config)`` starts everything (workers first, so the port is only opened once frames
can be rendered) and reports SERVING; ``stop(grace)`` reports NOT_SERVING, refuses new calls, lets
calls in flight finish for up to ``grace`` seconds, then stops the workers.
"""

from __future__ import annotations

import logging
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from .auth import TokenInterceptor
from .config import ServerConfig
from .proto.animeceleb.v1 import render_pb2 as pb
from .proto.animeceleb.v1 import render_pb2_grpc as pb_grpc
from .registry import ModelRegistry
from .servicer import RenderServicer
from .workers import WorkerPool

__all__ = ["SERVICE_NAME", "RenderServer", "serve_forever"]

logger = logging.getLogger(__name__)

SERVICE_NAME: str = pb.DESCRIPTOR.services_by_name["RenderService"].full_name
UNARY_THREADS = 8  # gRPC threads beyond one per allowed stream, for unary calls
MAX_MESSAGE = 64 * 1024 * 1024  # a 1024 px RGBA frame is 4 MiB; room for bigger bounds


class RenderServer:
    """A running render server.  Use as a context manager, or call ``stop``."""

    def __init__(self, config: ServerConfig, registry: ModelRegistry | None = None) -> None:
        self.config = config
        self.registry = registry or ModelRegistry(config.models, store=config.store)
        sizes = tuple(s for s in config.warm_sizes if s)
        self.pool = WorkerPool(config.workers, config.max_batch, sizes, config.device)
        self.servicer = RenderServicer(self.registry, self.pool, config.limits)
        interceptors = [TokenInterceptor(config.token)] if config.token else []
        options = [("grpc.max_send_message_length", MAX_MESSAGE),
                   ("grpc.max_receive_message_length", 1024 * 1024)]
        self._executor = ThreadPoolExecutor(
            max_workers=config.limits.max_streams + UNARY_THREADS,
            thread_name_prefix="animeceleb-grpc")
        self.server = grpc.server(self._executor, interceptors=interceptors, options=options)
        pb_grpc.add_RenderServiceServicer_to_server(self.servicer, self.server)
        self.health = health.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        reflection.enable_server_reflection(
            (SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME), self.server)
        if config.tls_cert is not None and config.tls_key is not None:
            creds = grpc.ssl_server_credentials(
                [(config.tls_key.read_bytes(), config.tls_cert.read_bytes())])
            self.port = self.server.add_secure_port(config.address, creds)
        else:
            self.port = self.server.add_insecure_port(config.address)
        if self.port == 0:
            self.pool.close()
            raise OSError(f"could not listen on {config.address}")
        self.server.start()
        for name in ("", SERVICE_NAME):
            self.health.set(name, health_pb2.HealthCheckResponse.SERVING)
        self._stopped = False
        logger.info("animeceleb render server on port %d: %d models, %d workers",
                    self.port, len(self.registry), config.workers)

    def stop(self, grace: float | None = None) -> None:
        """Finish calls in flight (up to ``grace`` seconds, default the config's), then stop."""
        if self._stopped:
            return
        self._stopped = True
        self.health.enter_graceful_shutdown()  # NOT_SERVING: balancers move on
        self.server.stop(self.config.grace if grace is None else grace).wait()
        self.pool.close()
        self._executor.shutdown(wait=True)

    def wait(self) -> None:
        self.server.wait_for_termination()

    def __enter__(self) -> RenderServer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def serve_forever(config: ServerConfig) -> int:
    """Run until SIGTERM or SIGINT, then stop gracefully (the command line's ``serve``)."""
    done = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        logger.info("signal %d: finishing calls in flight (up to %gs)", signum, config.grace)
        done.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        server = RenderServer(config)
        print(f"animeceleb: serving {len(server.registry)} models on port {server.port} "
              f"with {config.workers} workers", flush=True)
        try:
            done.wait()
        finally:
            server.stop()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 0
