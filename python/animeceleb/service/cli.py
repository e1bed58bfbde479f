"""``animeceleb serve``: the render server from the command line."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from .config import Limits, ServerConfig

__all__ = ["add_parser"]


def _cmd_serve(args: argparse.Namespace) -> int:
    from .server import serve_forever

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    limits = Limits(max_frames=args.max_frames, max_size=args.max_size,
                    max_streams=args.max_streams)
    token = args.token
    if args.token_file is not None:
        token = args.token_file.read_text(encoding="utf-8").strip()
    config = ServerConfig(
        models=tuple(args.models), host=args.host, port=args.port, workers=args.workers,
        limits=limits, store=args.store, tls_cert=args.tls_cert, tls_key=args.tls_key,
        token=token, grace=args.grace, max_batch=args.max_batch, device=args.device,
        warm_sizes=(limits.default_size,))
    return serve_forever(config)


def add_parser(sub: argparse._SubParsersAction) -> None:
    d = Limits()
    p = sub.add_parser("serve", help="the gRPC render server (proto/animeceleb/v1/render.proto)")
    p.add_argument("--models", type=Path, action="append", required=True, metavar="DIR",
                   help="a folder of models to serve (repeatable); ids are relative paths")
    p.add_argument("--port", type=int, default=50051)
    p.add_argument("--host", default="[::]", help="address to listen on (default: all)")
    p.add_argument("--workers", type=int, default=1, help="render workers (one device each)")
    p.add_argument("--max-frames", type=int, default=d.max_frames,
                   help="bound on a Sample request's count")
    p.add_argument("--max-size", type=int, default=d.max_size, help="bound on image size, px")
    p.add_argument("--max-streams", type=int, default=d.max_streams,
                   help="bound on concurrent streaming calls")
    p.add_argument("--max-batch", type=int, default=8, help="frames a worker renders at once")
    p.add_argument("--store", type=Path, default=None,
                   help="annotation store to read and fill (default: read DIR/annotations.json "
                        "if present, write nothing)")
    p.add_argument("--tls-cert", type=Path, default=None, help="PEM certificate chain")
    p.add_argument("--tls-key", type=Path, default=None, help="PEM private key")
    p.add_argument("--token", default=None, help="require 'authorization: Bearer TOKEN'")
    p.add_argument("--token-file", type=Path, default=None, help="read the token from a file")
    p.add_argument("--grace", type=float, default=10.0,
                   help="seconds calls in flight get to finish on SIGTERM")
    p.add_argument("--device", default=None, help="wgpu adapter name to use (default: best)")
    p.set_defaults(func=_cmd_serve)
