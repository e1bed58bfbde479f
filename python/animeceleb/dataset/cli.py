"""``animeceleb generate [MODELS_DIR] -o OUT``: write an AnimeCeleb-style dataset."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..pose import PARTITIONS
from ..render.styles import STYLES
from .layout import FORMATS

__all__ = ["add_parser"]


def _csv(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _run(args: argparse.Namespace) -> int:
    from . import layout
    from .generate import GenerateError, GenerateOptions, generate
    from .split import parse_ratio

    try:
        opts = GenerateOptions(
            out=args.out, models_dir=args.models_dir, samples=args.samples,
            per_model=args.per_model, styles=_csv(args.styles),
            partitions=_csv(args.partitions), seed=args.seed, workers=args.workers,
            size=args.size, split=parse_ratio(args.split), store=args.store,
            inspect=args.inspect, device=args.device, progress=not args.quiet,
            contact_sheet=not args.no_contact_sheet, paired=not args.unpaired,
            format=args.format, shard_size=args.shard_size)
        summary = generate(opts)
    except (GenerateError, ValueError) as e:
        print(f"animeceleb generate: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # before or after rendering: nothing is half-written
        print(f"animeceleb generate: interrupted; run the same command again to finish "
              f"{args.out}", file=sys.stderr)
        return 130
    print(summary.report(), file=sys.stderr)
    if summary.interrupted:
        return 130
    out = Path(args.out).resolve()
    checked = opts.checked()
    for style in checked.styles:
        root = out / layout.STYLE_ROOTS[style]
        if checked.format == "webdataset":
            print(f"shards {style}:   {root}/{{rotation,frontal}}-NNNNNN.tar")
        else:
            print(f"loader root {style}: {root}")
    print(f"labels:      {out / layout.LABELS}")
    print(f"split lists: {out / layout.SPLIT_DIR} (the loader reads ./data/ or ../data/)")
    print(f"manifest:    {out / layout.MANIFEST}")
    if not args.no_contact_sheet:
        print(f"contact sheet: {out / layout.CONTACT_SHEET}")
    return 0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``generate`` on the ``animeceleb`` command line."""
    codes = ",".join(s.code for s in STYLES)
    p = subparsers.add_parser(
        "generate", help="write an AnimeCeleb-style dataset (images, labels, manifest)",
        description="Render every model under MODELS_DIR (default: the built-in sample "
                    "characters) in sampled poses, in each style, into OUT. Safe to interrupt "
                    "(even kill -9): the same command again finishes the same dataset.")
    p.add_argument("models_dir", metavar="MODELS_DIR", nargs="?",
                   help="folder of .pmx/.pmd models (default: the sample characters)")
    p.add_argument("-o", "--out", required=True, help="output folder (new, or a dataset to "
                   "resume)")
    p.add_argument("--per-model", type=int, metavar="N",
                   help="poses per model and partition (default: the paper's rule, 100 when "
                        "the model has more than 5 annotated target morphs, else 20)")
    p.add_argument("--styles", default=codes, help=f"styles to render each pose in ({codes})")
    p.add_argument("--partitions", default=",".join(PARTITIONS),
                   help=f"partitions ({','.join(PARTITIONS)}); frontal has zero head angles")
    p.add_argument("--unpaired", action="store_true",
                   help="draw each partition's poses on their own (default: each frontal "
                        "image is its rotated twin's expression with zero head angles)")
    p.add_argument("--format", choices=FORMATS, default="folder",
                   help="folder: PNG files in the published loader's layout (default); "
                        "webdataset: tar shards of PNG + pose JSON")
    p.add_argument("--shard-size", type=int, default=1000, metavar="N",
                   help="images per WebDataset shard (1000)")
    p.add_argument("--seed", type=int, default=0, help="seed of every random draw (0)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="render processes (default: one per CPU)")
    p.add_argument("--samples", type=int, default=8, metavar="K",
                   help="sample characters to use when no MODELS_DIR is given (8)")
    p.add_argument("--size", type=int, default=256, help="image side in pixels (256)")
    p.add_argument("--split", default="3319:294", metavar="TRAIN:TEST",
                   help="train:test ratio of identities (the paper's 3319:294)")
    p.add_argument("--store", help="annotation store (default MODELS_DIR/annotations.json); "
                   "models without a record there are proposed from names and geometry")
    p.add_argument("--inspect", action="store_true",
                   help="propose missing annotations with rendered image checks (slower)")
    p.add_argument("--device", help="wgpu adapter to render on (a part of its name)")
    p.add_argument("--no-contact-sheet", action="store_true", help="skip contact_sheet.png")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_run)
    return p
