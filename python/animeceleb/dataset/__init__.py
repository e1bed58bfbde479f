"""Dataset generation (``animeceleb generate``) and reading a generated dataset.

- ``layout``: where files go and how they are named (the published AnimeCeleb loader's layout);
- ``sources``: the models, their hashes and annotations; ``plan``: per-image poses (paired
  frontal/rotated twins) and chunks;
- ``worker``: rendering chunks in a process (files written with ``animeceleb.atomic``);
- ``state``: the run's lock and fingerprint; ``outputs``: labels, loader files, split, manifest;
- ``shards``: the WebDataset format (tar shards of PNG + pose JSON) and reading it back;
- ``split``: train/test by identity; ``contact_sheet``: a PNG overview;
- ``generate``: the run; ``pairs``: source/driving pairs of a generated folder; ``cli``.
"""

from .contact_sheet import write_contact_sheet
from .generate import GenerateError, GenerateOptions, Summary, generate
from .pairs import PairFolder
from .plan import image_rng, sample_image
from .split import PAPER_SPLIT, split_identities

__all__ = [
    "PAPER_SPLIT",
    "GenerateError",
    "GenerateOptions",
    "PairFolder",
    "Summary",
    "generate",
    "image_rng",
    "sample_image",
    "split_identities",
    "write_contact_sheet",
]
