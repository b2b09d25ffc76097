"""UJI Pen Characters: the 11 writers' files read, verified and split by writer; UNIPEN damage named."""

from __future__ import annotations

import io
import shutil
import zipfile

import numpy as np
import pytest

from digitpad.cli import main
from digitpad.data import pendigits, uji
from digitpad.errors import DatasetError


def test_the_eleven_writers_characters(uji_dir):
    characters = uji.load_uji(uji_dir)
    digits = uji.digits_of(characters)
    assert len(characters) == 1364 and len(digits) == 220
    assert sorted({c.writer for c in characters}) == list(range(1, 12))
    assert all(sum(1 for d in digits if d.writer == w and d.digit == k) == 2 for w in range(1, 12) for k in range(10))
    letters = {c.label for c in characters if c.digit is None}
    assert {"a", "Z", "o", "O"} <= letters and len(letters) == 52
    for c in characters:
        assert all(s.ndim == 2 and s.shape[1] == 2 and s.dtype == np.float32 and len(s) for s in c.strokes)
    one = next(d for d in digits if d.label == "1")
    assert one.strokes[0][:, 1].max() > one.strokes[0][:, 1].min()     # y down, screen pixels


def test_found_in_a_data_folder_beside_mnist(mnist_dir, uji_dir):
    assert uji.find_uji(mnist_dir) == uji_dir                  # ../shared/mnist → ../shared/uji
    assert pendigits.find_pendigits(mnist_dir) is not None     # ../shared/mnist → ../shared/pendigits


def test_writer_groups_are_fixed_and_disjoint():
    groups = uji.writer_groups()
    assert groups == {"train": (3, 4, 6, 8, 10, 11), "validation": (1, 2), "measure": (5, 7, 9)}
    assert sorted(w for g in groups.values() for w in g) == list(uji.WRITERS)


def test_an_altered_file_is_refused_naming_it(tmp_path, uji_dir):
    for path in uji_dir.glob("UJIpenchars-w*.txt"):
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / uji.file_name(4)
    target.write_bytes(target.read_bytes().replace(b" 557  844", b" 557  845", 1) + b"\n")
    with pytest.raises(DatasetError, match=r"UJIpenchars-w04\.txt is not UJI Pen Characters' writer 4 \(MD5 "):
        uji.load_uji(tmp_path)
    with pytest.raises(DatasetError, match=r"are not in .*uji/ folder"):
        uji.load_uji(tmp_path / "empty")


def test_a_damaged_segment_names_the_file_and_line():
    text = '.SEGMENT CHARACTER 0 ? "7"\n.PEN_DOWN\n 1 2\n 3 x\n.PEN_UP\n'
    with pytest.raises(DatasetError, match=r"^w.txt, line 4: expected a point 'x y'"):
        uji.parse_uji(text, 1, "w.txt")
    assert uji.parse_uji(text.replace(" 3 x", " 3 4"), 1, "w.txt")[0].label == "7"


def uci_zip(uji_dir, suffix: str = "", drop: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("uji.names", "UJIpenchars: A Pen-Based Classification Task\n")
        for writer in uji.WRITERS:
            if writer != drop:
                archive.writestr(f"UJIpenchars-w{writer:02d}{suffix}", (uji_dir / uji.file_name(writer)).read_bytes())
    return buffer.getvalue()


def test_download_from_uci_checks_every_writer_and_stores_atomically(server, tmp_path, uji_dir, capsys):
    root, base = server
    (root / "uci.zip").write_bytes(uci_zip(uji_dir))
    (root / "short.zip").write_bytes(uci_zip(uji_dir, drop=7))
    (root / "junk.zip").write_bytes(b"<html>moved</html>")
    dest = tmp_path / "data"
    with pytest.raises(DatasetError) as caught:
        uji.download_uji(dest, [f"{base}/missing.zip", f"{base}/junk.zip", f"{base}/short.zip"])
    message = str(caught.value)
    assert "missing.zip: HTTP 404" in message and "junk.zip: not a readable zip" in message
    assert "short.zip: the zip lacks writer 7's file" in message and "\n" not in message
    assert not dest.exists() or not any(dest.iterdir())          # nothing half-written
    assert uji.download_uji(dest, [f"{base}/uci.zip"]) == dest
    assert len(uji.load_uji(dest)) == 1364
    (root / "uci.zip").unlink()                                  # valid copies are kept, not fetched again
    assert uji.download_uji(dest, [f"{base}/uci.zip"]) == dest


def test_digitpad_download_uji_command(server, tmp_path, uji_dir, monkeypatch, capsys):
    root, base = server
    (root / "uci.zip").write_bytes(uci_zip(uji_dir, suffix=".txt"))
    monkeypatch.setattr(uji, "URLS", (f"{base}/uci.zip",))
    assert main(["download", "--uji", "--dir", str(tmp_path / "d")]) == 0
    assert uji.find_uji(tmp_path / "d") == tmp_path / "d" and "11 writers, verified" in capsys.readouterr().out
