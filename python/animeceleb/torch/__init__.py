"""PyTorch datasets (the ``torch`` extra: pip install animeceleb[torch]).

- ``FolderPairDataset``: source/driving pairs from a folder written by ``animeceleb generate``;
- ``RenderStreamDataset``: source/driving pairs streamed from a render server.

Both are thin layers over numpy classes that need no torch (``animeceleb.dataset.PairFolder``,
``animeceleb.service.PairStream``).
"""

try:
    import torch  # noqa: F401
except ImportError as e:  # say how to get it, not just that it is missing
    raise ImportError("animeceleb.torch needs PyTorch: pip install 'animeceleb[torch]'") from e

from .folder import FolderPairDataset
from .stream import RenderStreamDataset

__all__ = ["FolderPairDataset", "RenderStreamDataset"]
