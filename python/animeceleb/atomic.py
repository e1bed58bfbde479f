"""Files that appear whole or not at all: written under a temporary name in the same file
system, then renamed into place (``os.replace`` is atomic), so a run killed at any moment
leaves no half-written file under its final name."""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_file", "write_atomic"]

_counter = itertools.count()


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str], tmp_dir: str | os.PathLike[str],
                fsync: bool = False) -> Iterator[BinaryIO]:
    """A file to write (in binary) that appears at ``path`` when the block ends without an
    error, through a temporary file in ``tmp_dir`` (same file system); ``fsync``: flushed to
    disk first (for files whose loss on a power cut matters)."""
    path = Path(path)
    tmp = Path(tmp_dir) / f"{os.getpid()}-{next(_counter)}-{path.name}"
    try:
        with open(tmp, "wb") as f:
            yield f
            if fsync:
                f.flush()
                os.fsync(f.fileno())
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path: str | os.PathLike[str], data: bytes, tmp_dir: str | os.PathLike[str],
                 fsync: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file in ``tmp_dir`` (same file system).
    ``fsync``: also flush it to disk first (for files whose loss on a power cut matters)."""
    with atomic_file(path, tmp_dir, fsync) as f:
        f.write(data)
