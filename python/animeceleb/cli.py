"""The `animeceleb` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from animeceleb import _core
from animeceleb.annotate import cli as annotate_cli
from animeceleb.dataset import cli as dataset_cli
from animeceleb.service import cli as service_cli
from animeceleb.summary import model_summary, summary_table


def _cmd_info(args: argparse.Namespace) -> int:
    if args.path == "sample":
        from animeceleb.sample import sample_model_path

        path = Path(sample_model_path(args.variant))
    else:
        path = Path(args.path)
    try:
        model = _core.load_model(path)
    except (_core.PmxError, OSError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1
    for key, value in model_summary(model).items():
        print(f"{key:>18}: {value}")
    return 0


def _cmd_models(args: argparse.Namespace) -> int:
    files = sorted(
        p for p in Path(args.models_dir).rglob("*") if p.suffix.lower() in (".pmx", ".pmd")
    )
    if not files:
        print(f"no .pmx or .pmd files under {args.models_dir}", file=sys.stderr)
        return 1
    print(summary_table(files))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="animeceleb", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    info = sub.add_parser("info", help="summarise one model file, or the built-in sample")
    info.add_argument("path", help="a .pmx/.pmd file, or 'sample'")
    info.add_argument("--variant", type=int, default=0, help="sample character variant")
    info.set_defaults(func=_cmd_info)

    models = sub.add_parser("models", help="a table of every model under a folder")
    models.add_argument("models_dir")
    models.set_defaults(func=_cmd_models)

    annotate_cli.add_parser(sub)
    dataset_cli.add_parser(sub)
    service_cli.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
