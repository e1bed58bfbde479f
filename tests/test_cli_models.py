"""`animeceleb models DIR`: one row per model that fits a terminal; errors listed below it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from animeceleb.cli import main
from animeceleb.sample import sample_model_path


def test_broken_file_does_not_widen_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = Path(sample_model_path(0))
    shutil.copy(good, tmp_path / "a_good.pmx")
    # A file cut in the middle of its vertex section: a long PmxError message.
    (tmp_path / "b_broken.pmx").write_bytes(good.read_bytes()[:4000])

    assert main(["models", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()

    table = out[: out.index("")]
    assert [line.split()[0] for line in table] == ["model", "a_good.pmx", "b_broken.pmx"]
    assert table[2].split()[1:] == ["ERROR"] + ["-"] * 7
    assert max(len(line) for line in table) <= 80
    assert out[out.index("") + 1] == "errors:"
    message = out[out.index("") + 2]
    assert message.startswith("  b_broken.pmx: ")
    assert message.startswith("  b_broken.pmx: vertices at byte ")
