"""The train/test split by identity, deterministic in the seed and the models' contents."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = ["PAPER_SPLIT", "parse_ratio", "split_identities"]

PAPER_SPLIT = (3319, 294)  # identities for training and for testing in the paper


def parse_ratio(text: str) -> tuple[int, int]:
    """``"3319:294"`` -> (3319, 294)."""
    try:
        a, b = (int(x) for x in text.split(":"))
    except ValueError:
        raise ValueError(f"a split is TRAIN:TEST, two whole numbers, got {text!r}") from None
    if a < 0 or b < 0 or a + b == 0:
        raise ValueError(f"a split needs non-negative parts, not both zero, got {text!r}")
    return a, b


def split_identities(identities: Sequence[tuple[int, str]], seed: int,
                     ratio: tuple[int, int] = PAPER_SPLIT) -> tuple[list[int], list[int]]:
    """(train, test) org_ids, each sorted, from (org_id, model sha256) pairs.

    The test share is ``round(n * test / (train + test))``, at least one identity when there are
    two or more and the ratio asks for any, never all of them when training asks for any. Which
    identities: the first by a hash of (seed, model sha256), so a model keeps its side when
    others are added (as long as the counts allow)."""
    n = len(identities)
    train_w, test_w = ratio
    k = round(n * test_w / (train_w + test_w))
    if test_w and n >= 2:
        k = max(k, 1)
    if train_w and n >= 1:
        k = min(k, n - 1)

    def rank(item: tuple[int, str]) -> str:
        return hashlib.sha256(f"{seed}:{item[1]}:{item[0]}".encode()).hexdigest()

    ordered = sorted(identities, key=rank)
    test = sorted(i for i, _ in ordered[:k])
    train = sorted(i for i, _ in ordered[k:])
    return train, test
