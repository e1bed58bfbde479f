"""PyTorch datasets (needs the ``torch`` extra)."""

from .stream import RenderStreamDataset

__all__ = ["RenderStreamDataset"]
