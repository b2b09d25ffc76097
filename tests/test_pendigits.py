"""Real pen digits (UCI pendigits, 30 writers): the UNIPEN reader on the real file and on damaged
copies, the writer groups, and the download from a local server."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from digitpad.cli import main
from digitpad.data import pendigits
from digitpad.errors import DatasetError


@pytest.fixture(scope="session")
def pendigits_file(pendigits_dir) -> Path:
    return pendigits_dir / pendigits.FILE_NAME


@pytest.fixture(scope="session")
def digits(pendigits_file):
    return pendigits.load_pendigits(pendigits_file.parent)


def test_the_real_file_reads_as_source_md_describes_it(digits):
    assert len(digits) == 7494
    assert tuple(Counter(d.label for d in digits)[k] for k in range(10)) == pendigits.CLASS_COUNTS
    per_writer = Counter(d.writer for d in digits)
    assert sorted(per_writer) == list(pendigits.WRITERS) and 200 <= min(per_writer.values()) <= max(per_writer.values()) <= 300
    assert sum(len(d.strokes) for d in digits) == 9433 and max(len(d.strokes) for d in digits) == 3
    points = np.concatenate([s for d in digits for s in d.strokes])
    assert points.dtype == np.float32 and points.shape[1] == 2
    assert points[:, 0].min() == 44 and points[:, 0].max() == 439
    # y grows upward in the file (12..449): flipped to the screen convention, y down
    assert points[:, 1].min() == pendigits.TABLET_HEIGHT - 449 and points[:, 1].max() == pendigits.TABLET_HEIGHT - 12
    lengths = sorted(sum(len(s) for s in d.strokes) for d in digits)
    assert lengths[0] == 9 and lengths[-1] == 185 and lengths[len(lengths) // 2] == 39


def test_a_one_is_drawn_top_to_bottom_in_screen_coordinates(digits):
    """Most people write a 1 from the top: in screen coordinates its first point is above its last."""
    ones = [d for d in digits if d.label == 1 and len(d.strokes) == 1]
    downward = np.mean([d.strokes[0][0, 1] < d.strokes[0][-1, 1] for d in ones])
    assert downward > 0.9


def test_writer_groups_are_disjoint_and_cover_everyone(digits):
    groups = pendigits.writer_groups()
    assert [len(groups[g]) for g in ("train", "validation", "measure")] == [20, 4, 6]
    everyone = [w for g in groups.values() for w in g]
    assert sorted(everyone) == list(pendigits.WRITERS)
    assert groups == pendigits.writer_groups()     # fixed
    measured = pendigits.of_writers(digits, groups["measure"])
    trained = pendigits.of_writers(digits, groups["train"])
    assert not {d.writer for d in measured} & {d.writer for d in trained}
    assert 1300 <= len(measured) <= 1700


SAMPLE = """.INCLUDE dene.doc
.LEXICON "0" "1" "2" "3" "4" "5" "6" "7" "8" "9"

.SEGMENT DIGIT    0 ? "1"
.COMMENT 1 7  3
.PEN_DOWN
 100  400
 100  300
.PEN_UP
.DT 100
.SEGMENT DIGIT    1 ? "7"
.COMMENT 7 7  4
.PEN_DOWN
 10  400
 90  400
 40  300
.PEN_UP
.PEN_DOWN
 30  350
 70  350
