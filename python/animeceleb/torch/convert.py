"""numpy frames and poses -> tensors, the same way for every dataset."""

from __future__ import annotations

import numpy as np
import torch


def image_tensor(image: np.ndarray) -> torch.Tensor:
    """(H, W, C) uint8 -> (C, H, W) float32 in [0, 1]."""
    return torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1).to(torch.float32).div_(
        255.0)


def pose_tensor(pose: np.ndarray) -> torch.Tensor:
    """(20,) pose vector -> float32 tensor."""
    return torch.from_numpy(np.asarray(pose, dtype=np.float32))
