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


def test_a_missing_picture_is_the_only_output(tmp_path, mnist_dir, capsys):
    """The error comes before anything else: no table header above it."""
    good = tmp_path / "seven.png"
    Image.new("L", (64, 64), 0).save(good)
    assert main(["predict", "--model", "mlp", str(good), str(tmp_path / "missing.png")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == f"digitpad: error: {tmp_path / 'missing.png'}: no such file\n"
