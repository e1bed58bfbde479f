"""PyTorch datasets over animeceleb data (the ``torch`` extra: pip install animeceleb[torch])."""

from .folder import FolderPairDataset

__all__ = ["FolderPairDataset"]
