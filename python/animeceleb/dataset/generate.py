"""``generate``: a dataset from a folder of models (or the sample characters), resumably.

The run: find the models and their annotations; check the output folder (one writer; the same
fingerprint as what is there); list the images not yet on disk; render them in worker processes
(each image written atomically, so a kill at any moment loses at most the images being
rendered); then, for ``--format webdataset``, pack the images into shards (``shards``), and
write the label files and the manifest from the seed (``outputs``). Running the same command
again after any interruption finishes the same dataset.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..pose import PARTITIONS
from ..render.styles import STYLES, get_style
from . import layout
from .outputs import FORMAT, VERSION, DatasetPlan, image_labels, write_outputs
from .plan import make_chunks
from .shards import done_images, write_shards
from .sources import ModelSource, collect_models, images_per_model
from .split import PAPER_SPLIT
from .state import GenerateError, RunState
from .worker import ChunkResult, ChunkTask, init_worker, run_chunk, shutdown

__all__ = ["GenerateError", "GenerateOptions", "Summary", "generate"]


@dataclass
class GenerateOptions:
    """What to generate; see ``animeceleb generate --help`` for each option."""

    out: str | Path
    models_dir: str | Path | None = None  # None: the built-in sample characters
    samples: int = 8
    per_model: int | None = None  # poses per partition; None: the paper's 100/20 rule
    styles: Sequence[str] = tuple(s.code for s in STYLES)
    partitions: Sequence[str] = PARTITIONS
    seed: int = 0
    workers: int | None = None  # None: one per CPU
    size: int = 256
    split: tuple[int, int] = PAPER_SPLIT
    store: str | Path | None = None  # annotation store (default MODELS_DIR/annotations.json)
    inspect: bool = False  # propose missing annotations with image inspection
    device: str | None = None  # wgpu adapter name filter
    progress: bool = True
    contact_sheet: bool = True
    paired: bool = True  # frontal images are the rotated ones with zero head angles
    format: str = "folder"  # "folder": PNG files; "webdataset": tar shards
    shard_size: int = 1000  # images per WebDataset shard

    def checked(self) -> GenerateOptions:
        """A copy with styles as codes ("S1".."S4") and every value checked."""
        try:
            chosen = {get_style(s).code for s in self.styles}
        except ValueError as e:
            raise GenerateError(str(e)) from None
        # canonical order, so "S3,S1" resumes a dataset begun with "S1,S3"
        styles = tuple(s.code for s in STYLES if s.code in chosen)
        try:
            named = {layout.partition_name(p) for p in self.partitions}
        except ValueError:
            named = set()
        parts = tuple(p for p in PARTITIONS if p in named)
        if not parts:
            raise GenerateError(f"partitions are {', '.join(PARTITIONS)}; "
                                f"got {list(self.partitions)}")
        if self.format not in layout.FORMATS:
            raise GenerateError(f"--format is one of {', '.join(layout.FORMATS)}, "
                                f"got {self.format!r}")
        if self.shard_size < 1:
            raise GenerateError(f"--shard-size must be at least 1, got {self.shard_size}")
        if not styles:
            raise GenerateError("at least one style is needed")
        if self.per_model is not None and self.per_model < 1:
            raise GenerateError(f"--per-model must be at least 1, got {self.per_model}")
        if self.samples < 1:
            raise GenerateError(f"--samples must be at least 1, got {self.samples}")
        if self.workers is not None and self.workers < 1:
            raise GenerateError(f"--workers must be at least 1, got {self.workers}")
        if self.seed < 0:
            raise GenerateError(f"--seed must be a non-negative integer, got {self.seed}")
        if not 16 <= self.size <= 4096:
            raise GenerateError(f"--size must be in 16..4096, got {self.size}")
        return GenerateOptions(**{**self.__dict__, "styles": styles, "partitions": parts,
                                  "out": Path(self.out)})


@dataclass
class Summary:
    """What a run did."""

    out: Path
    images: int  # in the dataset
    rendered: int  # by this run
    identities: int
    skipped: dict[str, str] = field(default_factory=dict)  # model key -> why
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def images_per_second(self) -> float:
        return self.rendered / self.seconds if self.seconds > 0 else 0.0

    def report(self) -> str:
        lines = []
        if self.interrupted:
            lines.append(f"interrupted after {self.rendered} images in {self.seconds:.1f} s; "
                         f"run the same command again to finish {self.out}")
        else:
            lines.append(f"{self.images} images of {self.identities} identities in {self.out} "
                         f"({self.rendered} rendered now in {self.seconds:.1f} s, "
                         f"{self.images_per_second:.1f} images/s)")
        for key, why in self.skipped.items():
            lines.append(f"skipped {key}: {why}")
        return "\n".join(lines)


def _fingerprint(opts: GenerateOptions, sources: Sequence[ModelSource]) -> dict[str, Any]:
    models = []
    for s in sources:
        rec: dict[str, Any] = {"org_id": s.org_id, "key": s.key, "sha256": s.sha256}
        if s.skipped is None:
            rec["annotation_sha256"] = s.annotation_sha256
        else:
            rec["skipped"] = s.skipped
        models.append(rec)
    return {"format": FORMAT, "version": VERSION, "generator": __version__, "seed": opts.seed,
            "size": opts.size, "styles": list(opts.styles), "partitions": list(opts.partitions),
            "per_model": opts.per_model, "split": list(opts.split), "paired": opts.paired,
            "output_format": opts.format, "shard_size": _shard_size(opts), "models": models}


def _shard_size(opts: GenerateOptions) -> int | None:
    return opts.shard_size if opts.format == "webdataset" else None


def _options_record(opts: GenerateOptions) -> dict[str, Any]:
    return {"models_dir": None if opts.models_dir is None else str(opts.models_dir),
            "samples": opts.samples if opts.models_dir is None else None,
            "per_model": opts.per_model, "styles": list(opts.styles),
            "partitions": list(opts.partitions), "seed": opts.seed, "size": opts.size,
            "split": list(opts.split), "store": None if opts.store is None else str(opts.store),
            "inspect": opts.inspect, "paired": opts.paired, "format": opts.format,
            "shard_size": _shard_size(opts)}


def _tasks(plan: DatasetPlan, image_root: Path, tmp: Path,
           done: Callable[[str], bool]) -> list[ChunkTask]:
    """The chunks with images not yet done (an image is on disk whole or not at all)."""
    tasks = []
    for src in plan.used():
        for chunk in make_chunks(src.org_id, plan.counts[src.org_id], plan.partitions):
            todo = []
            for i in range(chunk.start, chunk.stop):
                missing = tuple(st for st in plan.styles if not done(
                    layout.image_relpath(chunk.partition, st, chunk.org_id, i)))
                if missing:
                    todo.append((i, missing))
            if todo:
                tasks.append(ChunkTask(chunk, src.key, str(src.path), src.sha256,
                                       src.annotation, plan.seed, plan.paired,
                                       str(image_root), str(tmp), tuple(todo)))
    return tasks


def _remove_images(image_root: Path, plan: DatasetPlan, org_id: int) -> None:
    """A model that failed while rendering leaves none of its images in the dataset."""
    for p in plan.partitions:
        for st in plan.styles:
            one = layout.image_relpath(p, st, org_id, 0)
            shutil.rmtree(image_root / one.rsplit("/", 1)[0], ignore_errors=True)


def _run_tasks(tasks: list[ChunkTask], opts: GenerateOptions,
               on_result: Callable[[ChunkResult], None]) -> bool:
    """Render every task; False when interrupted (Ctrl-C)."""
    workers = min(opts.workers or os.cpu_count() or 1, len(tasks))
    if workers <= 1:
        init_worker(opts.size, opts.device, in_process=True)
        try:
            for task in tasks:
                on_result(run_chunk(task))
        except KeyboardInterrupt:
            return False
        finally:
            shutdown()
        return True
    ctx = multiprocessing.get_context("spawn")  # a wgpu device must not be forked
    pool = ctx.Pool(workers, initializer=init_worker, initargs=(opts.size, opts.device))
    try:
        for result in pool.imap_unordered(run_chunk, tasks):
            on_result(result)
    except KeyboardInterrupt:
        pool.terminate()  # images are written atomically: stopping mid-way is safe
        pool.join()
        return False
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()
    return True


def generate(options: GenerateOptions,
             log: Callable[[str], None] | None = None) -> Summary:
    """Generate (or resume, or verify and complete) the dataset ``options`` describe."""
    from tqdm import tqdm

    opts = options.checked()
    out = Path(opts.out)
    say = log or (lambda msg: tqdm.write(msg, file=sys.stderr))
    if opts.models_dir is not None and not Path(opts.models_dir).is_dir():
        raise GenerateError(f"models folder {opts.models_dir} does not exist")
    try:
        sources = collect_models(opts.models_dir, opts.samples, opts.store, opts.inspect, say)
    except ValueError as e:
        raise GenerateError(str(e)) from e
    if not sources:
        raise GenerateError(f"no .pmx or .pmd files under {opts.models_dir}")
    for s in sources:
        if s.skipped is not None:
            say(f"skipping {s.key}: {s.skipped}")
    counts = {s.org_id: images_per_model(s.annotation, opts.per_model)
              for s in sources if s.skipped is None}
    if not counts:
        raise GenerateError("no model can be used (see the reasons above)")
    plan = DatasetPlan(sources, counts, tuple(opts.styles), tuple(opts.partitions), opts.seed,
                       opts.size, opts.split, _fingerprint(opts, sources), _options_record(opts),
                       opts.paired, opts.format, opts.shard_size)
    out.mkdir(parents=True, exist_ok=True)
    state = RunState(out)
    with state.locked():
        state.begin(plan.fingerprint)
        if opts.format == "webdataset":  # workers stage images; shards are written at the end
            image_root = state.stage
            done: Callable[[str], bool] = done_images(out, state.stage, plan).__contains__
        else:
            image_root = out
            done = lambda rel: (out / rel).is_file()  # noqa: E731
        tasks = _tasks(plan, image_root, state.tmp, done)
        total = len(plan.images())
        todo = sum(t.images for t in tasks)
        rendered = 0
        failed_keys: dict[str, str] = {}
        bar = tqdm(total=total, initial=total - todo, unit="img", desc="generate",
                   disable=not opts.progress, dynamic_ncols=True, file=sys.stderr)

        def on_result(r: ChunkResult) -> None:
            nonlocal rendered
            rendered += r.written
            bar.update(r.written)
            if r.error is not None and r.chunk.org_id not in plan.failed:
                plan.failed[r.chunk.org_id] = r.error
                failed_keys[r.model_key] = r.error
                say(f"skipping {r.model_key}: {r.error}")

        t0 = time.perf_counter()
        try:
            complete = _run_tasks(tasks, opts, on_result) if tasks else True
        finally:
            bar.close()
        seconds = time.perf_counter() - t0
        skipped = {s.key: s.skipped for s in sources if s.skipped is not None}
        skipped.update(failed_keys)
        summary = Summary(out, 0, rendered, 0, skipped, seconds, not complete)
        if not complete:
            return summary
        for org_id in plan.failed:
            _remove_images(image_root, plan, org_id)
        if not plan.used():
            raise GenerateError("no model could be rendered (see the reasons above)")
        labels = image_labels(plan)
        shards = None
        if opts.format == "webdataset":
            shards = write_shards(out, state.stage, state.tmp, plan, labels)
        manifest = write_outputs(out, plan, state.tmp, shards, labels)
        summary.images = manifest["counts"]["images"]
        summary.identities = manifest["counts"]["identities"]
        if opts.contact_sheet:
            from .contact_sheet import write_contact_sheet

            write_contact_sheet(out)
        state.finish()  # a model that failed is tried again by the next run all the same
    return summary
