"""Images per second, end to end (pose + skin + render + readback), per model.

    python bench/bench_render.py [--frames 60] [--size 256] [--style S1]

Prints the adapter, then per model: images/s over ``render_batch`` of random poses (all four
styles in turn unless --style), and where the time of one frame goes: pose (morphs, bones,
skinning in the poser), upload (vertex/material/uniform writes), draw (encode + submit), and
readback (waiting for the GPU, map, copy, un-premultiply).  Posing runs one frame ahead on a
worker thread and readback of frame N waits until frame N+1 is submitted, so on a GPU the
stages overlap.  On lavapipe ``queue.submit`` itself runs the rasterizer, so "draw" holds the
whole render and readback is nearly free.  Keep runs short on shared CPUs.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from _models import find_models
from animeceleb.pose import POSE_LAYOUT
from animeceleb.render import STYLES, Renderer, Timings


def random_poses(n: int, rng: np.random.Generator) -> np.ndarray:
    poses = np.zeros((n, len(POSE_LAYOUT)), dtype=np.float32)
    for p in poses:
        eye = rng.integers(0, 2) * 2  # close or smile, both sides
        p[eye] = p[eye + 1] = rng.uniform()
        p[12 + rng.integers(0, 5)] = rng.uniform()
        p[17:20] = rng.uniform(-20, 20, size=3)
    return poses


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--frames", type=int, default=60)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--style", default=None, help="one style for all frames (default: cycle)")
    ap.add_argument("--synthetic", action="store_true", help="also the synthetic test head")
    args = ap.parse_args()

    r = Renderer(size=args.size)
    print(f"adapter: {r.adapter_summary}")
    rng = np.random.default_rng(0)
    for label, model in find_models(args.synthetic):
        t0 = time.perf_counter()
        r.prepare(model)
        for s in STYLES:
            r.pipelines(s)
        r.render_batch(model, random_poses(4, rng), [s.code for s in STYLES])  # warm up
        setup = time.perf_counter() - t0
        poses = random_poses(args.frames, rng)
        styles = args.style or [STYLES[i % 4].code for i in range(args.frames)]
        lights = rng.uniform(0.3, 0.9, size=args.frames)
        r.timings = Timings()
        t0 = time.perf_counter()
        r.render_batch(model, poses, styles, lights)
        wall = time.perf_counter() - t0
        ms = r.timings.per_frame_ms()
        nv = len(model.positions)
        nf = len(model.faces)
        print(
            f"{label:>10}: {args.frames / wall:6.1f} images/s  ({nv} vertices, {nf} triangles, "
            f"setup {setup:.2f} s)  per frame: pose {ms['pose']:.2f} ms, upload "
            f"{ms['upload']:.2f} ms, draw {ms['draw']:.2f} ms, readback {ms['readback']:.2f} ms"
        )


if __name__ == "__main__":
    main()
