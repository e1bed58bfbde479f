"""PyTorch datasets (the ``torch`` extra: pip install animeceleb[torch]).

- ``FolderPairDataset``: source/driving pairs from a folder written by ``animeceleb generate``;
- ``RenderStreamDataset``: source/driving pairs streamed from a render server.
"""

from .folder import FolderPairDataset
from .stream import RenderStreamDataset

__all__ = ["FolderPairDataset", "RenderStreamDataset"]
