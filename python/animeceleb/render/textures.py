"""Textures as real models ship them.

Path resolution: backslashes become '/', each path component is matched exactly, then case- and
width-insensitively (NFKC + casefold, so Japanese names written with full- or half-width letters
also match) among the directory's entries.  Images are opened by content with Pillow (PNG, JPEG,
BMP, TGA, DDS DXT1/3/5; .spa/.sph sphere files are BMPs or any of these under another suffix).
A texture that can't be found or read logs a warning and is reported as missing: the material
then draws its colour.  Decoded images, with their mip chain, are cached per resolved path.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

__all__ = ["MAX_SIZE", "TextureImage", "load_texture", "resolve_texture_path"]

logger = logging.getLogger(__name__)

MAX_SIZE = 2048  # larger textures are downscaled: the output image is 256 px wide


@dataclass(frozen=True)
class TextureImage:
    levels: tuple[np.ndarray, ...]  # mip chain, (H,W,4) uint8 straight RGBA, level 0 first
    has_alpha: bool  # any texel with alpha < 255
    path: str

    @property
    def size(self) -> tuple[int, int]:
        h, w = self.levels[0].shape[:2]
        return w, h


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


@functools.lru_cache(maxsize=256)
def _listing(directory: str, mtime: float) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        for entry in sorted(os.listdir(directory)):
            out.setdefault(_fold(entry), entry)
    except OSError:
        pass
    return out


def resolve_texture_path(base_dir: str | os.PathLike[str], name: str) -> Path | None:
    """The file a model's texture name refers to, or None."""
    parts = [p for p in name.strip().replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts:
        return None
    current = Path(base_dir)
    for part in parts:
        if part == "..":
            current = current.parent
            continue
        candidate = current / part
        if not candidate.exists():
            try:
                mtime = current.stat().st_mtime
            except OSError:
                return None
            match = _listing(str(current), mtime).get(_fold(part))
            if match is None:
                return None
            candidate = current / match
        current = candidate
    return current if current.is_file() else None


def _open_rgba(path: Path) -> Image.Image:
    # Pillow picks the decoder from the file's content; the suffix only changes the order in
    # which decoders are tried, so .spa/.sph and mislabelled files open as what they are.
    with Image.open(path) as im:
        im.load()
        return im.convert("RGBA")


def _mip_chain(im: Image.Image) -> tuple[np.ndarray, ...]:
    w, h = im.size
    if max(w, h) > MAX_SIZE:
        scale = MAX_SIZE / max(w, h)
        im = im.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.BOX)
    levels = [np.asarray(im, dtype=np.uint8)]
    while im.size != (1, 1):
        w, h = im.size
        # Pillow resizes RGBA premultiplied, so transparent texels don't bleed their colour.
        im = im.resize((max(1, w // 2), max(1, h // 2)), Image.Resampling.BOX)
        levels.append(np.asarray(im, dtype=np.uint8))
    return tuple(np.ascontiguousarray(lv) for lv in levels)


@functools.lru_cache(maxsize=16)  # decoded mip chains: up to ~22 MB each
def _load_cached(path: str, mtime: float) -> TextureImage:
    im = _open_rgba(Path(path))
    levels = _mip_chain(im)
    return TextureImage(levels=levels, has_alpha=bool((levels[0][..., 3] < 255).any()), path=path)


_warned: set[tuple[str, str]] = set()
_warned_lock = threading.Lock()


def _warn_once(base_dir: str | os.PathLike[str], name: str, message: str, *args: object) -> None:
    """Log a texture problem once per process for each (model folder, texture name): a model is
    loaded again and again by renderers, workers and caches, and a user needs to read it once."""
    key = (os.fspath(base_dir), name)
    with _warned_lock:
        if key in _warned:
            return
        _warned.add(key)
    logger.warning(message, *args)


def load_texture(base_dir: str | os.PathLike[str], name: str) -> TextureImage | None:
    """The decoded texture, or None (with a warning, once) when missing or unreadable."""
    path = resolve_texture_path(base_dir, name)
    if path is None:
        _warn_once(base_dir, name, "texture %r not found under %s: drawing the material colour",
                   name, base_dir)
        return None
    try:
        return _load_cached(str(path), path.stat().st_mtime)
    except (OSError, ValueError, SyntaxError) as exc:  # Pillow raises all three on bad files
        _warn_once(base_dir, name, "texture %s unreadable (%s): drawing the material colour",
                   path, exc)
        return None
