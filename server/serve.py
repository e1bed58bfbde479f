#!/usr/bin/env python3
"""Run the render server from this folder: ``python server/serve.py --models DIR [...]``.

The same as ``animeceleb serve`` (the servicer ships inside the animeceleb wheel); options may
also come from the environment, as containers like: ANIMECELEB_MODELS (folders separated by
':'), ANIMECELEB_PORT, ANIMECELEB_WORKERS, ANIMECELEB_TOKEN_FILE.
"""

from __future__ import annotations

import os
import sys

from animeceleb.cli import main


def _argv(args: list[str]) -> list[str]:
    env = os.environ
    out = ["serve"]
    if "--models" not in args:
        for folder in filter(None, env.get("ANIMECELEB_MODELS", "").split(":")):
            out += ["--models", folder]
    for var, flag in (("ANIMECELEB_PORT", "--port"), ("ANIMECELEB_WORKERS", "--workers"),
                      ("ANIMECELEB_TOKEN_FILE", "--token-file")):
        if env.get(var) and flag not in args:
            out += [flag, env[var]]
    return out + args


if __name__ == "__main__":
    sys.exit(main(_argv(sys.argv[1:])))
