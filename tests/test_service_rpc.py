"""Every RPC against a live server on loopback: models, rendering (byte for byte the local
renderer's image), streams in order, sampling by seed, the bounds and their status codes,
health checking and reflection."""

from __future__ import annotations

import threading
from pathlib import Path

import grpc
import numpy as np
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

import animeceleb as ac
from _service import SIZE, running, sample_models
from animeceleb.pose import POSE_LAYOUT, annotated_targets, sample_light, sample_pose
from animeceleb.service import Client, RenderServer
from animeceleb.service.proto.animeceleb.v1 import render_pb2 as pb
from conftest import models_dir

SAMPLE = "samples/v0/animeceleb_sample_0.pmx"
GENE = "models/gene/Gene_light.pmx"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> RenderServer:
    samples = sample_models(tmp_path_factory.mktemp("svc") / "samples")
    # Two folders: ids are prefixed with the folder's name.  A link names the real models'
    # folder "models" whatever ANIMECELEB_TEST_MODELS is called.
    link = tmp_path_factory.mktemp("real") / "models"
    link.symlink_to(models_dir().resolve(), target_is_directory=True)
    with running((samples, link), workers=2) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server: RenderServer) -> Client:
    with Client(f"127.0.0.1:{server.port}") as c:
        yield c


@pytest.fixture(scope="module")
def local() -> ac.Renderer:
    return ac.Renderer(SIZE)


