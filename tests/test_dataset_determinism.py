"""Same models, annotations, options and seed: the same files, byte for byte, whatever the
number of workers; another seed: other poses."""

from __future__ import annotations

from pathlib import Path

from _dataset import files, run
from animeceleb.dataset import layout


def test_two_runs_give_identical_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    run(a, workers=1)
    run(b, workers=2)
    fa, fb = files(a), files(b)
    assert sorted(fa) == sorted(fb)
    assert sum(k.endswith(".png") and "/" in k for k in fa) == 48
    for name in fa:
        assert fa[name] == fb[name], name  # labels, manifest, PNG bytes, contact sheet


def test_rerun_of_a_finished_dataset_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    run(out, styles=["S3"], partitions=["frontal"])
    before = files(out)
    summary, _ = run(out, styles=["S3"], partitions=["frontal"])
    assert summary.rendered == 0 and summary.images == 6
    assert files(out) == before


def test_a_deleted_image_is_rendered_again(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    run(out, styles=["S3"], partitions=["frontal"])
    before = files(out)
    victim = out / layout.image_relpath("frontal", "S3", 1, 2)
    victim.unlink()
    summary, _ = run(out, styles=["S3"], partitions=["frontal"])
    assert summary.rendered == 1
    assert files(out) == before


def test_another_seed_gives_other_poses(tmp_path: Path) -> None:
    run(tmp_path / "a", styles=["S3"], partitions=["rotated"])
    run(tmp_path / "b", styles=["S3"], partitions=["rotated"], seed=8)
    la = (tmp_path / "a" / layout.LABELS).read_text().splitlines()
    lb = (tmp_path / "b" / layout.LABELS).read_text().splitlines()
    assert la[0] == lb[0] and len(la) == len(lb)
    assert all(x != y for x, y in zip(la[1:], lb[1:], strict=True))
