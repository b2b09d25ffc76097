"""`digitpad predict` on real image files: MNIST test digits saved as pictures of other sizes and
polarities (a scan: dark ink on white paper; a screen: light ink on black), read by the shipped model."""

import numpy as np
from PIL import Image

from digitpad.cli import main
from digitpad.data import mnist


def test_predict_reads_digit_pictures_of_any_size_and_polarity(tmp_path, mnist_dir, capsys):
    images, labels = mnist.load_mnist("test", mnist_dir)
    paths, expected = [], []
    for i in range(12):
        picture = Image.fromarray(images[i]).resize((200 + 40 * i, 200 + 40 * i), Image.Resampling.BICUBIC)
        if i % 2:  # dark ink on light paper, saved as RGB JPEG
            picture = Image.fromarray(255 - np.asarray(picture)).convert("RGB")
            path = tmp_path / f"scan{i}.jpg"
        else:
            path = tmp_path / f"screen{i}.png"
        picture.save(path)
        paths.append(str(path))
        expected.append(int(labels[i]))
    assert main(["predict", "--model", "mlp", *paths]) == 0
    rows = capsys.readouterr().out.strip().splitlines()[1:]
    assert len(rows) == 12
    predicted = [int(row.split()[1]) for row in rows]
    probabilities = np.array([[float(v) for v in row.split()[2:12]] for row in rows])
    assert all(row.endswith(f"sure it is a {p}") or row.split()[-4] == "unsure:" for row, p in zip(rows, predicted))
    assert np.allclose(probabilities.sum(axis=1), 1, atol=0.01)
    assert sum(p == e for p, e in zip(predicted, expected)) >= 11, (predicted, expected)


def test_predict_says_when_a_picture_is_blank(tmp_path, capsys):
    blank = tmp_path / "blank.png"
    Image.new("L", (64, 64), 255).save(blank)
    assert main(["predict", "--model", "mlp", str(blank)]) == 1
    assert "no digit found" in capsys.readouterr().out


def _one(path):
    """A dark "1" on white paper, which every shipped reader reads."""
    picture = np.full((120, 90), 255, np.uint8)
    picture[15:105, 40:50] = 0
    Image.fromarray(picture).save(path)
    return path


def test_unreadable_files_are_reported_after_the_ones_read(tmp_path, capsys):
    """Issue 26, item 18 (was: the first bad file stopped the command, before any output): the files that
    can be read are printed, each one that cannot is one line on stderr naming it, and the exit status
    says that some could not be read."""
    good, good2 = _one(tmp_path / "good.png"), _one(tmp_path / "good2.png")
    bad = tmp_path / "bad.png"
    bad.write_text("my shopping list")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.png"
    status = main(["predict", "--model", "mlp", str(good), str(bad), str(good2), str(missing), str(empty)])
    out, err = capsys.readouterr()
    assert status == 2
    rows = out.splitlines()
    assert rows[0].split()[0] == "file" and [row.split()[0] for row in rows[1:]] == [str(good), str(good2)]
    assert all(row.split()[1] == "1" for row in rows[1:]), out
    assert err.splitlines() == [
        f"digitpad: error: {bad}: not an image, or in a format digitpad cannot read (it reads PNG, JPEG, GIF, "
        f"BMP, TIFF, WebP and other common formats)",
        f"digitpad: error: {missing}: no such file",
        f"digitpad: error: {empty}: the file is empty (0 bytes), not a picture",
    ]


def test_a_missing_picture_alone_is_one_error_line(tmp_path, capsys):
    """With nothing readable there is no table: the error is the only output."""
    assert main(["predict", "--model", "mlp", str(tmp_path / "missing.png")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == f"digitpad: error: {tmp_path / 'missing.png'}: no such file\n"


def test_an_empty_drawing_file_says_it_is_empty(tmp_path, capsys):
    empty = tmp_path / "drawing.json"
    empty.write_bytes(b"")
    assert main(["predict", "--model", "mlp", str(empty)]) == 2
    assert capsys.readouterr().err == f"digitpad: error: {empty}: the file is empty (0 bytes), not a saved drawing\n"


def test_a_blank_picture_among_good_ones_keeps_its_status(tmp_path, capsys):
    good, blank = _one(tmp_path / "good.png"), tmp_path / "blank.png"
    Image.new("L", (64, 64), 255).save(blank)
    assert main(["predict", "--model", "mlp", str(blank), str(good)]) == 1
    out, err = capsys.readouterr()
    assert err == "" and "no digit found" in out.splitlines()[1] and out.splitlines()[2].split()[1] == "1"


def test_the_columns_line_up_whatever_the_length_of_the_paths(tmp_path, capsys):
    """Issue 26, item 18: the file column is as wide as the longest name, so that the digit, the ten
    probabilities and the verdict start at the same column on every row, under their headings."""
    deep = tmp_path / ("a-folder-with-a-long-name" * 3) / "and-another-one"
    deep.mkdir(parents=True)
    names = [_one(tmp_path / "1.png"), _one(deep / "a-picture-of-a-digit-with-a-long-name.png"),
             _one(tmp_path / "medium-name.png")]
    assert main(["predict", "--model", "mlp", *map(str, names)]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    width = max(len(str(name)) for name in names)
    assert header.startswith("file" + " " * (width - 4) + " digit  ")
    for name, row in zip(names, rows):
        assert row[:width] == str(name).ljust(width) and row[width] == " "
        assert row[width + 1:width + 6].strip() == "1"                        # right-aligned under "digit"
        starts = [width + 8 + 7 * d for d in range(10)]
        assert [row[p:p + 5] for p in starts] == [f"{float(row[p:p + 5]):5.3f}" for p in starts]
        assert [header[p + 2] for p in starts] == [str(d) for d in range(10)]  # each heading over its column
        assert row[starts[-1] + 5:starts[-1] + 7] == "  " and header[starts[-1] + 7:] == "verdict"
        assert row.endswith("sure it is a 1") or "unsure" in row