def _pose(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    pose = rng.uniform(0, 1, len(POSE_LAYOUT)).astype(np.float32)
    pose[-3:] = rng.uniform(-20, 20, 3)
    return pose


def _code(excinfo: pytest.ExceptionInfo[grpc.RpcError]) -> grpc.StatusCode:
    return excinfo.value.code()  # type: ignore[no-any-return]


def _model_path(server: RenderServer, model_id: str) -> Path:
    return server.registry.entry(model_id).path


def test_list_models(client: Client, server: RenderServer) -> None:
    models = {m.id: m for m in client.list_models()}
    assert sorted(models) == sorted([SAMPLE, "samples/v1/animeceleb_sample_1.pmx", GENE,
                                     "models/alicia/Alicia_solid.pmx"])
    for model_id, info in models.items():
        m = ac.load_model(_model_path(server, model_id))
        assert (info.name, info.name_en) == (m.name, m.name_en)
        assert (info.vertex_count, info.face_count) == (m.vertex_count, m.face_count)
        assert info.target_morphs == annotated_targets(ac.propose_annotation(m))
    assert models[GENE].credit.startswith("Model: CG-CA")
    assert models[SAMPLE].credit == ""


def test_describe_model(client: Client, server: RenderServer) -> None:
    d = client.describe(GENE)
    m = ac.load_model(_model_path(server, GENE))
    assert d.id == GENE
    assert d.annotation == {t: s for t, s in ac.propose_annotation(m).items() if s}
    assert (d.bone_count, d.morph_count, d.material_count) == (
        len(m.bones), len(m.morphs), len(m.materials))
    assert (d.format, d.format_version) == ("pmx", pytest.approx(m.format_version))
    with pytest.raises(grpc.RpcError) as e:
        client.describe("gene/Gene_light.pmx")  # a path in the folder is not an id here
    assert _code(e) == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize("model_id", [SAMPLE, GENE])
@pytest.mark.parametrize("style", ["S1", "S2", "S3", "S4"])
def test_render_equals_local_renderer(client: Client, server: RenderServer, local: ac.Renderer,
                                      model_id: str, style: str) -> None:
    pose = _pose(7)
    image = client.render(model_id, pose, style=style, light=0.45, size=SIZE)
    m = ac.load_model(_model_path(server, model_id))
    expected = local.render(m, pose, style=style, light=float(np.float32(0.45)),
                            annotation=ac.propose_annotation(m))
    assert image.shape == (SIZE, SIZE, 4) and image.dtype == np.uint8
    assert np.array_equal(image, expected)


def test_render_frame_fields_and_png(client: Client) -> None:
    pose = _pose(3)
    raw = client.render_frame(SAMPLE, pose, style="flat", light=0.7, size=SIZE)
    assert (raw.model_id, raw.style, raw.index, raw.role) == (SAMPLE, "S3", 0, None)
    assert raw.light == pytest.approx(0.7) and np.array_equal(raw.pose, pose)
    png = client.render(SAMPLE, pose, style="S3", light=0.7, size=SIZE, encoding="png")
    assert np.array_equal(png, raw.image)


def test_render_defaults(client: Client, server: RenderServer, local: ac.Renderer) -> None:
    """Unset size, style and light: 256 px, STYLE_MMD, light 0.6."""
    frame = client.stub.Render(pb.RenderRequest(model_id=SAMPLE, pose=[0.0] * 20))
    assert (frame.width, frame.height, frame.style) == (256, 256, pb.STYLE_MMD)
    assert frame.light == pytest.approx(0.6)
    assert len(frame.image) == 256 * 256 * 4


@pytest.mark.parametrize(("change", "code", "words"), [
    ({"model_id": "nope.pmx"}, grpc.StatusCode.NOT_FOUND, "no model 'nope.pmx'"),
    ({"model_id": ""}, grpc.StatusCode.INVALID_ARGUMENT, "model_id is required"),
    ({"pose": [0.0] * 19}, grpc.StatusCode.INVALID_ARGUMENT, "got 19"),
    ({"pose": [1.5] + [0.0] * 19}, grpc.StatusCode.INVALID_ARGUMENT, "eye_close_right"),
    ({"pose": [0.0] * 17 + [120.0, 0.0, 0.0]}, grpc.StatusCode.INVALID_ARGUMENT, "yaw"),
    ({"pose": [float("nan")] + [0.0] * 19}, grpc.StatusCode.INVALID_ARGUMENT, "finite"),
    ({"style": 9}, grpc.StatusCode.INVALID_ARGUMENT, "unknown style"),
    ({"light": 3.0}, grpc.StatusCode.INVALID_ARGUMENT, "light 3"),
    ({"size": 8}, grpc.StatusCode.INVALID_ARGUMENT, "below the smallest"),
    ({"size": 4096}, grpc.StatusCode.RESOURCE_EXHAUSTED, "bound of 128 px"),
    ({"encoding": 7}, grpc.StatusCode.INVALID_ARGUMENT, "encoding"),
])
def test_render_refuses(client: Client, change: dict[str, object], code: grpc.StatusCode,
                        words: str) -> None:
    fields: dict[str, object] = {"model_id": SAMPLE, "pose": [0.0] * 20, "size": SIZE}
    fields.update(change)
    with pytest.raises(grpc.RpcError) as e:
        client.stub.Render(pb.RenderRequest(**fields))  # type: ignore[arg-type]
    assert _code(e) == code
    assert words in e.value.details()


def test_render_stream_in_order(client: Client) -> None:
    poses = [_pose(i) for i in range(12)]
    styles = ["S1", "S2", "S3", "S4"]
    requests = [client.request(SAMPLE if i % 3 else GENE, p, style=styles[i % 4], size=SIZE)
                for i, p in enumerate(poses)]
    frames = list(client.render_stream(requests))
    assert [f.index for f in frames] == list(range(12))
    for i, f in enumerate(frames):
        assert np.array_equal(f.pose, poses[i])
        assert (f.model_id, f.style) == (requests[i].model_id, styles[i % 4])
    single = client.render(GENE, poses[3], style="S4", size=SIZE)
    assert np.array_equal(frames[3].image, single)


def test_render_stream_lockstep(client: Client) -> None:
    """A client that sends the next request only after reading a frame is served."""
    ready = threading.Semaphore(1)
    sent: list[np.ndarray] = []

    def requests():  # type: ignore[no-untyped-def]
        for i in range(4):
            ready.acquire()
            sent.append(_pose(100 + i))
            yield client.request(SAMPLE, sent[-1], size=SIZE)

    for i, f in enumerate(client.render_stream(requests())):
        assert np.array_equal(f.pose, sent[i])
        ready.release()
    assert len(sent) == 4


def test_render_stream_bad_request_ends_the_stream(client: Client) -> None:
    requests = [client.request(SAMPLE, _pose(1), size=SIZE),
                pb.RenderRequest(model_id=SAMPLE, pose=[0.0] * 3, size=SIZE)]
    stream = client.render_stream(requests)
    got = []
    with pytest.raises(grpc.RpcError) as e:
        for f in stream:
            got.append(f)
    assert _code(e) == grpc.StatusCode.INVALID_ARGUMENT
    assert len(got) <= 1


def test_concurrent_streaming_clients(server: RenderServer) -> None:
    """8 clients, each on its own channel, stream 6 requests at once; each gets its own frames,
    with its own poses, in order."""
    results: dict[int, list[tuple[int, np.ndarray, str]]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def run(k: int) -> None:
        try:
            with Client(f"127.0.0.1:{server.port}") as c:
                reqs = [c.request(SAMPLE if k % 2 else "samples/v1/animeceleb_sample_1.pmx",
                                  _pose(1000 * k + i), size=SIZE) for i in range(6)]
                barrier.wait()
                results[k] = [(f.index, f.pose, f.model_id) for f in c.render_stream(reqs)]
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for k in range(8):
        assert [i for i, _, _ in results[k]] == list(range(6))
        for i, pose, model_id in results[k]:
            assert np.array_equal(pose, _pose(1000 * k + i))
            assert model_id == (SAMPLE if k % 2 else "samples/v1/animeceleb_sample_1.pmx")


def test_sample_follows_the_policy_from_the_seed(client: Client, server: RenderServer,
                                                 local: ac.Renderer) -> None:
    frames = list(client.sample(5, seed=42, model_id=SAMPLE, styles=["S2", "S4"], size=SIZE))
    annotation = server.registry.entry(SAMPLE).annotation
    for i, f in enumerate(frames):
        rng = np.random.default_rng(np.random.SeedSequence([42, i]))
        style = ["S2", "S4"][int(rng.integers(2))]
        pose = sample_pose(rng, annotation, "rotated").to_array()
        light = sample_light(rng)
        assert (f.index, f.model_id, f.style, f.role) == (i, SAMPLE, style, None)
        assert np.array_equal(f.pose, pose)
        assert f.light == pytest.approx(light)
    m = ac.load_model(_model_path(server, SAMPLE))
    f = frames[2]
    assert np.array_equal(f.image, local.render(m, f.pose, f.style, f.light, annotation))
    again = list(client.sample(5, seed=42, model_id=SAMPLE, styles=["S2", "S4"], size=SIZE))
    assert all(np.array_equal(a.image, b.image) for a, b in zip(frames, again, strict=True))
    other = list(client.sample(5, seed=43, model_id=SAMPLE, styles=["S2", "S4"], size=SIZE))
    assert not all(np.array_equal(a.pose, b.pose) for a, b in zip(frames, other, strict=True))


def test_sample_frontal_partition_has_no_head_turn(client: Client) -> None:
    frames = list(client.sample(4, seed=1, partition="frontal", size=SIZE))
    assert all(np.all(f.pose[-3:] == 0) for f in frames)
    assert any(np.any(f.pose[:-3] > 0) for f in frames)


def test_sample_pairs(client: Client) -> None:
    frames = list(client.sample(16, seed=5, pairs=True, size=SIZE))
    assert [f.index for f in frames] == list(range(16))
    assert {f.model_id for f in frames} > {SAMPLE}  # every model is drawn from
    for source, driving in zip(frames[::2], frames[1::2], strict=True):
        assert (source.role, driving.role) == ("source", "driving")
        assert source.pair_id == driving.pair_id
        assert (source.model_id, source.style) == (driving.model_id, driving.style)
        assert not np.array_equal(source.pose, driving.pose)
    assert [f.pair_id for f in frames[::2]] == list(range(8))


@pytest.mark.parametrize(("kw", "code", "words"), [
    ({"count": 2000}, grpc.StatusCode.RESOURCE_EXHAUSTED, "bound of 1000 frames"),
    ({"count": 3, "pairs": True}, grpc.StatusCode.INVALID_ARGUMENT, "odd"),
    ({"count": 1, "model_id": "x.pmx"}, grpc.StatusCode.NOT_FOUND, "no model"),
    ({"count": 1, "size": 1024}, grpc.StatusCode.RESOURCE_EXHAUSTED, "bound of 128 px"),
])
def test_sample_refuses(client: Client, kw: dict[str, object], code: grpc.StatusCode,
                        words: str) -> None:
    kw.setdefault("size", SIZE)
    with pytest.raises(grpc.RpcError) as e:
        list(client.sample(**kw))  # type: ignore[arg-type]
    assert _code(e) == code
    assert words in e.value.details()


def test_deadline_ends_an_endless_sample(client: Client) -> None:
    with pytest.raises(grpc.RpcError) as e:
        list(client.sample(0, seed=1, size=SIZE, timeout=0.5))
    assert _code(e) == grpc.StatusCode.DEADLINE_EXCEEDED


def test_health_serving(server: RenderServer, client: Client) -> None:
    stub = health_pb2_grpc.HealthStub(client.channel)
    for service in ("", "animeceleb.v1.RenderService"):
        reply = stub.Check(health_pb2.HealthCheckRequest(service=service))
        assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_the_service(client: Client) -> None:
    stub = reflection_pb2_grpc.ServerReflectionStub(client.channel)
    replies = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(
        list_services="")]))
    names = {s.name for r in replies for s in r.list_services_response.service}
    assert {"animeceleb.v1.RenderService", "grpc.health.v1.Health"} <= names
