"""PairStream (the torch-free core of RenderStreamDataset): same-identity pairs, worker-aware
seeds, and carrying on exactly when the server restarts mid-iteration; then the torch dataset."""

from __future__ import annotations

import time
from pathlib import Path

import grpc
import numpy as np
import pytest

from _service import SIZE, config, running, sample_models
from animeceleb.service import Backoff, Pair, PairStream, RenderServer

FAST = Backoff(initial=0.05, maximum=0.5, retries=40)


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_models(tmp_path_factory.mktemp("pairs"))


@pytest.fixture(scope="module")
def server(models: Path) -> RenderServer:
    with running((models,)) as srv:
        yield srv


def _key(p: Pair) -> tuple[str, str, bytes, bytes]:
    return p.model_id, p.source.style, p.source.pose.tobytes(), p.driving.pose.tobytes()


def test_pairs_are_same_identity(server: RenderServer) -> None:
    pairs = list(PairStream(f"127.0.0.1:{server.port}", seed=1, count=6, size=SIZE, chunk=4))
    assert len(pairs) == 6
    assert {p.model_id for p in pairs} == set(server.registry.ids)
    for p in pairs:
        assert (p.source.role, p.driving.role) == ("source", "driving")
        assert p.source.model_id == p.driving.model_id
        assert p.source.style == p.driving.style
        assert p.source.image.shape == (SIZE, SIZE, 4)
        assert not np.array_equal(p.source.pose, p.driving.pose)


def test_workers_get_their_own_streams(server: RenderServer) -> None:
    address = f"127.0.0.1:{server.port}"

    def run(worker: int, workers: int, seed: int = 7) -> list[tuple[str, str, bytes, bytes]]:
        return [_key(p) for p in PairStream(address, seed=seed, worker_id=worker,
                                            num_workers=workers, count=5, size=SIZE, chunk=2)]

    w0, w1 = run(0, 2), run(1, 2)
    assert (len(w0), len(w1)) == (3, 2)  # count split between the workers
    assert not set(w0) & set(w1)
    assert run(0, 2) == w0  # a pure function of (seed, worker)
    assert run(0, 2, seed=8) != w0
    with pytest.raises(ValueError, match="worker_id 2"):
        PairStream(address, worker_id=2, num_workers=2)


def test_carries_on_when_the_server_restarts(models: Path) -> None:
    waits: list[float] = []
    first = RenderServer(config((models,)))
    port = first.port
    servers = [first]
    try:
        reference = [_key(p) for p in PairStream(f"127.0.0.1:{port}", seed=3, count=10,
                                                 size=SIZE, chunk=4)]
        stream = PairStream(f"127.0.0.1:{port}", seed=3, count=10, size=SIZE, chunk=4,
                            backoff=FAST, sleep=lambda s: (waits.append(s), time.sleep(s)))
        got = []
        for i, pair in enumerate(stream):
            got.append(_key(pair))
            if i == 5:  # mid-chunk: the server goes away and comes back on the same port
                servers[-1].stop(grace=0)
                servers.append(RenderServer(config((models,), port=port)))
        assert got == reference
        assert stream.reconnects >= 1 and len(waits) == stream.reconnects
    finally:
        for s in servers:
            s.stop(grace=0)


def test_gives_up_on_errors_that_are_not_the_servers(server: RenderServer) -> None:
    stream = PairStream(f"127.0.0.1:{server.port}", model_id="missing.pmx", count=2, size=SIZE,
                        backoff=FAST)
    with pytest.raises(grpc.RpcError) as e:
        list(stream)
    assert e.value.code() == grpc.StatusCode.NOT_FOUND
    assert stream.reconnects == 0


