"""Graceful shutdown (calls in flight finish, new ones are refused), `animeceleb serve` under
SIGTERM, TLS, and one client balancing over two servers with round_robin."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from _service import SIZE, config, running, sample_models
from animeceleb.service import Client, RenderServer

MODEL = "v0/animeceleb_sample_0.pmx"


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_models(tmp_path_factory.mktemp("shutdown"), variants=(0,))


def test_stop_finishes_calls_in_flight(models: Path) -> None:
    server = RenderServer(config((models,)))
    with Client(f"127.0.0.1:{server.port}") as client:
        stream = client.sample(24, seed=3, size=SIZE)
        first = next(stream)
        stopper = threading.Thread(target=server.stop, kwargs={"grace": 60})
        stopper.start()
        rest = list(stream)  # the call in flight runs to its end
        stopper.join()
        assert [f.index for f in [first, *rest]] == list(range(24))
        with pytest.raises(grpc.RpcError) as e:
            client.render(MODEL, size=SIZE, timeout=10)
        assert e.value.code() == grpc.StatusCode.UNAVAILABLE


def test_serve_command_stops_on_sigterm(models: Path) -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "animeceleb.cli", "serve", "--models", str(models),
         "--host", "127.0.0.1", "--port", "0", "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "serving 1 models on port" in line, line
        port = int(line.split("on port ")[1].split()[0])
        with Client(f"127.0.0.1:{port}") as client:
            health = health_pb2_grpc.HealthStub(client.channel)
            assert health.Check(health_pb2.HealthCheckRequest()).status == (
                health_pb2.HealthCheckResponse.SERVING)
            assert client.render(MODEL, size=SIZE).shape == (SIZE, SIZE, 4)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the certificate")
def test_tls(models: Path, tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    with running((models,), tls_cert=cert, tls_key=key) as server:
        with Client(f"127.0.0.1:{server.port}", tls=cert, server_name="localhost") as client:
            assert [m.id for m in client.list_models()] == [MODEL]
        with Client(f"127.0.0.1:{server.port}") as plain, pytest.raises(grpc.RpcError) as e:
            plain.list_models(timeout=10)
        assert e.value.code() == grpc.StatusCode.UNAVAILABLE


def test_round_robin_over_two_servers(models: Path) -> None:
    with running((models,)) as a, running((models,)) as b:
        addresses = [f"127.0.0.1:{a.port}", f"localhost:{b.port}"]
        with Client(addresses) as client:
            assert client.target == f"ipv4:127.0.0.1:{a.port},127.0.0.1:{b.port}"
            # round_robin picks among the connected servers: both, once both are up
            calls = 0
            while calls < 100 and not (a.pool.frames_rendered and b.pool.frames_rendered):
                client.render(MODEL, size=SIZE)
                calls += 1
            assert a.pool.frames_rendered > 0 and b.pool.frames_rendered > 0
            assert a.pool.frames_rendered + b.pool.frames_rendered == calls
            # One server goes away: every call is still served, by the other.
            a.stop(grace=0)
            served = b.pool.frames_rendered
            for _ in range(6):
                assert client.render(MODEL, size=SIZE).shape == (SIZE, SIZE, 4)
            assert b.pool.frames_rendered == served + 6
