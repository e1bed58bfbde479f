"""The renderer: one wgpu device, one set of pipelines per style, GPU resources cached per model.

Per image only the posed vertex buffers, the material rows and a small uniform are written; the
draw is encoded, the colour target copied into one of two mappable buffers, and the image read
back while the next frame is drawn; the next frame is posed on a worker thread meanwhile
(``render_batch``).  Triangles that can never enter the frame are culled once per model.

Blending: every material is drawn premultiplied (``one, one-minus-src-alpha`` on colour and
alpha) over a cleared transparent target, so the target holds exact premultiplied colour; the
readback divides colour by alpha where alpha is partial, giving straight alpha (DESIGN.md).
Draw order as MMD: opaque materials in file order, then alpha-blended ones (diffuse alpha < 1 or
a texture with alpha) in file order, then the edge hulls.  Depth test everywhere, no MSAA.
Materials with a subtexture sphere are drawn by their own pipelines, which read additional UV1
from a vertex buffer that only models with such materials have.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import unicodedata
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import wgpu

from ..pose import Pose, realize
from .camera import Camera, frame_head
from .mesh import MATERIAL_ROW, SPHERE_MODES, FrameData, MeshData
from .styles import STYLES, Style, get_style, shader_source
from .textures import TextureImage, load_texture
from .toon import shared_toon, white_toon

__all__ = ["DEFAULT_LIGHT", "LIGHT_DIRECTION", "Renderer", "Timings"]

logger = logging.getLogger(__name__)

COLOR_FORMAT = wgpu.TextureFormat.rgba8unorm
DEPTH_FORMAT = wgpu.TextureFormat.depth24plus
# Direction the light travels (world): from the camera side (-Z), above, and from image right.
LIGHT_DIRECTION = np.array([-0.3, -0.5, 1.0], dtype=np.float32) / np.linalg.norm([-0.3, -0.5, 1.0])
DEFAULT_LIGHT = 0.6  # MMD's default light colour, 154/255
# Triangles the camera can't see are culled once per model, assuming the head turns (sum of
# |yaw|, |pitch|, |roll|) at most this much; frames beyond it draw every triangle.
CULL_TURN_DEGREES = 60.0
EDGE_PIXELS = 1.25  # outline width in pixels per unit of edge size, at 256 px
GPU_MATERIAL_FLOATS = 44  # 11 vec4f, common.wgsl's Material
FRAME_FLOATS = 28  # mat4x4f + 3 vec4f

_FRONT_FACE = wgpu.FrontFace.cw  # MMD (Direct3D) winding: front faces are clockwise on screen
# Pipeline kinds: entry points and how many of the vertex buffers they read (slots 0-2 surface,
# 3 edge scale, 4 additional UV1: only subtexture-sphere materials pay for UV1).
_STAGES = {"main": ("vs_main", "fs_main", 3), "edge": ("vs_edge", "fs_edge", 4),
           "sub": ("vs_sub", "fs_sub", 5)}
_VERTEX_BUFFERS = [(0, "float32x3", 12), (1, "float32x3", 12), (2, "float32x2", 8),
                   (3, "float32", 4), (4, "float32x2", 8)]

_ADAPTER_RANK = {"DiscreteGPU": 3, "IntegratedGPU": 2, "VirtualGPU": 1, "CPU": 0}
_BACKEND_RANK = {"Vulkan": 2, "Metal": 2, "D3D12": 2, "OpenGL": 0}


@dataclass
class Timings:
    """Seconds spent per stage, summed over frames (``Renderer.timings``)."""

    frames: int = 0
    pose: float = 0.0  # morphs + bones + skinning (the poser, on a worker thread: overlapped)
    upload: float = 0.0  # vertex/material/uniform writes
    draw: float = 0.0  # encode + submit
    readback: float = 0.0  # waiting for the frame, map, copy, un-premultiply

    def per_frame_ms(self) -> dict[str, float]:
        n = max(self.frames, 1)
        return {k: 1000.0 * getattr(self, k) / n for k in ("pose", "upload", "draw", "readback")}


# wgpu-native aborts the process when adapters are enumerated or released (the unpicked ones,
# OpenGL's among them) on several threads at once, as a server's render threads do at start.
_ADAPTER_LOCK = threading.Lock()


def _request_device(name: str | None) -> tuple[wgpu.GPUDevice, str]:
    """A device on the best adapter (see ``_pick_adapter``) and the adapter's summary."""
    with _ADAPTER_LOCK:  # the unpicked adapters are released before it is let go
        adapter = _pick_adapter(name)
        return adapter.request_device_sync(label="animeceleb"), adapter.summary