def test_gives_up_after_its_retries(tmp_path: Path) -> None:
    waits: list[float] = []
    stream = PairStream("127.0.0.1:1", count=2, size=SIZE,  # nothing listens on port 1
                        backoff=Backoff(initial=0.01, factor=2.0, maximum=0.04, jitter=0.0,
                                        retries=4), sleep=waits.append)
    with pytest.raises(grpc.RpcError) as e:
        list(stream)
    assert e.value.code() == grpc.StatusCode.UNAVAILABLE
    assert waits == [0.01, 0.02, 0.04, 0.04]


def test_torch_dataset(server: RenderServer) -> None:
    torch = pytest.importorskip("torch")
    from animeceleb.torch import RenderStreamDataset

    ds = RenderStreamDataset(f"127.0.0.1:{server.port}", seed=1, count=4, size=SIZE, chunk=4)
    items = list(ds)
    pairs = list(PairStream(f"127.0.0.1:{server.port}", seed=1, count=4, size=SIZE, chunk=4))
    assert len(items) == 4
    for (src, drv, src_pose, drv_pose), p in zip(items, pairs, strict=True):
        assert src.shape == drv.shape == (4, SIZE, SIZE) and src.dtype == torch.float32
        assert torch.equal(src, torch.from_numpy(p.source.image).permute(2, 0, 1) / 255.0)
        assert torch.equal(drv_pose, torch.from_numpy(p.driving.pose))
        assert torch.equal(src_pose, torch.from_numpy(p.source.pose))
    loader = torch.utils.data.DataLoader(ds, batch_size=2, num_workers=2)
    batches = list(loader)
    assert sum(b[0].shape[0] for b in batches) == 4  # count split between the two workers


class _WorkerInfo:
    def __init__(self, id: int, num_workers: int) -> None:
        self.id, self.num_workers = id, num_workers


def test_dataset_worker_seeds_without_torch(server: RenderServer,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The dataset's worker split (``get_worker_info``) where torch is not installed: a stand-in
    ``torch.utils.data`` with only what ``animeceleb.torch`` touches on import."""
    import sys
    import types

    if "torch" in sys.modules or _has_torch():
        pytest.skip("torch is installed: test_torch_dataset covers this")
    info: list[_WorkerInfo | None] = [None]
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch.utils")
    data = types.ModuleType("torch.utils.data")

    class IterableDataset:
        def __class_getitem__(cls, item: object) -> type:
            return cls

    data.IterableDataset = IterableDataset  # type: ignore[attr-defined]
    data.Dataset = IterableDataset  # type: ignore[attr-defined]
    data.get_worker_info = lambda: info[0]  # type: ignore[attr-defined]
    torch.Tensor = object  # type: ignore[attr-defined]
    torch.utils, utils.data = utils, data  # type: ignore[attr-defined]
    for name, module in (("torch", torch), ("torch.utils", utils), ("torch.utils.data", data)):
        monkeypatch.setitem(sys.modules, name, module)
    submodules = ("animeceleb.torch", "animeceleb.torch.stream", "animeceleb.torch.folder",
                  "animeceleb.torch.convert")
    for name in submodules:
        monkeypatch.delitem(sys.modules, name, raising=False)
    try:
        from animeceleb.torch import RenderStreamDataset

        address = f"127.0.0.1:{server.port}"
        ds = RenderStreamDataset(address, seed=9, count=7, size=SIZE, chunk=2)
        main = ds.pairs()
        assert (main.worker_id, main.num_workers, main.count) == (0, 1, 7)
        info[0] = _WorkerInfo(1, 3)
        worker = ds.pairs()
        assert (worker.worker_id, worker.num_workers, worker.count) == (1, 3, 2)
        expected = PairStream(address, seed=9, worker_id=1, num_workers=3, count=7,
                              size=SIZE, chunk=2)
        assert [_key(p) for p in worker] == [_key(p) for p in expected]
    finally:  # built on the stand-in: not for later imports
        import animeceleb

        for name in submodules:
            sys.modules.pop(name, None)
        if "torch" in vars(animeceleb):
            delattr(animeceleb, "torch")


def _has_torch() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None
