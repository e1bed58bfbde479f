"""Bad input gives animeceleb.PmxError (a ValueError) naming where it went wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

import animeceleb as ac
from conftest import SHARED

SMALLEST = min((p for _, p, _ in SHARED), key=lambda p: p.stat().st_size)


def test_pmx_error_is_a_value_error() -> None:
    assert issubclass(ac.PmxError, ValueError)


def test_bad_magic() -> None:
    with pytest.raises(ac.PmxError) as e:
        ac.parse_bytes(b"NOPE" + bytes(100))
    assert e.value.kind == "bad_magic"
    assert e.value.section == "header"
    assert e.value.offset == 0


def test_count_larger_than_the_bytes_left_fails_before_reading_items() -> None:
    data = SMALLEST.read_bytes()
    cut = len(data) // 2
    with pytest.raises(ac.PmxError) as e:
        ac.parse_bytes(data[:cut])
    err = e.value
    assert err.kind == "truncated"
    assert err.section == "vertices"
    assert err.item is None  # the count itself is refused, nothing was allocated
    assert 0 < err.offset < cut
    assert "vertex count" in str(err)


def test_cut_inside_the_last_item_names_it() -> None:
    data = SMALLEST.read_bytes()
    m = ac.parse_bytes(data)
    with pytest.raises(ac.PmxError) as e:
        ac.parse_bytes(data[:-10])
    err = e.value
    assert (err.kind, err.section, err.item) == ("truncated", "joints", len(m.joints) - 1)
    assert len(data) - 10 - 12 <= err.offset <= len(data) - 10
    assert "joints[" in str(err)


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ac.PmxError) as e:
        ac.load_model(tmp_path / "absent.pmx")
    assert e.value.kind == "io"


def test_unknown_morph_and_bone_names() -> None:
    m = ac.load_model(SMALLEST)
    p = m.poser()
    with pytest.raises(KeyError):
        p.set_morph("no such morph", 1.0)
    with pytest.raises(KeyError):
        p.set_bone_rotation("no such bone", 0, 0, 0)
    with pytest.raises(IndexError):
        p.set_morph(len(m.morphs), 1.0)
