"""Kill the generator (SIGKILL, at random moments, repeatedly), run it again: the dataset is
exactly the one an uninterrupted run makes, no image lost, duplicated or half-written. Ctrl-C
stops cleanly and the next run finishes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image

from _dataset import cli, files, run, small_args
from animeceleb.dataset import layout


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("ref")
    run(out)
    return files(out)


def _check_partial(out: Path, reference: dict[str, bytes]) -> None:
    """Whatever a killed run left: every image under its final name is whole and right, and
    nothing but images and bookkeeping is there."""
    for rel, data in files(out).items():
        if rel.startswith(layout.STATE_DIR + "/"):
            continue
        if rel.endswith(".png") and "/" in rel:
            assert data == reference[rel], f"{rel} differs from the uninterrupted run"
            with Image.open(out / rel) as im:
                im.load()
        else:  # a finished text file is written whole, or not yet
            assert data == reference[rel], rel


def _pngs(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.png")) if out.exists() else 0


def _kill_when(proc: subprocess.Popen[bytes], out: Path, images: int, delay: float) -> bool:
    """SIGKILL the run (and its workers) ``delay`` s after ``images`` images are on disk;
    False when it finished first."""
    deadline = time.monotonic() + 120
    while _pngs(out) < images and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(delay)
    if proc.poll() is not None:
        return False
    os.killpg(proc.pid, signal.SIGKILL)  # no cleanup of any kind
    return True


@pytest.mark.parametrize("workers", [1, 2])
def test_sigkill_at_random_moments_then_resume(tmp_path: Path, reference: dict[str, bytes],
                                               workers: int) -> None:
    out = tmp_path / "ds"
    total = sum(1 for k in reference if k.endswith(".png") and "/" in k)
    rng = random.Random(1234 + workers)
    # moments: while starting, while rendering (after k images), while writing the labels
    moments = [(0, rng.uniform(0.1, 1.0)), (rng.randrange(1, total // 2), rng.uniform(0, 0.2)),
               (rng.randrange(total // 2, total), rng.uniform(0, 0.2)),
               (total, rng.uniform(0, 0.15))]
    kills = 0
    for images, delay in moments:
        proc = cli(*small_args(out, workers), start_new_session=True)
        kills += _kill_when(proc, out, images, delay)
        proc.communicate(timeout=60)
        _check_partial(out, reference)
    assert kills >= 3  # the runs were really interrupted
    proc = cli(*small_args(out, workers))
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr.decode()
    assert files(out) == reference  # nothing lost, duplicated, half-written or left over


def test_ctrl_c_stops_cleanly_and_the_next_run_finishes(tmp_path: Path,
                                                        reference: dict[str, bytes]) -> None:
    out = tmp_path / "ds"
    proc = cli(*small_args(out, 2))
    deadline = time.monotonic() + 120
    pngs = 0
    while pngs < 4 and time.monotonic() < deadline:  # interrupt mid-way through the images
        time.sleep(0.1)
        pngs = sum(1 for _ in out.rglob("*.png")) if out.exists() else 0
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    text = stderr.decode()
    if proc.returncode == 0:
        pytest.skip("the run finished before Ctrl-C reached it")
    assert proc.returncode == 130, text
    assert "interrupted" in text and "Traceback" not in text
    _check_partial(out, reference)
    summary, _ = run(out)
    assert not summary.interrupted and summary.rendered < len(
        [k for k in reference if k.endswith(".png") and "/" in k])
    assert files(out) == reference
