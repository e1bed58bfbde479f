"""Every benchmark, one after the other, printing all figures (`make bench`).

    python bench/run_all.py [--quick] [--no-rust]

--quick runs fewer repeats (a smoke run); --no-rust skips the Rust synthetic
poser bench (which compiles the crate's example in release mode first).
"""

from __future__ import annotations

import argparse
import time

import bench_parse
import bench_poser


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--no-rust", action="store_true", help="skip the Rust synthetic bench")
    args = ap.parse_args()
    start = time.perf_counter()
    bench_parse.run(repeats=5 if args.quick else 30)
    print()
    bench_poser.run(repeats=20 if args.quick else 200, rust=not args.no_rust)
    print(f"\n(all benches: {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
