"""Images per second of ``animeceleb generate``, the whole run, with 1 and 2 (or more) workers.

    python bench/bench_generate.py [--samples 4] [--per-model 10] [--size 256] [--workers 1,2]

Each figure is one complete run into a fresh folder: worker start-up (a renderer each), posing,
rendering every style, PNG encoding and atomic writes, then labels and manifest; images/s is
images over the run's wall time (start-up included) and over the rendering phase alone. The
sample characters are built and cached before timing. Figures only, never asserted.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from animeceleb.dataset import GenerateOptions, generate
from animeceleb.sample import sample_model_path
from timing import machine


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples", type=int, default=4, help="sample characters (4)")
    ap.add_argument("--per-model", type=int, default=10, help="poses per partition (10)")
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--styles", default="S1,S2,S3,S4")
    ap.add_argument("--workers", default="1,2", help="worker counts to time (1,2)")
    args = ap.parse_args()
    for n in range(args.samples):
        sample_model_path(n)
    styles = args.styles.split(",")
    images = args.samples * 2 * args.per_model * len(styles)
    print(f"generate: {args.samples} sample characters x 2 partitions x {args.per_model} poses "
          f"x {len(styles)} styles = {images} images of {args.size}px")
    print(f"  on {machine()}")
    for workers in (int(w) for w in args.workers.split(",")):
        out = Path(tempfile.mkdtemp(prefix="bench-generate-"))
        try:
            t0 = time.perf_counter()
            summary = generate(GenerateOptions(
                out=out, samples=args.samples, per_model=args.per_model, size=args.size,
                styles=styles, workers=workers, progress=False, contact_sheet=False),
                log=lambda _: None)
            wall = time.perf_counter() - t0
        finally:
            shutil.rmtree(out, ignore_errors=True)
        print(f"  workers={workers}: {summary.images / wall:6.1f} images/s overall "
              f"({wall:.1f} s), {summary.images_per_second:6.1f} images/s rendering")


if __name__ == "__main__":
    main()