.PEN_UP
"""


def test_parse_a_small_unipen_text():
    one, seven = pendigits.parse_unipen(SAMPLE)
    assert (one.label, one.writer, seven.label, seven.writer) == (1, 7, 7, 7)
    np.testing.assert_array_equal(one.strokes[0], [[100, 100], [100, 200]])
    assert [len(s) for s in seven.strokes] == [3, 2]


@pytest.mark.parametrize("damage, line, message", [
    (lambda t: t.replace(" 100  300", " 100  3x0"), 8, "expected a point 'x y'"),
    (lambda t: t.replace('.SEGMENT DIGIT    1 ? "7"', ".SEGMENT DIGIT 1 ? 7"), 11, "malformed .SEGMENT"),
    (lambda t: t.replace(".COMMENT 7 7  4", ".COMMENT 3 7  4"), 12, "expected '.COMMENT 7"),
    (lambda t: t.replace(".COMMENT 1 7  3\n", ""), 4, "no .COMMENT line"),
    (lambda t: t.rsplit(".PEN_UP", 1)[0], 18, "has no .PEN_UP"),
    (lambda t: t.replace(".PEN_UP\n.DT 100", ".DT 100", 1), 6, "has no .PEN_UP"),
    (lambda t: t.replace(".PEN_UP\n.PEN_DOWN", ".PEN_DOWN", 1), 17, "inside a stroke"),
    (lambda t: t.replace(".DT 100", " 5 5"), 10, "a point outside a stroke"),
])
def test_a_damaged_file_names_the_file_and_the_line(damage, line, message):
    with pytest.raises(DatasetError) as caught:
        pendigits.parse_unipen(damage(SAMPLE), "digits.tra")
    text = str(caught.value)
    assert text.startswith(f"digits.tra, line {line}: ") and message in text and "\n" not in text


def test_a_foreign_or_altered_file_is_refused_by_its_checksum(tmp_path, pendigits_file, monkeypatch):
    from digitpad.data import mnist

    monkeypatch.setattr(mnist, "project_data_dir", lambda: None)       # only the folders given here
    monkeypatch.setattr(mnist, "user_cache_dir", lambda: tmp_path / "cache")
    monkeypatch.delenv("DIGITPAD_DATA_DIR", raising=False)
    copy = tmp_path / pendigits.FILE_NAME
    raw = bytearray(pendigits_file.read_bytes())
    raw[5000] ^= 1
    copy.write_bytes(bytes(raw))
    with pytest.raises(DatasetError, match=r"is not UCI's pendigits-orig\.tra .* run `digitpad download --pendigits`"):
        pendigits.load_pendigits(tmp_path)
    with pytest.raises(DatasetError, match="not in .*digitpad download --pendigits"):
        pendigits.load_pendigits(tmp_path / "empty")


def lzw_compress(data: bytes) -> bytes:
    """Unix ``compress`` (.Z, 16-bit codes, block mode) for the test's server: the product only reads it."""
    import ncompress

    return ncompress.compress(data)


def uci_zip(content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("pendigits.names", "Pen-Based Recognition of Handwritten Digits\n")
        archive.writestr("pendigits-orig.tra.Z", lzw_compress(content))
    return buffer.getvalue()


def test_download_from_uci_zip_checks_and_stores_atomically(server, tmp_path, pendigits_file, capsys):
    root, base = server
    (root / "uci.zip").write_bytes(uci_zip(pendigits_file.read_bytes()))
    (root / "altered.zip").write_bytes(uci_zip(pendigits_file.read_bytes()[:-10]))
    (root / "junk.zip").write_bytes(b"<html>moved</html>")
    dest = tmp_path / "data"
    with pytest.raises(DatasetError) as caught:
        pendigits.download_pendigits(dest, [f"{base}/missing.zip", f"{base}/junk.zip", f"{base}/altered.zip"])
    message = str(caught.value)
    assert "missing.zip: HTTP 404" in message and "junk.zip: not a readable zip" in message
    assert "altered.zip: " in message and "expected 3,641,673 bytes" in message
    assert not dest.exists() or not any(dest.iterdir())          # nothing half-written
    path = pendigits.download_pendigits(dest, [f"{base}/missing.zip", f"{base}/uci.zip"])
    assert path == dest / pendigits.FILE_NAME and path.read_bytes() == pendigits_file.read_bytes()
    assert len(pendigits.load_pendigits(dest)) == 7494
    (root / "uci.zip").unlink()                                  # a valid copy is kept, not fetched again
    assert pendigits.download_pendigits(dest, [f"{base}/uci.zip"]) == path


def test_digitpad_download_pendigits_command(server, tmp_path, pendigits_file, monkeypatch, capsys):
    root, base = server
    (root / "uci.zip").write_bytes(uci_zip(pendigits_file.read_bytes()))
    monkeypatch.setattr(pendigits, "URLS", (f"{base}/uci.zip",))
    assert main(["download", "--pendigits", "--dir", str(tmp_path / "d")]) == 0
    assert (tmp_path / "d" / pendigits.FILE_NAME).read_bytes() == pendigits_file.read_bytes()
    assert "pendigits-orig.tra" in capsys.readouterr().out
