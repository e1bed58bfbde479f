"""The server's configuration and the bounds every request is held to (DESIGN.md: errors and
limits).  One frozen dataclass, filled by ``animeceleb serve`` or by code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Limits", "ServerConfig"]


@dataclass(frozen=True)
class Limits:
    """Bounds on what one request may ask; over one is a gRPC status, never an out-of-memory."""

    max_frames: int = 100_000  # frames per Sample request (its `count`)
    max_size: int = 1024  # output width/height in pixels
    min_size: int = 16  # the renderer's smallest target
    max_streams: int = 16  # concurrent RenderStream + Sample calls
    default_size: int = 256


@dataclass(frozen=True)
class ServerConfig:
    """Everything ``build_server`` needs.  ``models``: the folders models are served from (ids are
    their paths relative to the folder, prefixed with the folder's name when there are several);
    ``store``: an annotation store to read and fill with proposals (None: read the folder's own
    ``annotations.json`` if present, never write into the models folder)."""

    models: tuple[Path, ...]
    host: str = "[::]"
    port: int = 50051
    workers: int = 1
    limits: Limits = field(default_factory=Limits)
    store: Path | None = None
    tls_cert: Path | None = None
    tls_key: Path | None = None
    token: str | None = None
    grace: float = 10.0  # seconds in-flight calls get to finish on shutdown
    max_batch: int = 8  # frames one worker renders in one go (several requests coalesced)
    warm_sizes: tuple[int, ...] = (256,)  # renderers made at start, so first calls are not slow
    device: str | None = None  # wgpu adapter to use (None: the best one)

    def __post_init__(self) -> None:
        if not self.models:
            raise ValueError("at least one models folder is needed")
        if self.workers < 1:
            raise ValueError(f"workers must be at least 1, got {self.workers}")
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("TLS needs both a certificate and a key")
        if self.token is not None and not self.token:
            raise ValueError("the bearer token must not be empty")
        if self.max_batch < 1:
            raise ValueError(f"max_batch must be at least 1, got {self.max_batch}")

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"
