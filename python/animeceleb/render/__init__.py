"""The renderer: posed MMD models to 256x256 RGBA face images in four styles (wgpu + WGSL)."""

from .camera import Camera, FramingError, frame_head, require_head_bones
from .mesh import FrameData, MaterialData, MeshData
from .renderer import DEFAULT_LIGHT, Renderer, Timings
from .styles import STYLES, Style, get_style
from .textures import load_texture, resolve_texture_path

__all__ = [
    "DEFAULT_LIGHT",
    "STYLES",
    "Camera",
    "FrameData",
    "FramingError",
    "MaterialData",
    "MeshData",
    "Renderer",
    "Style",
    "Timings",
    "frame_head",
    "get_style",
    "load_texture",
    "require_head_bones",
    "resolve_texture_path",
]
