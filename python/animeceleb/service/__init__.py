"""The gRPC render service (proto/animeceleb/v1/render.proto): server, Python client, pairs.

- ``config``: ``ServerConfig`` and the request ``Limits``;
- ``registry``: the models of the configured folders, by id;
- ``workers``: the render worker pool;  ``sampling``: what Sample draws from a seed;
- ``messages``: wire messages <-> library values, request checks;
- ``servicer``: the RenderService;  ``auth``: the bearer token;
- ``server``: ``RenderServer`` (health, reflection, TLS, graceful stop);  ``cli``: ``serve``;
- ``client``: ``Client``;  ``pairs``: ``PairStream`` (training pairs, reconnecting).
"""

from .client import Client, Frame, FrameStream, ModelDescription, ModelInfo
from .config import Limits, ServerConfig
from .pairs import Backoff, Pair, PairStream
from .server import RenderServer

__all__ = [
    "Backoff",
    "Client",
    "Frame",
    "FrameStream",
    "Limits",
    "ModelDescription",
    "ModelInfo",
    "Pair",
    "PairStream",
    "RenderServer",
    "ServerConfig",
]
