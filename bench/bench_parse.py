"""Parse speed of animeceleb against two independent parsers, and which
model features each of them handles.

    python bench/bench_parse.py [--repeats 30]

For every shared model and the sample character: the median (p10/p90) time
of `ac.parse_bytes` on bytes already in memory and of `ac.load_model` from
disk, against mmd-parser (npm, timed in-process under Node) and pymeshio
(PyPI), all measured in this run. Then every parser reads the edge-case
files (edge_files.py) and the features each one fails on are listed.
Targets: largest shared model < 10 ms, >= 10x faster than mmd-parser and
>= 50x faster than pymeshio on every shared model. Figures only.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import parsers
from edge_files import write_edge_files
from models import bench_models
from parsers import Outcome
from timing import Spread, machine

# A slow peer stops repeating once it has spent this long on one file.
PEER_BUDGET_S = 8.0
TARGET_MS = 10.0
TARGET_VS = {"mmd-parser": 10.0, "pymeshio": 50.0}


def _peers(paths: list[Path], repeats: int) -> dict[str, dict[Path, Outcome] | str]:
    """Each peer's outcome per file, or why the peer could not run."""
    out: dict[str, dict[Path, Outcome] | str] = {}
    why = parsers.mmd_parser_ready()
    out["mmd-parser"] = why or parsers.mmd_parser(paths, repeats, PEER_BUDGET_S)
    why = parsers.pymeshio_ready()
    out["pymeshio"] = why or {p: parsers.pymeshio(p, repeats, PEER_BUDGET_S) for p in paths}
    return out


def _cell(o: Outcome | str) -> str:
    if isinstance(o, str):
        return "n/a"
    return f"{Spread.of(o.times_ms).median:.1f}" if o.times_ms else "error"


def speed_table(repeats: int) -> bool:
    """Print the timing table; True when every target is met."""
    models = bench_models()
    paths = [p for _, p in models]
    ours = {p: parsers.animeceleb(p, repeats, PEER_BUDGET_S) for p in paths}
    disk = {p: Spread.of(parsers.animeceleb_from_disk(p, repeats, PEER_BUDGET_S)) for p in paths}
    peers = _peers(paths, repeats)
    for name, result in peers.items():
        if isinstance(result, str):
            print(f"note: {name} not measured: {result}")

    print(f"{'model':8} {'size MB':>7} {'ours ms (p10/p90)':>23} {'from disk':>9} "
          f"{'mmd-parser':>10} {'pymeshio':>9} {'× mmd':>6} {'× pymeshio':>10}")  # fmt: skip
    met = True
    largest = max((p for name, p in models if name != "sample"), key=lambda p: p.stat().st_size)
    for name, path in models:
        o = ours[path]
        if o.error:
            print(f"{name:8} our parser failed: {o.error}")
            met = False
            continue
        s = Spread.of(o.times_ms)
        row = [f"{name:8} {path.stat().st_size / 1e6:7.2f} {s!s:>23} {disk[path].median:9.3f}"]
        ratios = []
        for peer, result in peers.items():
            cell = result if isinstance(result, str) else result[path]
            row.append(f"{_cell(cell):>10}" if peer == "mmd-parser" else f"{_cell(cell):>9}")
            if isinstance(cell, Outcome) and cell.times_ms:
                ratio = Spread.of(cell.times_ms).median / s.median
                ratios.append(f"{ratio:.0f}")
                if name != "sample" and ratio < TARGET_VS[peer]:
                    met = False
            else:
                ratios.append("-")
        print(" ".join(row), f"{ratios[0]:>6} {ratios[1]:>10}")
        if path == largest and s.median >= TARGET_MS:
            met = False
    runs = ", ".join(f"{n} {Spread.of(ours[p].times_ms).runs}" for n, p in models)
    print(f"(medians of repeated in-process runs; ours: {runs} runs; peers up to {repeats}, "
          f"at most {PEER_BUDGET_S:.0f} s per file)")  # fmt: skip
    print(
        f"targets (largest shared model < {TARGET_MS:.0f} ms, ≥ 10× mmd-parser, ≥ 50× pymeshio "
        f"on every shared model): {'met' if met else 'NOT MET'}"
    )
    return met


def feature_table() -> None:
    """Which edge-case files each parser reads correctly."""
    with tempfile.TemporaryDirectory() as tmp:
        files, notes = write_edge_files(Path(tmp))
        paths = [f.path for f in files]
        results: dict[str, dict[Path, Outcome] | str] = {
            "animeceleb": {p: parsers.animeceleb(p, 1, 0.0) for p in paths},
            **_peers(paths, 1),
        }
    for note in notes:
        print(f"note: {note}")
    for parser, result in results.items():
        if isinstance(result, str):
            print(f"{parser}: not run ({result})")
            continue
        failed = [(f.feature, _verdict(result[f.path], f.expected)) for f in files]
        failed = [(feature, why) for feature, why in failed if why]
        print(f"{parser}: reads {len(files) - len(failed)} of {len(files)} files correctly")
        for feature, why in failed:
            print(f"  fails on {feature}: {why}")


def _verdict(o: Outcome, expected: dict) -> str:
    """Empty when the parser read the file correctly, else what went wrong."""
    if o.error is not None:
        return f"raises {o.error[:100]}"
    assert o.facts is not None
    return "; ".join(parsers.mismatches(expected, o.facts))


def run(repeats: int = 30) -> None:
    print(f"== parse: {machine()}")
    speed_table(repeats)
    print("-- features (edge-case files written with our writer; PMD from the Rust tests)")
    feature_table()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=30)
    run(ap.parse_args().repeats)


if __name__ == "__main__":
    main()
