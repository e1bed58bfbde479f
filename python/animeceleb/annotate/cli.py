"""``animeceleb annotate MODELS_DIR``: serve the inspection page, or propose / report in bulk."""

from __future__ import annotations

import argparse
import getpass
import sys
import webbrowser
from pathlib import Path
from typing import Any

__all__ = ["add_parser"]


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "person"


def _run(args: argparse.Namespace) -> int:
    from .collection import Collection
    from .report import write_report
    from .store import AnnotationStoreError

    try:
        collection = Collection(args.models_dir, store=args.store)
        collection.store.load()  # a broken store fails here, with its reason
    except (NotADirectoryError, AnnotationStoreError) as e:
        print(f"animeceleb annotate: {e}", file=sys.stderr)
        return 2
    if not collection.keys:
        print(f"animeceleb annotate: no .pmx or .pmd files under {args.models_dir}",
              file=sys.stderr)
        return 1
    if args.propose or args.report:
        failed = collection.propose_all(force=args.force, inspect=not args.no_inspect)
        for key, err in failed.items():
            print(f"{key}: {err}", file=sys.stderr)
        if args.report:
            summary = write_report(collection, args.report, propose_missing=False)
            print(f"report of {summary['models']} models in {Path(args.report).resolve()}")
        print(f"store: {collection.store.path}")
        return 1 if failed else 0

    from .web import make_server

    server = make_server(collection, args.host, args.port, args.user)
    print(f"animeceleb annotate: {len(collection.keys)} models, store {collection.store.path}")
    print(f"open {server.url}  (Ctrl-C stops)", flush=True)
    if args.open:
        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``annotate`` on the ``animeceleb`` command line."""
    p = subparsers.add_parser(
        "annotate", help="map models' morphs to the 23 target morphs (inspection web tool)",
        description="Propose source morphs for the 23 target morphs of every model under "
                    "MODELS_DIR and serve a local page to accept, reassign or reject them.")
    p.add_argument("models_dir", metavar="MODELS_DIR", help="folder of .pmx/.pmd models")
    p.add_argument("--store", help="annotation file (default MODELS_DIR/annotations.json)")
    p.add_argument("--host", default="127.0.0.1", help="address to serve on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (8765; 0: any free port)")
    p.add_argument("--user", default=_user(), help="name recorded with your decisions")
    p.add_argument("--open", action="store_true", help="open the page in a browser")
    p.add_argument("--propose", action="store_true",
                   help="propose for every model (progress bar), save, and exit")
    p.add_argument("--report", metavar="OUT_DIR",
                   help="write the coverage report and histograms to OUT_DIR, and exit")
    p.add_argument("--force", action="store_true", help="re-propose models already proposed")
    p.add_argument("--no-inspect", action="store_true",
                   help="names and geometry only, no rendered image checks")
    p.set_defaults(func=_run)
    return p
