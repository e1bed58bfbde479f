"""Pose-and-skin speed through the Python API, on one core.

    python bench/bench_poser.py [--rust]

For every shared model and the sample character: the median (p10/p90) time
of `Poser.evaluate()` with three facial morphs (one per panel: brows, eyes,
mouth) and a head rotation on 首 that change every pose, and the throughput
of `Poser.evaluate_batch` on 256 such poses. The process is pinned to one
core first, so the batch runs on one thread (the poser spreads batches over
the cores it may use). Then how the time scales with the vertex count, and
with --rust the Rust synthetic bench (cargo run --release --example
bench_poser: 30k vertices, one thread and all cores).
Targets: largest shared model < 1 ms per pose (median), >= 1,000 poses/s
batched. Figures only.
"""

from __future__ import annotations

import argparse
import os
import subprocess

import numpy as np

import animeceleb as ac
from models import ROOT, bench_models
from timing import Spread, machine, time_runs

BATCH = 256
MORPH_NAMES = {1: "上", 2: "まばたき", 3: "あ"}  # preferred per panel, else the panel's first
TARGET_MS = 1.0
TARGET_RATE = 1000.0


def facial_morphs(model: ac.Model) -> list[int]:
    """One morph per facial panel (1 brows, 2 eyes, 3 mouth)."""
    out = []
    for panel, name in MORPH_NAMES.items():
        on_panel = [m.index for m in model.morphs if m.panel == panel]
        preferred = model.morph_index(name)
        out.append(preferred if preferred in on_panel else on_panel[0])
    return out


def subtree(model: ac.Model, root: str) -> list[int]:
    """`root` and every bone below it (indices)."""
    inside = {model.bone_index(root)}
    while True:  # parents may come after their children: grow until stable
        grown = inside | {b.index for b in model.bones if b.parent in inside}
        if grown == inside:
            return sorted(i for i in inside if i is not None)
        inside = grown


def random_poses(model: ac.Model, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(n, M) morph weights (three facial morphs in [0, 1]) and (n, 1, 3) head angles."""
    rng = np.random.default_rng(seed)
    weights = np.zeros((n, len(model.morphs)), np.float32)
    weights[:, facial_morphs(model)] = rng.uniform(0, 1, (n, 3))
    angles = rng.uniform(-20, 20, (n, 1, 3)).astype(np.float32)
    return weights, angles


def single(model: ac.Model, repeats: int) -> Spread:
    """evaluate() with the pose changing every run; only evaluate() is timed."""
    poser = model.poser()
    weights, angles = random_poses(model, repeats, seed=1)
    morphs = facial_morphs(model)
    times = []
    for i in range(repeats):
        for m in morphs:
            poser.set_morph(m, float(weights[i, m]))
        poser.set_bone_rotation("首", *map(float, angles[i, 0]))
        times += time_runs(poser.evaluate, 1)
    return Spread.of(times)


def batch(model: ac.Model, repeats: int) -> float:
    """Median poses/s of evaluate_batch on BATCH poses."""
    poser = model.poser()
    weights, angles = random_poses(model, BATCH, seed=2)
    times = time_runs(lambda: poser.evaluate_batch(weights, ["首"], angles), repeats, 20.0)
    return BATCH / (Spread.of(times).median / 1e3)


def rust_synthetic() -> None:
    cmd = ["cargo", "run", "-q", "--release", "-p", "pmx_core", "--example", "bench_poser"]
    print("-- Rust synthetic bench (" + " ".join(cmd[:2] + cmd[3:]) + "), threads as printed:")
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    print(done.stdout.rstrip())


def run(repeats: int = 200, rust: bool = False) -> None:
    # One core: evaluate_batch sizes its thread pool from the affinity mask.
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    try:
        print(f"== poser (pinned to 1 core): {machine()}")
        print(f"{'model':8} {'vertices':>8} {'on 首':>6} {'evaluate ms (p10/p90)':>23} "
              f"{'ns/vertex':>9} {'ns/vtx on 首':>12} {'batch poses/s':>13}")  # fmt: skip
        met = True
        for name, path in bench_models():
            model = ac.load_model(path)
            s = single(model, repeats)
            rate = batch(model, 5)
            # Vertices the head rotation moves; the rest are copied.
            moved = int((model.bone_weights(subtree(model, "首")) > 0).sum())
            v = model.vertex_count
            per = f"{s.median / v * 1e6:9.2f} {s.median / moved * 1e6:12.2f}"
            print(f"{name:8} {v:8d} {moved:6d} {s!s:>23} {per} {rate:13.0f}")
            met &= rate >= TARGET_RATE and (name == "sample" or s.median < TARGET_MS)
        print(f"({repeats} poses per model for evaluate; batches of {BATCH}, median of 5)")
        print(
            f"targets (< {TARGET_MS:.0f} ms per pose on the shared models, ≥ {TARGET_RATE:.0f} "
            f"poses/s batched): {'met' if met else 'NOT MET'}"
        )
    finally:
        os.sched_setaffinity(0, cores)
    if rust:
        rust_synthetic()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=200)
    ap.add_argument("--rust", action="store_true", help="also run the Rust synthetic bench")
    args = ap.parse_args()
    run(args.repeats, args.rust)


if __name__ == "__main__":
    main()
