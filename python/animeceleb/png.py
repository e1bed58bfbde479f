"""PNG bytes of an image array: fixed settings and no metadata, so equal pixels give equal
bytes (the dataset's determinism, the sample character's textures, frames on the wire)."""

from __future__ import annotations

import io

import numpy as np

__all__ = ["png_bytes"]


def png_bytes(image: np.ndarray, compress_level: int = 6) -> bytes:
    """A PNG of an (H, W), (H, W, 3) or (H, W, 4) uint8 array, its mode taken from the shape.
    ``compress_level`` 0-9: lower is faster and larger (the server sends frames at 1)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(image)).save(buf, format="PNG",
                                                      compress_level=compress_level)
    return buf.getvalue()
