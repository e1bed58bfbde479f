"""The Python client: ``animeceleb.Client(address_or_addresses)``, methods mirroring the API,
images as numpy arrays.  Errors are ``grpc.RpcError`` (``.code()``, ``.details()``).

Several addresses make one channel balanced by gRPC's own ``round_robin`` policy over all of
them (hostnames are resolved once, here); a single ``dns:///name:port`` whose name has several
addresses (a Kubernetes headless Service) is balanced the same way.
"""

from __future__ import annotations

import contextlib
import io
import ipaddress
import json
import socket
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc
import numpy as np

from ..pose import Pose
from ..render import DEFAULT_LIGHT, get_style
from .messages import CODE_BY_STYLE, STYLE_BY_CODE
from .proto.animeceleb.v1 import render_pb2 as pb
from .proto.animeceleb.v1 import render_pb2_grpc as pb_grpc

__all__ = ["Client", "Frame", "FrameStream", "ModelDescription", "ModelInfo", "channel_target"]

_ENCODING = {"raw": pb.IMAGE_ENCODING_RAW_RGBA, "png": pb.IMAGE_ENCODING_PNG}
_PARTITION = {"rotated": pb.PARTITION_ROTATED, "frontal": pb.PARTITION_FRONTAL}
_ROLE = {pb.PAIR_ROLE_UNSPECIFIED: None, pb.PAIR_ROLE_SOURCE: "source",
         pb.PAIR_ROLE_DRIVING: "driving"}
MAX_MESSAGE = 64 * 1024 * 1024
# A call that no server took (one restarting or shutting down answers UNAVAILABLE) is tried
# again, on the next server when there are several.  gRPC retries a stream only before its
# first frame arrives, so no frame is ever duplicated.
SERVICE_CONFIG = {"methodConfig": [{
    "name": [{"service": "animeceleb.v1.RenderService"}],
    "retryPolicy": {"maxAttempts": 4, "initialBackoff": "0.1s", "maxBackoff": "1s",
                    "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"]},
}]}
CHANNEL_OPTIONS: list[tuple[str, Any]] = [
    ("grpc.lb_policy_name", "round_robin"),
    ("grpc.service_config", json.dumps(SERVICE_CONFIG)),
    ("grpc.max_receive_message_length", MAX_MESSAGE),
    # Reconnect soon after a server restarts (gRPC's default backoff grows to two minutes).
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.min_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 2000),
]


@dataclass(frozen=True)
class ModelInfo:
    """A model the server renders (ListModels)."""

    id: str
    name: str
    name_en: str
    vertex_count: int
    face_count: int
    target_morphs: tuple[str, ...]
    credit: str

    @classmethod
    def from_message(cls, m: pb.ModelSummary) -> ModelInfo:
        return cls(m.id, m.name, m.name_en, m.vertex_count, m.face_count,
                   tuple(m.target_morphs), m.credit)


@dataclass(frozen=True)
class ModelDescription:
    """One model in detail (DescribeModel)."""

    summary: ModelInfo
    annotation: dict[str, str]  # target morph -> the model's morph
    bone_count: int
    morph_count: int
    material_count: int
    format: str
    format_version: float

    @property
    def id(self) -> str:
        return self.summary.id


@dataclass(frozen=True)
class Frame:
    """A rendered frame: ``image`` (H, W, 4) uint8 straight-alpha RGBA, ``pose`` (20,) float32
    in POSE_LAYOUT order, ``style`` "S1".."S4", ``role`` None or "source"/"driving"."""

    image: np.ndarray
    pose: np.ndarray
    model_id: str
    style: str
    light: float
    index: int
    pair_id: int
    role: str | None

    @classmethod
    def from_message(cls, f: pb.Frame) -> Frame:
        if f.encoding == pb.IMAGE_ENCODING_PNG:
            from PIL import Image

            image = np.asarray(Image.open(io.BytesIO(f.image)).convert("RGBA"))
        else:
            image = np.frombuffer(f.image, dtype=np.uint8).reshape(f.height, f.width, 4).copy()
        return cls(image=image, pose=np.array(f.pose, dtype=np.float32), model_id=f.model_id,
                   style=CODE_BY_STYLE.get(f.style, "S1"), light=f.light, index=f.index,
                   pair_id=f.pair_id, role=_ROLE.get(f.role))


def _style(style: str) -> pb.Style.ValueType:
    return STYLE_BY_CODE[get_style(style).code]


def _pose(pose: Pose | Sequence[float] | np.ndarray | None) -> list[float]:
    return [float(v) for v in Pose.coerce(pose).to_array()]


def _split(address: str) -> tuple[str, str]:
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"address {address!r} must be host:port")
    return host.strip("[]"), port


def channel_target(addresses: Sequence[str]) -> tuple[str, str | None]:
    """The gRPC target for several ``host:port`` addresses: a static ``ipv4:``/``ipv6:`` list
    (hostnames resolved now), and the first hostname (for TLS name checks), if any."""
    v4: list[str] = []
    v6: list[str] = []
    hostname: str | None = None
    for address in addresses:
        host, port = _split(address)
        try:
            ips = [ipaddress.ip_address(host)]
        except ValueError:
            hostname = hostname or host
            infos = socket.getaddrinfo(host, int(port), type=socket.SOCK_STREAM)
            ips = list(dict.fromkeys(ipaddress.ip_address(i[4][0]) for i in infos))
        for ip in ips:
            (v4 if ip.version == 4 else v6).append(
                f"{ip}:{port}" if ip.version == 4 else f"[{ip}]:{port}")
    if v4:  # one target holds one family; IPv4 is what a cluster's pods have
        return "ipv4:" + ",".join(v4), hostname
    return "ipv6:" + ",".join(v6), hostname