def _pick_adapter(name: str | None) -> wgpu.GPUAdapter:
    # Mesa's implicit device-select Vulkan layer only reorders devices (we rank them ourselves)
    # and, without a desktop session, prints "error: XDG_RUNTIME_DIR is invalid ..." once per
    # instance while probing Wayland: keep it out unless the user chose otherwise.
    os.environ.setdefault("NODEVICE_SELECT", "1")
    adapters = wgpu.gpu.enumerate_adapters_sync()
    if name is not None:
        adapters = [a for a in adapters if name.lower() in a.summary.lower()]
        if not adapters:
            raise RuntimeError(f"no wgpu adapter matches {name!r}")
    if not adapters:
        raise RuntimeError("no wgpu adapter available (install a GPU driver or Mesa lavapipe)")

    def rank(a: wgpu.GPUAdapter) -> tuple[int, int]:
        info = a.info
        return (
            _ADAPTER_RANK.get(str(info.get("adapter_type", "")), 0),
            _BACKEND_RANK.get(str(info.get("backend_type", "")), 1),
        )

    return max(adapters, key=rank)  # max keeps the first of equals: enumeration order


@dataclass
class _StylePipelines:
    cull_back: wgpu.GPURenderPipeline
    cull_none: wgpu.GPURenderPipeline
    edge: wgpu.GPURenderPipeline
    # subtexture-sphere materials (with additional UV1), compiled on first need: (back, none)
    sub: tuple[wgpu.GPURenderPipeline, wgpu.GPURenderPipeline] | None = None


@dataclass
class _GpuModel:
    mesh: MeshData
    camera: Camera
    view_proj: np.ndarray  # column-major float32 for WGSL
    positions: wgpu.GPUBuffer
    normals: wgpu.GPUBuffer
    uvs: wgpu.GPUBuffer
    uv1: wgpu.GPUBuffer | None  # additional UV1, only when a material has a subtexture sphere
    edge_scales: wgpu.GPUBuffer
    indices: wgpu.GPUBuffer
    material_buffer: wgpu.GPUBuffer
    frame_group: wgpu.GPUBindGroup
    material_groups: list[wgpu.GPUBindGroup]
    first_index: np.ndarray  # (M,)
    index_count: np.ndarray  # (M,)
    culled: tuple[wgpu.GPUBuffer, np.ndarray, np.ndarray] | None  # indices, firsts, counts
    texture_alpha: np.ndarray  # (M,) bool: the colour texture has transparent texels
    double_sided: np.ndarray  # (M,) bool
    has_edge: np.ndarray  # (M,) bool
    subtexture: np.ndarray  # (M,) bool: drawn with the sub pipelines
    gpu_static: np.ndarray  # (M, GPU_MATERIAL_FLOATS) with the info columns filled
    base_materials: np.ndarray  # (M, MATERIAL_ROW) neutral rows
    texture_paths: frozenset[str]  # the files of its GPU textures
    source: Any = None  # the animeceleb model, when built from one
    poser: Any = None
    morph_names: dict[str, str] = field(default_factory=dict)  # name or folded name -> name
    uvs_changed: bool = False  # the UV buffer holds a frame's UVs, not the mesh's
    uv1_changed: bool = False  # likewise for UV1


