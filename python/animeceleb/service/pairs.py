"""Same-identity (source, driving) pairs from a render server, for training loops, with no torch.

``PairStream`` asks the server's Sample (pairs) in chunks: chunk ``c`` of worker ``w`` has the
seed ``SeedSequence([seed, w, c])``, so each DataLoader worker has its own stream and every
stream is a pure function of (seed, worker).  When the server goes away mid-chunk (a restart,
a rolling update), the stream reconnects with exponential backoff, asks the same chunk again and
skips the pairs it already gave: the pairs come out exactly as if nothing had happened.
``animeceleb.torch.RenderStreamDataset`` is this, made into tensors.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import grpc
import numpy as np

from .client import Client, Frame

__all__ = ["RETRYABLE", "Backoff", "Pair", "PairStream", "chunk_seed"]

logger = logging.getLogger(__name__)

# Statuses a restarting or overloaded server gives; anything else is the request's fault.
RETRYABLE = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED,
                       grpc.StatusCode.ABORTED, grpc.StatusCode.RESOURCE_EXHAUSTED,
                       grpc.StatusCode.UNKNOWN})


@dataclass(frozen=True)
class Pair:
    """A source and a driving frame of one model in one style, independent poses."""

    source: Frame
    driving: Frame

    @property
    def model_id(self) -> str:
        return self.source.model_id


@dataclass(frozen=True)
class Backoff:
    """Waits between reconnection attempts: ``initial * factor**n`` up to ``maximum`` seconds,
    with up to ``jitter`` of it added at random; ``retries`` attempts in a row, then give up."""

    initial: float = 0.2
    factor: float = 2.0
    maximum: float = 10.0
    jitter: float = 0.2
    retries: int = 20

    def delay(self, attempt: int, rng: random.Random) -> float:
        base = min(self.maximum, self.initial * self.factor ** attempt)
        return base * (1.0 + self.jitter * rng.random())


def chunk_seed(seed: int, worker_id: int, chunk: int) -> int:
    """The Sample seed of one chunk of one worker's stream (a uint64)."""
    return int(np.random.SeedSequence([seed, worker_id, chunk]).generate_state(1, np.uint64)[0])


class PairStream:
    """Iterates ``Pair``s from a server (``address`` or several, as ``Client`` takes them).

    ``worker_id``/``num_workers`` split the work between DataLoader workers: worker ``w`` gets its
    own seeds; ``count`` (None: forever) pairs in all are divided between the workers.
    """

    def __init__(self, address: str | Sequence[str], seed: int = 0, worker_id: int = 0,
                 num_workers: int = 1, count: int | None = None, model_id: str | None = None,
                 styles: Sequence[str] | None = None, size: int = 256,
                 partition: str = "rotated", chunk: int = 64, token: str | None = None,
                 tls: bool | bytes | str | Path = False, backoff: Backoff | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if not 0 <= worker_id < num_workers:
            raise ValueError(f"worker_id {worker_id} is not in range({num_workers})")
        if chunk < 1:
            raise ValueError(f"chunk must be at least 1 pair, got {chunk}")
        self.address = address
        self.seed, self.worker_id, self.num_workers = seed, worker_id, num_workers
        self.count = None if count is None else (
            count // num_workers + (1 if worker_id < count % num_workers else 0))
        self.model_id, self.styles, self.size, self.partition = model_id, styles, size, partition
        self.chunk = chunk
        self.token, self.tls = token, tls
        self.backoff = backoff or Backoff()
        self.sleep = sleep
        self.reconnects = 0  # times the stream had to reconnect (for logs and tests)

    def __iter__(self) -> Iterator[Pair]:
        rng = random.Random()
        left = self.count
        with Client(self.address, token=self.token, tls=self.tls) as client:
            chunk = 0
            while left is None or left > 0:
                want = self.chunk if left is None else min(self.chunk, left)
                given = 0  # pairs of this chunk already yielded
                attempt = 0
                while given < want:
                    stream = client.sample(
                        count=2 * want, seed=chunk_seed(self.seed, self.worker_id, chunk),
                        model_id=self.model_id, pairs=True, styles=self.styles,
                        size=self.size, partition=self.partition)
                    try:
                        for n, pair in enumerate(_pairs(stream)):
                            if n < given:
                                continue  # sent before the server went away
                            given += 1
                            attempt = 0
                            yield pair
                    except grpc.RpcError as e:
                        if e.code() not in RETRYABLE or attempt >= self.backoff.retries:
                            raise
                        delay = self.backoff.delay(attempt, rng)
                        logger.warning("render server: %s (%s); reconnecting in %.1fs",
                                       e.code().name, e.details(), delay)
                        attempt += 1
                        self.reconnects += 1
                        self.sleep(delay)
                    finally:
                        stream.cancel()
                chunk += 1
                if left is not None:
                    left -= want


def _pairs(frames: Iterator[Frame]) -> Iterator[Pair]:
    for source in frames:
        driving = next(frames)
        if (source.role, driving.role) != ("source", "driving") or (
                source.pair_id != driving.pair_id):
            raise RuntimeError("the server sent frames that do not form a pair")
        yield Pair(source, driving)
