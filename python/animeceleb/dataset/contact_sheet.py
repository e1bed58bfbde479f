"""A contact sheet of a generated dataset: a few images per identity and style, on one PNG.

One row per identity (the first ``max_identities``), one block of ``per_style`` images per style,
composited over a checkerboard so the alpha shows; labels say the identity and the style.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from ..atomic import write_atomic
from . import layout
from .shards import image_reader

__all__ = ["write_contact_sheet"]

_PAD = 16  # label band above each row


def _checker(size: int, cell: int = 8) -> np.ndarray:
    y, x = np.mgrid[0:size, 0:size] // cell
    return np.where(((x + y) % 2 == 0)[..., None], 205, 160).astype(np.float32)


def _thumb(png: bytes, size: int, checker: np.ndarray) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as im:
        rgba = np.asarray(im.convert("RGBA").resize((size, size), Image.Resampling.BILINEAR),
                          dtype=np.float32)
    a = rgba[..., 3:4] / 255.0
    return np.round(rgba[..., :3] * a + checker * (1.0 - a)).astype(np.uint8)


def write_contact_sheet(out: str | Path, path: str | Path | None = None, per_style: int = 3,
                        max_identities: int = 16, thumb: int = 96,
                        partition: str | None = None) -> Path:
    """Write the sheet (default ``OUT/contact_sheet.png``) from a finished dataset's labels
    (its images as files or in WebDataset shards) and return its path. ``partition``: which
    partition's images (default the first)."""
    out = Path(out)
    part = None if partition is None else layout.partition_name(partition)
    styles: list[str] = []
    chosen: dict[int, dict[str, list[str]]] = {}
    with open(out / layout.LABELS, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader, None)
        for row in reader:  # ordered by identity: stop after the last one shown
            p, style, org_id, _ = layout.parse_image_relpath(row[1])
            part = part or p
            if p != part:
                continue
            if org_id not in chosen and len(chosen) == max_identities:
                break
            if style not in styles:
                styles.append(style)
            paths = chosen.setdefault(org_id, {}).setdefault(style, [])
            if len(paths) < per_style:
                paths.append(row[1])
    rows = sorted(chosen)
    if not rows:
        raise ValueError(f"{out}: no images of partition {part!r} to show")
    width = len(styles) * per_style * thumb + (len(styles) - 1) * 4
    sheet = Image.new("RGB", (width, len(rows) * (thumb + _PAD)), (40, 40, 40))
    draw = ImageDraw.Draw(sheet)
    checker = _checker(thumb)
    read = image_reader(out)
    for r, org_id in enumerate(rows):
        y = r * (thumb + _PAD)
        for s, style in enumerate(styles):
            x0 = s * (per_style * thumb + 4)
            draw.text((x0 + 2, y + 2), f"id {org_id} {style} ({part})", fill=(230, 230, 230))
            for k, rel in enumerate(chosen[org_id].get(style, [])):
                tile = Image.fromarray(_thumb(read(rel), thumb, checker))
                sheet.paste(tile, (x0 + k * thumb, y + _PAD))
    target = Path(path) if path is not None else out / layout.CONTACT_SHEET
    buf = io.BytesIO()
    sheet.save(buf, format="PNG")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, buf.getvalue(), target.parent)
    return target
