"""Tests for digitpad.atomic: all-or-nothing file replacement."""

from __future__ import annotations

import os
import stat

import pytest

from digitpad.atomic import PART_MARKER, atomic_write, atomic_write_bytes, atomic_write_text


def test_write_bytes_creates_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "model.npz"
    atomic_write_bytes(target, b"\x00\x01payload")
    assert target.read_bytes() == b"\x00\x01payload"
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


def test_write_text_is_utf8_and_keeps_newlines(tmp_path):
    target = tmp_path / "notes.txt"
    atomic_write_text(target, "größe\r\nzwei\n")
    assert target.read_bytes() == "größe\r\nzwei\n".encode()


def test_replaces_existing_file(tmp_path):
    target = tmp_path / "f.bin"
    target.write_bytes(b"old")
    atomic_write_bytes(target, b"new contents")
    assert target.read_bytes() == b"new contents"


def test_data_goes_to_part_file_in_same_directory_until_the_end(tmp_path):
    target = tmp_path / "f.bin"
    target.write_bytes(b"old")
    with atomic_write(target) as handle:
        handle.write(b"new")
        handle.flush()
        parts = [p for p in tmp_path.iterdir() if p.name.startswith("f.bin" + PART_MARKER)]
        assert len(parts) == 1 and parts[0].read_bytes() == b"new"
        assert target.read_bytes() == b"old"
    assert target.read_bytes() == b"new"
    assert not parts[0].exists()


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_exception_keeps_old_file_and_removes_temp(tmp_path, error):
    target = tmp_path / "f.bin"
    target.write_bytes(b"old")
    with pytest.raises(type(error)):
        with atomic_write(target) as handle:
            handle.write(b"half")
            raise error
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_exception_without_previous_file_creates_nothing(tmp_path):
    with pytest.raises(ValueError):
        with atomic_write(tmp_path / "new.txt", "w") as handle:
            handle.write("x")
            raise ValueError
    assert list(tmp_path.iterdir()) == []


def test_text_mode_and_encoding(tmp_path):
    target = tmp_path / "latin.txt"
    with atomic_write(target, "w", encoding="latin-1") as handle:
        handle.write("é")
    assert target.read_bytes() == b"\xe9"


def test_bad_mode_rejected(tmp_path):
    with pytest.raises(ValueError, match="mode"):
        with atomic_write(tmp_path / "f", "ab"):
            pass
    assert list(tmp_path.iterdir()) == []


def test_unknown_encoding_leaves_nothing(tmp_path):
    with pytest.raises(LookupError):
        with atomic_write(tmp_path / "f.txt", "w", encoding="no-such-codec"):
            pass
    assert list(tmp_path.iterdir()) == []


def test_missing_directory_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        atomic_write_bytes(tmp_path / "missing" / "f.bin", b"x")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_permissions_follow_umask(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "f.bin", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "f.bin").stat().st_mode) == 0o644