class Renderer:
    """Renders posed MMD models to (size, size, 4) uint8 straight-alpha RGBA images.

    ``device``: None picks the best adapter (discrete GPU > integrated > CPU, native backends
    before OpenGL); a string picks the first adapter whose summary contains it; a
    ``wgpu.GPUDevice`` is used as is.  ``adapter_summary`` says which one is in use.
    """

    def __init__(self, size: int = 256, device: wgpu.GPUDevice | str | None = None,
                 max_models: int = 8) -> None:
        if not 16 <= int(size) <= 4096:
            raise ValueError(f"size must be in 16..4096, got {size}")
        self.size = int(size)
        if isinstance(device, wgpu.GPUDevice):
            self.device = device
            self.adapter_summary = device.adapter.summary
        else:
            self.device, self.adapter_summary = _request_device(device)
        logger.info("animeceleb renderer: using %s", self.adapter_summary)
        self.max_models = max_models
        self.timings = Timings()
        self._lock = threading.RLock()
        self._models: OrderedDict[int, _GpuModel] = OrderedDict()
        self._pipelines: dict[str, _StylePipelines] = {}
        self._modules: dict[str, wgpu.GPUShaderModule] = {}
        self._textures: dict[str, tuple[wgpu.GPUTextureView, bool]] = {}
        self._create_targets()
        self._create_layouts()

    # ----- device objects ---------------------------------------------------------------

    def _create_targets(self) -> None:
        d, s = self.device, self.size
        self._color = d.create_texture(
            size=(s, s, 1), format=COLOR_FORMAT,
            usage=wgpu.TextureUsage.RENDER_ATTACHMENT | wgpu.TextureUsage.COPY_SRC,
        )
        self._depth = d.create_texture(
            size=(s, s, 1), format=DEPTH_FORMAT, usage=wgpu.TextureUsage.RENDER_ATTACHMENT
        )
        self._color_view = self._color.create_view()
        self._depth_view = self._depth.create_view()
        self._bytes_per_row = (4 * s + 255) // 256 * 256
        self._readback = [
            d.create_buffer(size=self._bytes_per_row * s,
                            usage=wgpu.BufferUsage.COPY_DST | wgpu.BufferUsage.MAP_READ)
            for _ in range(2)
        ]
        self._frame_uniform = d.create_buffer(
            size=4 * FRAME_FLOATS, usage=wgpu.BufferUsage.UNIFORM | wgpu.BufferUsage.COPY_DST
        )

    def _create_layouts(self) -> None:
        d = self.device
        frag = wgpu.ShaderStage.FRAGMENT
        both = wgpu.ShaderStage.VERTEX | wgpu.ShaderStage.FRAGMENT
        self._frame_layout = d.create_bind_group_layout(entries=[
            {"binding": 0, "visibility": both, "buffer": {"type": "uniform"}},
            {"binding": 1, "visibility": both, "buffer": {"type": "read-only-storage"}},
            {"binding": 2, "visibility": frag, "sampler": {"type": "filtering"}},
            {"binding": 3, "visibility": both, "sampler": {"type": "filtering"}},
        ])
        tex = {"sample_type": "float", "view_dimension": "2d"}
        self._material_layout = d.create_bind_group_layout(entries=[
            {"binding": i, "visibility": frag, "texture": tex} for i in range(3)
        ])
        self._pipeline_layout = d.create_pipeline_layout(
            bind_group_layouts=[self._frame_layout, self._material_layout]
        )
        self._wrap_sampler = d.create_sampler(
            address_mode_u="repeat", address_mode_v="repeat", mag_filter="linear",
            min_filter="linear", mipmap_filter="linear",
        )
        self._clamp_sampler = d.create_sampler(
            address_mode_u="clamp-to-edge", address_mode_v="clamp-to-edge",
            mag_filter="linear", min_filter="linear",
        )
        white = np.full((1, 1, 4), 255, dtype=np.uint8)
        self._white = self._upload_levels((white,), "white")
        self._toons = [self._upload_levels((shared_toon(i),), f"toon{i + 1:02d}")
                       for i in range(10)]
        self._white_toon = self._upload_levels((white_toon(),), "toon-none")

    def pipelines(self, style: str | Style) -> _StylePipelines:
        """The style's pipelines, compiled on first use."""
        st = get_style(style)
        if st.code not in self._pipelines:
            self._pipelines[st.code] = _StylePipelines(
                cull_back=self._pipeline(st, "back", "main"),
                cull_none=self._pipeline(st, "none", "main"),
                edge=self._pipeline(st, "front", "edge"),
            )
        return self._pipelines[st.code]

    def sub_pipelines(self, style: str | Style
                      ) -> tuple[wgpu.GPURenderPipeline, wgpu.GPURenderPipeline]:
        """The style's (cull back, cull none) pipelines for subtexture-sphere materials,
        compiled on first use (only models with such materials need them)."""
        st = get_style(style)
        pipes = self.pipelines(st)
        if pipes.sub is None:
            pipes.sub = (self._pipeline(st, "back", "sub"), self._pipeline(st, "none", "sub"))
        return pipes.sub

    def _pipeline(self, style: Style, cull: str, kind: str) -> wgpu.GPURenderPipeline:
        d = self.device
        module = self._modules.get(style.code)
        if module is None:
            module = d.create_shader_module(label=style.shader, code=shader_source(style))
            self._modules[style.code] = module
        vs, fs, n_buffers = _STAGES[kind]
        buffers = [{"array_stride": stride, "step_mode": "vertex",
                    "attributes": [{"format": fmt, "offset": 0, "shader_location": loc}]}
                   for loc, fmt, stride in _VERTEX_BUFFERS[:n_buffers]]
        blend = {
            "color": {"src_factor": "one", "dst_factor": "one-minus-src-alpha", "operation": "add"},
            "alpha": {"src_factor": "one", "dst_factor": "one-minus-src-alpha", "operation": "add"},
        }
        return d.create_render_pipeline(
            label=f"{style.name}-{kind}-{cull}",
            layout=self._pipeline_layout,
            vertex={"module": module, "entry_point": vs, "buffers": buffers},
            primitive={"topology": "triangle-list", "front_face": _FRONT_FACE, "cull_mode": cull},
            depth_stencil={"format": DEPTH_FORMAT, "depth_write_enabled": True,
                           "depth_compare": "less"},
            multisample={"count": 1},
            fragment={"module": module, "entry_point": fs,
                      "targets": [{"format": COLOR_FORMAT, "blend": blend}]},
        )

    def _upload_levels(self, levels: Sequence[np.ndarray], label: str) -> wgpu.GPUTextureView:
        h, w = levels[0].shape[:2]
        texture = self.device.create_texture(
            label=label, size=(w, h, 1), format="rgba8unorm", mip_level_count=len(levels),
            usage=wgpu.TextureUsage.TEXTURE_BINDING | wgpu.TextureUsage.COPY_DST,
        )
        for level, img in enumerate(levels):
            lh, lw = img.shape[:2]
            self.device.queue.write_texture(
                {"texture": texture, "mip_level": level, "origin": (0, 0, 0)},
                np.ascontiguousarray(img), {"offset": 0, "bytes_per_row": 4 * lw},
                (lw, lh, 1),
            )
        return texture.create_view()

    def _texture(self, mesh: MeshData, index: int, used: set[str]
                 ) -> tuple[wgpu.GPUTextureView, bool] | None:
        """The view of the model's texture ``index`` and whether it has alpha; None: no texture.
        GPU textures are shared by path between models; ``used`` collects the paths."""
        if not 0 <= index < len(mesh.textures):
            return None
        image: TextureImage | None = load_texture(mesh.base_dir, mesh.textures[index])
        if image is None:
            return None
        used.add(image.path)
        if image.path not in self._textures:
            self._textures[image.path] = (self._upload_levels(image.levels, image.path),
                                          image.has_alpha)
        return self._textures[image.path]

    # ----- per model ----------------------------------------------------------------------

    def prepare(self, model: Any) -> _GpuModel:
        """Build (once) and return the GPU resources of a model or a ``MeshData``."""
        with self._lock:
            return self._prepare(model)

    def _prepare(self, model: Any) -> _GpuModel:
        key = id(model)
        gm = self._models.get(key)
        if gm is not None and (gm.source is model or gm.mesh is model):
            self._models.move_to_end(key)
            return gm
        if isinstance(model, MeshData):
            gm = self._build_model(model)
        else:
            gm = self._build_model(MeshData.from_model(model))
            gm.source = model
            gm.poser = model.poser()
            gm.morph_names = _morph_lookup([m.name for m in model.morphs])
        self._models[key] = gm
        if len(self._models) > self.max_models:
            while len(self._models) > self.max_models:
                self._models.popitem(last=False)
            live = set().union(*(m.texture_paths for m in self._models.values()))
            for path in set(self._textures) - live:
                del self._textures[path]  # freed once no bind group holds it
        return gm

    def _build_model(self, mesh: MeshData) -> _GpuModel:
        d = self.device
        camera = frame_head(mesh)
        assert mesh.edge_scales is not None  # filled by MeshData.__post_init__
        usage_v = wgpu.BufferUsage.VERTEX | wgpu.BufferUsage.COPY_DST

        def vbuf(arr: np.ndarray) -> wgpu.GPUBuffer:
            arr = np.ascontiguousarray(arr, dtype=np.float32)
            buf = d.create_buffer(size=max(arr.nbytes, 16), usage=usage_v)
            d.queue.write_buffer(buf, 0, arr)
            return buf

        indices = d.create_buffer(size=max(mesh.faces.nbytes, 16),
                                  usage=wgpu.BufferUsage.INDEX | wgpu.BufferUsage.COPY_DST)
        d.queue.write_buffer(indices, 0, mesh.faces)
        m_count = len(mesh.materials)
        material_buffer = d.create_buffer(
            size=max(4 * GPU_MATERIAL_FLOATS * m_count, 16),
            usage=wgpu.BufferUsage.STORAGE | wgpu.BufferUsage.COPY_DST,
        )
        frame_group = d.create_bind_group(layout=self._frame_layout, entries=[
            {"binding": 0, "resource": {"buffer": self._frame_uniform}},
            {"binding": 1, "resource": {"buffer": material_buffer}},
            {"binding": 2, "resource": self._wrap_sampler},
            {"binding": 3, "resource": self._clamp_sampler},
        ])
        gpu_static = np.zeros((m_count, GPU_MATERIAL_FLOATS), dtype=np.float32)
        groups, tex_alpha = [], np.zeros(m_count, dtype=bool)
        subtexture = np.zeros(m_count, dtype=bool)
        used: set[str] = set()
        for i, m in enumerate(mesh.materials):
            color = self._texture(mesh, m.texture, used)
            mode = SPHERE_MODES.get(m.sphere_mode, 0)
            if mode == SPHERE_MODES["subtexture"] and mesh.uv1 is None:
                mode = 0  # no additional UV to sample it at (MeshData.from_model warned)
            sphere = self._texture(mesh, m.sphere_texture, used) if mode else None
            if sphere is None:
                mode = 0
            subtexture[i] = mode == SPHERE_MODES["subtexture"]
            if 0 <= m.toon_shared < 10:
                toon = self._toons[m.toon_shared]
            else:
                own = self._texture(mesh, m.toon_texture, used)
                toon = own[0] if own is not None else self._white_toon
            tex_alpha[i] = color is not None and color[1]
            gpu_static[i, 17:20] = (mode, color is not None, toon is not self._white_toon)
            groups.append(d.create_bind_group(layout=self._material_layout, entries=[
                {"binding": 0, "resource": color[0] if color else self._white},
                {"binding": 1, "resource": sphere[0] if sphere else self._white},
                {"binding": 2, "resource": toon},
            ]))
        counts = np.array([m.index_count for m in mesh.materials], dtype=np.int64)
        firsts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        culled = None
        keep = _visible_triangles(mesh, camera)
        if keep is not None and keep.mean() < 0.9:
            n_tri = int(counts.sum()) // 3
            faces, keep = mesh.faces[:n_tri], keep[:n_tri]
            owner = np.repeat(np.arange(m_count), counts // 3)
            kept = np.ascontiguousarray(faces[keep])
            c_counts = 3 * np.bincount(owner[keep], minlength=m_count).astype(np.int64)
            c_firsts = np.concatenate([[0], np.cumsum(c_counts)[:-1]]).astype(np.int64)
            c_buf = d.create_buffer(size=max(kept.nbytes, 16),
                                    usage=wgpu.BufferUsage.INDEX | wgpu.BufferUsage.COPY_DST)
            d.queue.write_buffer(c_buf, 0, kept)
            culled = (c_buf, c_firsts, c_counts)
        return _GpuModel(
            mesh=mesh, camera=camera,
            view_proj=np.ascontiguousarray(camera.view_proj().T),
            positions=vbuf(mesh.positions), normals=vbuf(mesh.normals), uvs=vbuf(mesh.uvs),
            uv1=vbuf(mesh.uv1) if subtexture.any() and mesh.uv1 is not None else None,
            edge_scales=vbuf(mesh.edge_scales), indices=indices,
            material_buffer=material_buffer, frame_group=frame_group, material_groups=groups,
            first_index=firsts, index_count=counts, culled=culled, texture_alpha=tex_alpha,
            texture_paths=frozenset(used),
            double_sided=np.array([m.double_sided for m in mesh.materials], dtype=bool),
            has_edge=np.array([m.has_edge for m in mesh.materials], dtype=bool),
            subtexture=subtexture,
            gpu_static=gpu_static, base_materials=mesh.material_table(),
        )

    # ----- posing ------------------------------------------------------------------------

    def pose_model(self, gm: _GpuModel, pose: Pose | Sequence[float] | np.ndarray | None,
                   annotation: Mapping[str, str | None] | None = None) -> FrameData:
        """Pose the model (through its annotation) and return the skinned frame."""
        if gm.poser is None:
            raise TypeError("posing needs an animeceleb model; MeshData renders via render_frame")
        weights, (yaw, pitch, roll) = realize(Pose.coerce(pose), annotation)
        poser = gm.poser
        poser.reset()
        for name, w in weights.items():
            own = gm.morph_names.get(name) or gm.morph_names.get(_fold(name))
            if own is not None:
                poser.set_morph(own, float(w))
        if yaw or pitch or roll:
            poser.set_bone_rotation("首", float(yaw), float(pitch), float(roll))
        return self._frame(gm, poser.evaluate(), abs(yaw) + abs(pitch) + abs(roll))

    def posed_frame(self, model: Any, posed: Any, head_turn: float | None = None) -> FrameData:
        """A frame of ``model`` from a ``Poser.evaluate()`` result; ``head_turn``: |yaw| +
        |pitch| + |roll| of 首 in degrees, when known (lets the renderer cull hidden faces)."""
        return self._frame(self.prepare(model), posed, head_turn)

    @staticmethod
    def _frame(gm: _GpuModel, r: Any, head_turn: float | None) -> FrameData:
        uvs = getattr(r, "uvs", None) if gm.mesh.has_uv_morphs else None
        uv1 = None
        if gm.uv1 is not None and gm.mesh.has_uv1_morphs:
            uv1 = np.asarray(r.additional_uvs)[0, :, :2]  # UV1 after its morphs
        return FrameData(positions=r.positions, normals=r.normals, uvs=uvs, uv1=uv1,
                         materials=getattr(r, "materials", None), head_turn=head_turn)

    # ----- drawing -----------------------------------------------------------------------

    def _upload(self, gm: _GpuModel, frame: FrameData, style: Style, light: float) -> np.ndarray:
        q = self.device.queue
        q.write_buffer(gm.positions, 0, np.ascontiguousarray(frame.positions, dtype=np.float32))
        q.write_buffer(gm.normals, 0, np.ascontiguousarray(frame.normals, dtype=np.float32))
        if frame.uvs is not None:
            q.write_buffer(gm.uvs, 0, np.ascontiguousarray(frame.uvs, dtype=np.float32))
            gm.uvs_changed = True
        elif gm.uvs_changed:  # back to the mesh's own UVs
            q.write_buffer(gm.uvs, 0, gm.mesh.uvs)
            gm.uvs_changed = False
        if gm.uv1 is not None:
            if frame.uv1 is not None:
                q.write_buffer(gm.uv1, 0, np.ascontiguousarray(frame.uv1, dtype=np.float32))
                gm.uv1_changed = True
            elif gm.uv1_changed:
                assert gm.mesh.uv1 is not None  # gm.uv1 exists only with the mesh's UV1
                q.write_buffer(gm.uv1, 0, gm.mesh.uv1)
                gm.uv1_changed = False
        rows = gm.base_materials if frame.materials is None else np.asarray(frame.materials)
        rows = rows[:, :MATERIAL_ROW]
        gpu = gm.gpu_static.copy()
        gpu[:, 0:8] = rows[:, 0:8]  # diffuse, specular, specularity
        gpu[:, 8:11] = rows[:, 8:11]  # ambient
        gpu[:, 12:16] = rows[:, 11:15]  # edge colour
        gpu[:, 16] = rows[:, 15]  # edge size
        gpu[:, 20:44] = rows[:, 16:40]  # texture/sphere/toon mul and add
        q.write_buffer(gm.material_buffer, 0, gpu)
        uniform = np.zeros(FRAME_FLOATS, dtype=np.float32)
        uniform[0:16] = gm.view_proj.reshape(-1)
        uniform[16:19] = LIGHT_DIRECTION
        uniform[20:23] = (float(light), 2.0 / self.size, EDGE_PIXELS * self.size / 256.0)
        uniform[24:28] = style.params
        q.write_buffer(self._frame_uniform, 0, uniform)
        return rows

    def _encode(self, gm: _GpuModel, frame: FrameData, rows: np.ndarray, style: Style,
                slot: int) -> None:
        pipes = self.pipelines(style)
        indices, firsts, counts = gm.indices, gm.first_index, gm.index_count
        if (gm.culled is not None and frame.head_turn is not None
                and frame.head_turn <= CULL_TURN_DEGREES):
            indices, firsts, counts = gm.culled
        alpha = rows[:, 3]
        visible = (alpha > 0.0) & (counts > 0)
        blended = (alpha < 1.0) | gm.texture_alpha
        order = np.concatenate([np.flatnonzero(visible & ~blended),
                                np.flatnonzero(visible & blended)])
        edges = np.flatnonzero(visible & gm.has_edge & (rows[:, 15] > 0.0))
        encoder = self.device.create_command_encoder()
        rp = encoder.begin_render_pass(
            color_attachments=[{"view": self._color_view, "clear_value": (0, 0, 0, 0),
                                "load_op": "clear", "store_op": "store"}],
            depth_stencil_attachment={"view": self._depth_view, "depth_clear_value": 1.0,
                                      "depth_load_op": "clear", "depth_store_op": "discard"},
        )
        rp.set_bind_group(0, gm.frame_group)
        rp.set_index_buffer(indices, "uint32")
        rp.set_vertex_buffer(0, gm.positions)
        rp.set_vertex_buffer(1, gm.normals)
        rp.set_vertex_buffer(2, gm.uvs)
        rp.set_vertex_buffer(3, gm.edge_scales)
        sub = None
        if gm.uv1 is not None:
            rp.set_vertex_buffer(4, gm.uv1)
            sub = self.sub_pipelines(style)
        current = None
        for i in order:
            if sub is not None and gm.subtexture[i]:
                pipe = sub[1] if gm.double_sided[i] else sub[0]
            else:
                pipe = pipes.cull_none if gm.double_sided[i] else pipes.cull_back
            if pipe is not current:
                rp.set_pipeline(pipe)
                current = pipe
            rp.set_bind_group(1, gm.material_groups[i])
            rp.draw_indexed(int(counts[i]), 1, int(firsts[i]), 0, int(i))
        if len(edges):
            rp.set_pipeline(pipes.edge)
            for i in edges:
                rp.set_bind_group(1, gm.material_groups[i])
                rp.draw_indexed(int(counts[i]), 1, int(firsts[i]), 0, int(i))
        rp.end()
        encoder.copy_texture_to_buffer(
            {"texture": self._color, "mip_level": 0, "origin": (0, 0, 0)},
            {"buffer": self._readback[slot], "offset": 0,
             "bytes_per_row": self._bytes_per_row, "rows_per_image": self.size},
            (self.size, self.size, 1),
        )
        self.device.queue.submit([encoder.finish()])

    def _read(self, slot: int, promise: Any) -> np.ndarray:
        promise.sync_wait()
        buf = self._readback[slot]
        raw = np.frombuffer(buf.read_mapped(copy=False), dtype=np.uint8)
        s = self.size
        img = raw.reshape(s, self._bytes_per_row)[:, : 4 * s].reshape(s, s, 4).copy()
        buf.unmap()
        _unpremultiply(img)
        return img

    def _posed(self, items: Iterable[tuple[FrameData | Callable[[], FrameData], Style, float]]
               ) -> Iterator[tuple[FrameData, Style, float]]:
        """Frames in order, posing frame N+1 on a worker thread while frame N is drawn (the
        poser evaluates without the GIL, and wgpu's calls release it)."""
        t = self.timings

        def timed(fn: Callable[[], FrameData]) -> FrameData:
            t0 = time.perf_counter()
            frame = fn()
            t.pose += time.perf_counter() - t0
            return frame

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="animeceleb-pose") as pool:
            ahead: deque[tuple[Any, Style, float]] = deque()
            for frame, style, light in items:
                job = pool.submit(timed, frame) if callable(frame) else frame
                ahead.append((job, style, light))
                if len(ahead) > 1:
                    job, st, li = ahead.popleft()
                    yield (job.result() if isinstance(job, Future) else job), st, li
            while ahead:
                job, st, li = ahead.popleft()
                yield (job.result() if isinstance(job, Future) else job), st, li

    def _run(self, gm: _GpuModel,
             items: Iterable[tuple[FrameData | Callable[[], FrameData], Style, float]]
             ) -> Iterator[np.ndarray]:
        """Draw frames, reading frame N back while frame N+1 is posed and drawn."""
        t = self.timings
        pending: tuple[int, Any] | None = None
        slot = 0
        for frame, style, light in self._posed(items):
            t1 = time.perf_counter()
            rows = self._upload(gm, frame, style, light)
            t2 = time.perf_counter()
            self._encode(gm, frame, rows, style, slot)
            promise = self._readback[slot].map_async(wgpu.MapMode.READ)
            t3 = time.perf_counter()
            t.upload += t2 - t1
            t.draw += t3 - t2
            if pending is not None:
                img = self._read(*pending)
                t.readback += time.perf_counter() - t3
                t.frames += 1
                yield img
            pending = (slot, promise)
            slot ^= 1
        if pending is not None:
            t4 = time.perf_counter()
            img = self._read(*pending)
            t.readback += time.perf_counter() - t4
            t.frames += 1
            yield img

    # ----- public ------------------------------------------------------------------------

    def render(self, model: Any, pose: Pose | Sequence[float] | np.ndarray | None = None,
               style: str | Style = "S1", light: float = DEFAULT_LIGHT,
               annotation: Mapping[str, str | None] | None = None) -> np.ndarray:
        """One (size, size, 4) uint8 straight-alpha image of ``model`` in ``pose``.

        ``pose``: 20 numbers in ``POSE_LAYOUT`` order or a ``Pose`` (None: neutral);
        ``annotation``: target morph -> the model's morph name (None: standard MMD names).
        """
        return self.render_batch(model, [pose], [style], [light], annotation)[0]

    def render_batch(self, model: Any, poses: Sequence[Any] | np.ndarray,
                     styles: str | Style | Sequence[str | Style] = "S1",
                     lights: float | Sequence[float] | np.ndarray = DEFAULT_LIGHT,
                     annotation: Mapping[str, str | None] | None = None) -> np.ndarray:
        """(N, size, size, 4) uint8 images; ``styles``/``lights`` one for all or one per pose."""
        gm = self.prepare(model)
        n = len(poses)
        style_list = _per_item(styles, n, "styles")
        light_list = _per_item(lights, n, "lights")
        items = (
            ((lambda p=p: self.pose_model(gm, p, annotation)), get_style(s), float(li))
            for p, s, li in zip(poses, style_list, light_list, strict=True)
        )
        return self._collect(gm, items, n)

    def render_frames(self, mesh: Any, frames: Sequence[FrameData | None],
                      styles: str | Style | Sequence[str | Style] = "S1",
                      lights: float | Sequence[float] | np.ndarray = DEFAULT_LIGHT) -> np.ndarray:
        """Render already-posed frames of a ``MeshData`` or model (None: the bind pose)."""
        gm = self.prepare(mesh)
        n = len(frames)
        items = (
            (f if f is not None else gm.mesh.bind_frame(), get_style(s), float(li))
            for f, s, li in zip(frames, _per_item(styles, n, "styles"),
                                _per_item(lights, n, "lights"), strict=True)
        )
        return self._collect(gm, items, n)

    def render_frame(self, mesh: Any, frame: FrameData | None = None,
                     style: str | Style = "S1", light: float = DEFAULT_LIGHT) -> np.ndarray:
        return self.render_frames(mesh, [frame], [style], [light])[0]

    def camera(self, model: Any) -> Camera:
        """The model's fixed camera."""
        return self.prepare(model).camera

    def _collect(self, gm: _GpuModel, items: Iterable[Any], n: int) -> np.ndarray:
        out = np.empty((n, self.size, self.size, 4), dtype=np.uint8)
        with self._lock:  # one target and one poser per model: one batch at a time
            for i, img in enumerate(self._run(gm, items)):
                out[i] = img
        return out

    @staticmethod
    def styles() -> tuple[Style, ...]:
        return STYLES


