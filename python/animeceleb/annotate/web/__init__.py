"""The inspection web tool: a local page served by the standard library's HTTP server."""

from .server import AnnotateServer, make_server

__all__ = ["AnnotateServer", "make_server"]
