"""Files that appear whole or not at all: written under a temporary name in the same file
system, then renamed into place (``os.replace`` is atomic), so a run killed at any moment
leaves no half-written file under its final name."""

from __future__ import annotations

import contextlib
import itertools
import os
from pathlib import Path

__all__ = ["write_atomic"]

_counter = itertools.count()


def write_atomic(path: str | os.PathLike[str], data: bytes, tmp_dir: str | os.PathLike[str],
                 fsync: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file in ``tmp_dir`` (same file system).
    ``fsync``: also flush it to disk first (for files whose loss on a power cut matters)."""
    path = Path(path)
    tmp = Path(tmp_dir) / f"{os.getpid()}-{next(_counter)}-{path.name}"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            if fsync:
                f.flush()
                os.fsync(f.fileno())
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
