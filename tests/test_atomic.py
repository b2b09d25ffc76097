"""Tests for digitpad.atomic: all-or-nothing file replacement."""

from __future__ import annotations

import os
import stat
import time

import pytest

from digitpad.atomic import PART_MARKER, atomic_write, atomic_write_bytes, atomic_write_text, output_path
from digitpad.errors import OutputFileError


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


def test_missing_directory_is_refused_in_one_line(tmp_path):
    with pytest.raises(OutputFileError, match=r"missing/f\.bin: the folder .*missing does not exist"):
        atomic_write_bytes(tmp_path / "missing" / "f.bin", b"x")
    assert not (tmp_path / "missing").exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX symlinks and FIFOs")
def test_symlink_is_written_through_to_its_target(tmp_path):
    real = tmp_path / "real" / "model.npz"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "link.npz"
    link.symlink_to(real)
    atomic_write_bytes(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert sorted(p.name for p in real.parent.iterdir()) == ["model.npz"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX symlinks")
def test_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.npz"
    link.symlink_to(tmp_path / "new.npz")
    atomic_write_bytes(link, b"new")
    assert link.is_symlink() and (tmp_path / "new.npz").read_bytes() == b"new"


@pytest.mark.skipif(os.name != "posix", reason="POSIX FIFOs")
def test_non_regular_targets_are_refused_and_left_alone(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputFileError, match=r"pipe: is not a regular file; digitpad does not replace it"):
        atomic_write_bytes(fifo, b"x")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    with pytest.raises(OutputFileError, match=r"null: is not a regular file"):
        output_path("/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    with pytest.raises(OutputFileError, match="is a folder"):
        atomic_write_bytes(tmp_path, b"x")
    (tmp_path / "link").symlink_to(fifo)
    with pytest.raises(OutputFileError, match="is not a regular file"):
        atomic_write_bytes(tmp_path / "link", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "pipe"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_replacing_keeps_the_permission_bits(tmp_path):
    target = tmp_path / "secret.json"
    target.write_bytes(b"old")
    target.chmod(0o600)
    atomic_write_bytes(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.read_bytes() == b"new"


def test_stale_temporaries_of_ours_are_removed_on_the_next_save(tmp_path):
    old = tmp_path / "m.npz.part-0123abcd"
    fresh = tmp_path / "m.card.json.part-89abcdef"
    foreign = tmp_path / "notes.part-xyz"
    for path in (old, fresh, foreign):
        path.write_bytes(b"left by a killed process")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    os.utime(foreign, (hour_ago, hour_ago))
    atomic_write_bytes(tmp_path / "other.bin", b"x")
    assert not old.exists()
    assert fresh.exists() and foreign.exists()  # a save in progress elsewhere; not our naming


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_permissions_follow_umask(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "f.bin", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "f.bin").stat().st_mode) == 0o644