class Client:
    """A connection to one render server, or to several balanced round-robin.

    ``address``: ``"host:port"``, any gRPC target (``"dns:///name:port"``), or a list of
    ``host:port``.  ``token``: the server's bearer token.  ``tls``: False (plain), True (system
    roots), or a CA certificate (PEM bytes or a path); ``server_name`` overrides the name the
    certificate is checked against.
    """

    def __init__(self, address: str | Sequence[str], token: str | None = None,
                 tls: bool | bytes | str | Path = False, server_name: str | None = None,
                 options: Sequence[tuple[str, Any]] = ()) -> None:
        if isinstance(address, str):
            target, hostname = address, None
        else:
            if not address:
                raise ValueError("no address given")
            target, hostname = channel_target(list(address)) if len(address) > 1 else (
                address[0], None)
        opts = list(CHANNEL_OPTIONS) + list(options)
        if tls is False:
            self.channel = grpc.insecure_channel(target, options=opts)
        else:
            roots = None
            if isinstance(tls, bytes):
                roots = tls
            elif isinstance(tls, (str, Path)):
                roots = Path(tls).read_bytes()
            name = server_name or hostname
            if name:
                opts.append(("grpc.ssl_target_name_override", name))
            creds = grpc.ssl_channel_credentials(root_certificates=roots)
            self.channel = grpc.secure_channel(target, creds, options=opts)
        self.target = target
        self._metadata = (("authorization", f"Bearer {token}"),) if token else ()
        self.stub = pb_grpc.RenderServiceStub(self.channel)

    # ----- the API ------------------------------------------------------------------------

    def list_models(self, timeout: float | None = None) -> list[ModelInfo]:
        reply = self.stub.ListModels(pb.ListModelsRequest(), timeout=timeout,
                                     metadata=self._metadata)
        return [ModelInfo.from_message(m) for m in reply.models]

    def describe(self, model_id: str, timeout: float | None = None) -> ModelDescription:
        d = self.stub.DescribeModel(pb.DescribeModelRequest(model_id=model_id), timeout=timeout,
                                    metadata=self._metadata)
        return ModelDescription(ModelInfo.from_message(d.summary), dict(d.annotation),
                                d.bone_count, d.morph_count, d.material_count, d.format,
                                d.format_version)

    def render(self, model_id: str, pose: Pose | Sequence[float] | np.ndarray | None = None,
               style: str = "S1", light: float = DEFAULT_LIGHT, size: int = 256,
               encoding: str = "raw", timeout: float | None = None) -> np.ndarray:
        """One (size, size, 4) uint8 image, as ``Renderer.render`` gives locally."""
        return self.render_frame(model_id, pose, style, light, size, encoding, timeout).image

    def render_frame(self, model_id: str,
                     pose: Pose | Sequence[float] | np.ndarray | None = None,
                     style: str = "S1", light: float = DEFAULT_LIGHT, size: int = 256,
                     encoding: str = "raw", timeout: float | None = None) -> Frame:
        req = self.request(model_id, pose, style, light, size, encoding)
        return Frame.from_message(self.stub.Render(req, timeout=timeout,
                                                   metadata=self._metadata))

    @staticmethod
    def request(model_id: str, pose: Pose | Sequence[float] | np.ndarray | None = None,
                style: str = "S1", light: float = DEFAULT_LIGHT, size: int = 256,
                encoding: str = "raw") -> pb.RenderRequest:
        """A RenderRequest message (what ``render_stream`` takes)."""
        return pb.RenderRequest(model_id=model_id, pose=_pose(pose), style=_style(style),
                                light=light, size=size, encoding=_ENCODING[encoding])

    def render_stream(self, requests: Iterable[pb.RenderRequest | Mapping[str, Any]],
                      timeout: float | None = None) -> FrameStream:
        """Frames in request order.  ``requests``: RenderRequest messages (``Client.request``)
        or dicts of ``request``'s arguments; consumed lazily as the server takes them.
        Closing the iterator cancels the call."""

        def messages() -> Iterator[pb.RenderRequest]:
            for r in requests:
                yield r if isinstance(r, pb.RenderRequest) else self.request(**r)

        call = self.stub.RenderStream(messages(), timeout=timeout, metadata=self._metadata)
        return FrameStream(call)

    def sample(self, count: int = 0, seed: int = 0, model_id: str | None = None,
               pairs: bool = False, styles: Sequence[str] | None = None, size: int = 256,
               partition: str = "rotated", encoding: str = "raw",
               timeout: float | None = None) -> FrameStream:
        """Frames drawn by the server with the dataset policy from ``seed`` (``count`` 0: until
        the iterator is closed).  With ``pairs``, source then driving frames of one model and
        style (``count`` counts frames, two per pair).  Closing the iterator cancels the call."""
        req = pb.SampleRequest(seed=seed, model_id=model_id or "", count=count,
                               styles=[_style(s) for s in styles or ()], pairs=pairs,
                               size=size, encoding=_ENCODING[encoding],
                               partition=_PARTITION[partition])
        call = self.stub.Sample(req, timeout=timeout, metadata=self._metadata)
        return FrameStream(call)

    # ----- lifetime -----------------------------------------------------------------------

    def close(self) -> None:
        self.channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class FrameStream(Iterator[Frame]):
    """The frames of a streaming call.  ``cancel()`` (or ``close()``, or leaving a ``with``
    block) ends the call on the server at once; so does dropping the last reference."""

    def __init__(self, call: Any) -> None:
        self.call = call

    def __next__(self) -> Frame:
        return Frame.from_message(next(self.call))

    def cancel(self) -> None:
        self.call.cancel()

    close = cancel

    def __enter__(self) -> FrameStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # at exit the channel may be gone already
            self.call.cancel()
