"""A contact sheet of a generated dataset: a few images per identity and style, on one PNG.

One row per identity (the first ``max_identities``), one block of ``per_style`` images per style,
composited over a checkerboard so the alpha shows; labels say the identity and the style.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from . import layout
from .atomic import write_atomic

__all__ = ["write_contact_sheet"]

_PAD = 16  # label band above each row


def _checker(size: int, cell: int = 8) -> np.ndarray:
    y, x = np.mgrid[0:size, 0:size] // cell
    return np.where(((x + y) % 2 == 0)[..., None], 205, 160).astype(np.float32)


def _thumb(path: Path, size: int, checker: np.ndarray) -> np.ndarray:
    with Image.open(path) as im:
        rgba = np.asarray(im.convert("RGBA").resize((size, size), Image.Resampling.BILINEAR),
                          dtype=np.float32)
    a = rgba[..., 3:4] / 255.0
    return np.round(rgba[..., :3] * a + checker * (1.0 - a)).astype(np.uint8)


def write_contact_sheet(out: str | Path, path: str | Path | None = None, per_style: int = 3,
                        max_identities: int = 16, thumb: int = 96,
                        partition: str | None = None) -> Path:
    """Write the sheet (default ``OUT/contact_sheet.png``) from a finished dataset's manifest
    and return its path. ``partition``: which partition's images (default the first)."""
    out = Path(out)
    manifest = json.loads((out / layout.MANIFEST).read_text(encoding="utf-8"))
    styles = list(manifest["styles"])
    part = partition or manifest["partitions"][0]
    chosen: dict[int, dict[str, list[str]]] = {}
    for im in manifest["images"]:
        if im["partition"] != part:
            continue
        per = chosen.setdefault(int(im["org_id"]), {})
        paths = per.setdefault(im["style"], [])
        if len(paths) < per_style:
            paths.append(im["path"])
    rows = sorted(chosen)[:max_identities]
    if not rows:
        raise ValueError(f"{out}: no images of partition {part!r} to show")
    width = len(styles) * per_style * thumb + (len(styles) - 1) * 4
    sheet = Image.new("RGB", (width, len(rows) * (thumb + _PAD)), (40, 40, 40))
    draw = ImageDraw.Draw(sheet)
    checker = _checker(thumb)
    for r, org_id in enumerate(rows):
        y = r * (thumb + _PAD)
        for s, style in enumerate(styles):
            x0 = s * (per_style * thumb + 4)
            draw.text((x0 + 2, y + 2), f"id {org_id} {style} ({part})", fill=(230, 230, 230))
            for k, rel in enumerate(chosen[org_id].get(style, [])):
                tile = Image.fromarray(_thumb(out / rel, thumb, checker))
                sheet.paste(tile, (x0 + k * thumb, y + _PAD))
    target = Path(path) if path is not None else out / layout.CONTACT_SHEET
    buf = io.BytesIO()
    sheet.save(buf, format="PNG")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, buf.getvalue(), target.parent)
    return target
