"""A one-worker server with a bearer token and one stream allowed: authentication, the stream
bound, and a cancelled stream freeing its worker."""

from __future__ import annotations

import grpc
import numpy as np
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from _service import SIZE, running, sample_models, wait_for
from animeceleb.service import Client, Limits, RenderServer

TOKEN = "s3cret-token"
MODEL = "v0/animeceleb_sample_0.pmx"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> RenderServer:
    models = sample_models(tmp_path_factory.mktemp("limits"), variants=(0,))
    limits = Limits(max_size=128, max_frames=1000, max_streams=1)
    with running((models,), workers=1, token=TOKEN, limits=limits) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server: RenderServer) -> Client:
    with Client(f"127.0.0.1:{server.port}", token=TOKEN) as c:
        yield c


@pytest.mark.parametrize(("token", "words"), [(None, "missing"), ("wrong", "wrong")])
def test_token_required(server: RenderServer, token: str | None, words: str) -> None:
    with Client(f"127.0.0.1:{server.port}", token=token) as c:
        for call in (c.list_models, lambda: c.render(MODEL, size=SIZE),
                     lambda: list(c.sample(2, size=SIZE)),
                     lambda: list(c.render_stream([c.request(MODEL, size=SIZE)]))):
            with pytest.raises(grpc.RpcError) as e:
                call()
            assert e.value.code() == grpc.StatusCode.UNAUTHENTICATED
            assert words in e.value.details()
        # health probes carry no token
        reply = health_pb2_grpc.HealthStub(c.channel).Check(health_pb2.HealthCheckRequest())
        assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_token_accepted(client: Client) -> None:
    assert [m.id for m in client.list_models()] == [MODEL]
    assert client.render(MODEL, size=SIZE).shape == (SIZE, SIZE, 4)


def test_stream_bound(client: Client, server: RenderServer) -> None:
    first = client.sample(0, seed=1, size=SIZE)
    next(first)  # the stream is being served
    with pytest.raises(grpc.RpcError) as e:
        list(client.render_stream([client.request(MODEL, size=SIZE)]))
    assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "already serves 1 streams" in e.value.details()
    first.cancel()
    wait_for(lambda: server.servicer.active_streams == 0, "the cancelled stream to end")
    assert len(list(client.sample(2, seed=1, size=SIZE))) == 2


def test_cancel_frees_the_worker(client: Client, server: RenderServer) -> None:
    before = server.pool.frames_rendered
    stream = client.sample(1000, seed=2, size=SIZE)
    got = [next(stream) for _ in range(3)]
    stream.cancel()
    assert [f.index for f in got] == [0, 1, 2]
    # The one worker serves the next call (it would wait behind 997 frames otherwise),
    image = client.render(MODEL, size=SIZE, timeout=60)
    assert image.shape == (SIZE, SIZE, 4)
    wait_for(lambda: server.servicer.active_streams == 0, "the cancelled stream to end")
    server.pool.wait_idle()
    settled = server.pool.frames_rendered
    assert settled > before
    # ...and nothing of it is rendered afterwards: one call, one frame.
    assert np.array_equal(client.render(MODEL, size=SIZE), image)
    server.pool.wait_idle()
    assert server.pool.frames_rendered == settled + 1