def _per_item(value: Any, n: int, what: str) -> list[Any]:
    if isinstance(value, (str, Style, int, float, np.floating)):
        return [value] * n
    values = list(value)
    if len(values) != n:
        raise ValueError(f"{what}: expected one value or {n}, got {len(values)}")
    return values


def _visible_triangles(mesh: MeshData, camera: Camera) -> np.ndarray | None:
    """(F,) bool: triangles that may show in the frame while the head turns up to
    CULL_TURN_DEGREES and vertex morphs move vertices; None: not enough data to tell."""
    if mesh.turn_weights is None or mesh.morph_reach is None or mesh.neck_position is None:
        return None
    p = mesh.positions.astype(np.float64)
    # a vertex turned by 首 moves at most its chord: 2 d sin(angle / 2)
    d = np.linalg.norm(p - mesh.neck_position, axis=1)
    chord = 2.0 * np.sin(np.radians(CULL_TURN_DEGREES) / 2.0)
    slack = np.where(mesh.turn_weights > 0.0, d * chord, 0.0) + mesh.morph_reach
    cx, cy, _ = camera.center
    h = camera.half_extent * 1.1  # + outline and rounding
    faces = mesh.faces.reshape(-1, 3)
    keep = np.ones(len(faces), dtype=bool)
    for axis, c in ((0, cx), (1, cy)):
        lo = (p[:, axis] - slack)[faces].min(axis=1)
        hi = (p[:, axis] + slack)[faces].max(axis=1)
        keep &= (hi >= c - h) & (lo <= c + h)
    return keep


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def _morph_lookup(names: Sequence[str]) -> dict[str, str]:
    """Morph names by themselves and by their width/case-folded form (ｳｨﾝｸ２右 = ウィンク２右),
    exact names first."""
    lookup: dict[str, str] = {}
    for n in names:
        lookup.setdefault(n, n)
    for n in names:
        lookup.setdefault(_fold(n), n)
    return lookup


def _unpremultiply(img: np.ndarray) -> None:
    """Premultiplied -> straight alpha, in place, only where alpha is partial."""
    a = img[..., 3]
    partial = (a > 0) & (a < 255)
    if not partial.any():
        return
    px = img[partial].astype(np.float32)
    px[:, :3] = np.minimum(255.0, np.round(px[:, :3] * 255.0 / px[:, 3:4]))
    img[partial] = px.astype(np.uint8)
