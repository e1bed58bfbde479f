"""The style registry: a style is data (names, knobs) plus one WGSL file.

Every style's WGSL file includes ``common.wgsl`` (bindings, vertex stages, fragment entry points)
and ``lighting.wgsl`` (MMD material helpers), and defines two functions:
``shade(s: Surface) -> vec4f`` for surfaces and ``edge(s: Surface) -> vec4f`` for the inverted
hull.  Styles without an outline colour the hull like the surface, so every style has the same
silhouette and alpha (DESIGN.md).  Adding a style = one entry here and one WGSL file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

__all__ = ["STYLES", "Style", "get_style", "shader_source"]


@dataclass(frozen=True)
class Style:
    code: str  # "S1".."S4"
    name: str  # "mmd", "cel", ...
    shader: str  # file under wgsl/
    description: str
    params: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # style knobs, frame.style


STYLES: tuple[Style, ...] = (
    Style("S1", "mmd", "mmd.wgsl", "MMD: texture x diffuse, toon ramp, sphere map, specular, edge"),
    # params: N.L threshold, shadow factor, brightness at light 0, brightness per unit light
    Style("S2", "cel", "cel.wgsl", "hard two-tone cel shading, outline", (0.3, 0.8, 0.55, 0.75)),
    Style("S3", "flat", "flat.wgsl", "unlit albedo: texture x diffuse"),
    # params: ambient, diffuse gain, specular gain
    Style("S4", "soft", "soft.wgsl", "smooth Lambert + Blinn-Phong", (0.45, 1.0, 0.35, 0.0)),
)

_BY_NAME = {k: s for s in STYLES for k in (s.code.lower(), s.name.lower())}


def get_style(style: str | Style) -> Style:
    """A style by code ("S1") or word ("mmd"), any case."""
    if isinstance(style, Style):
        return style
    try:
        return _BY_NAME[str(style).strip().lower()]
    except KeyError:
        known = ", ".join(f"{s.code}/{s.name}" for s in STYLES)
        raise ValueError(f"unknown style {style!r}; known: {known}") from None


_INCLUDE = re.compile(r"^//!include\s+(\S+)\s*$", re.MULTILINE)


def _read(name: str) -> str:
    return resources.files(__package__).joinpath("wgsl").joinpath(name).read_text(encoding="utf-8")


@functools.cache
def shader_source(style: str | Style) -> str:
    """The style's WGSL with its ``//!include`` lines expanded (each file once)."""
    seen: set[str] = set()

    def expand(name: str) -> str:
        if name in seen:
            return ""
        seen.add(name)
        return _INCLUDE.sub(lambda m: expand(m.group(1)), _read(name))

    return expand(get_style(style).shader)
