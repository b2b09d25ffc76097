"""The reader reads the strokes too: the shipped CNN and stroke model combined as documented, pictures by
the image network alone, and held-out writers' digits (one set per handwriting convention) above a floor."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.reading.calibration import Calibration

from digitpad.data import pendigits
from digitpad.data.conventions import CONVENTIONS, continental_one, crossed_seven, slashed_zero
from digitpad.drawing.strokes import Drawing
from digitpad.drawing.trajectory import TRAJECTORY_SHAPE
from digitpad.errors import ImageError, ModelFileError
from digitpad.evaluation.held_out import choose_stroke_weight, held_out_sets, read_sets, reading_rows
from digitpad.reading.reader import NO_STROKES_TEXT, Reader, combine, trajectory_of
from digitpad.reading.store import list_models, shipped_dir, stroke_weight_of


@pytest.fixture(scope="module")
def default():
    return Reader.default()


def test_the_combination_is_the_weighted_product_renormalised():
    image = np.array([0.6, 0.3, 0.1] + [0.0] * 7, np.float32)
    strokes = np.array([0.2, 0.6, 0.2] + [0.0] * 7, np.float32)
    for w in (0.0, 0.25, 0.5, 1.0):
        expected = image[:3] ** (1 - w) * strokes[:3] ** w
        expected /= expected.sum()
        p = combine(image, strokes, w)
        np.testing.assert_allclose(p[:3], expected, rtol=1e-5)
        assert p.dtype == np.float32 and p.sum() == pytest.approx(1.0) and p[3:].max() < 1e-20
    np.testing.assert_array_equal(combine(image, None, 0.5), image)       # no strokes: the image alone
    both = combine(np.stack([image, strokes]), np.stack([strokes, image]), 0.5)
    np.testing.assert_allclose(both[0], both[1], rtol=1e-6)               # equal weights: symmetric, row by row


def test_the_default_reader_is_the_shipped_cnn_and_stroke_model(default):
    assert default.kind == "both" and default.name == "cnn+strokes"
    assert default.paths == (shipped_dir() / "cnn.npz", shipped_dir() / "strokes.npz")
    assert default.stroke_weight == stroke_weight_of(default.strokes) and 0 < default.stroke_weight < 1
    assert default.strokes.input_shape == TRAJECTORY_SHAPE
    assert {e.name: e.reads for e in list_models() if e.kind == "shipped"} == {"cnn": "image", "mlp": "image",
                                                                               "strokes": "strokes"}


def test_a_drawing_is_read_combined_and_a_picture_by_the_image_network_alone(default, pendigits_dir):
    image_only, strokes_only = Reader(default.model), Reader(None, strokes=default.strokes)
    plain = dict.fromkeys(("image", "strokes", "both"), Calibration())     # temperature 1: the models' own
    digits = pendigits.load_pendigits(pendigits_dir)[:40]
    drawings = [Drawing(list(d.strokes), 8, 500) for d in digits]
    expected = combine(Reader(default.model, calibrations=plain).probabilities(drawings),
                       Reader(None, strokes=default.strokes, calibrations=plain).probabilities(drawings),
                       default.stroke_weight, default.calibrations["both"].temperature)
    np.testing.assert_allclose(default.probabilities(drawings), expected, rtol=1e-5, atol=1e-7)
    picture = Drawing.from_picture(np.pad(np.full((20, 5), 255, np.uint8), 8))
    np.testing.assert_array_equal(default.probabilities([picture]), image_only.probabilities([picture]))
    answer = strokes_only.read([picture, drawings[0]])
    assert answer[0].digit is None and answer[0].text == NO_STROKES_TEXT and answer[1].digit == digits[0].label
    with pytest.raises(ImageError, match="item 0 has no strokes"):
        strokes_only.probabilities([picture])


def test_load_joins_one_image_network_and_one_stroke_model(default):
    assert Reader.load("strokes+cnn").paths == default.paths                  # either order
    assert Reader.load(["mlp", shipped_dir() / "strokes.npz"]).name == "mlp+strokes"
    assert Reader.load("strokes").kind == "strokes" and Reader.load("cnn").kind == "image"
    with pytest.raises(ModelFileError, match="joins two image models"):
        Reader.load("cnn+mlp")
    with pytest.raises(ModelFileError, match="no model named 'nope'"):
        Reader.load("cnn+nope")


def test_the_stroke_weight_is_chosen_so_that_no_set_reads_worse():
    labels = np.array([0, 1, 2, 3])
    eye = np.eye(10, dtype=np.float32)[[0, 1, 2, 3]]
    wrong = np.eye(10, dtype=np.float32)[[0, 1, 2, 5]] * 0.9 + 0.01
    from digitpad.evaluation.held_out import SetReading

    # the stroke model is right where the image network is wrong in one set, wrong in another: any weight that
    # costs the second set is refused
    readings = {"a": SetReading(labels, wrong, eye), "b": SetReading(labels, eye, wrong * 0.6 + 0.04)}
    weight, means = choose_stroke_weight(readings)
    assert readings["b"].accuracy(weight) == 1.0 and readings["a"].accuracy(weight) == 1.0
    assert set(means) == {round(w, 2) for w in np.linspace(0, 1, 21)}


def test_the_conventions_the_picture_cannot_settle_are_read_from_the_pen(default, pendigits_dir):
    """Continental 1s, crossed 7s and slashed 0s of the measurement writers, drawn that way: the combined
    reader reads them (the CNN alone misreads some slashed zeros as 8s)."""
    digits = pendigits.of_writers(pendigits.load_pendigits(pendigits_dir), pendigits.writer_groups()["measure"])
    rng = np.random.default_rng(3)
    for draw, label in ((continental_one, 1), (crossed_seven, 7), (slashed_zero, 0)):
        drawings = [Drawing(draw(list(d.strokes), rng), 8, 500) for d in digits if d.label == label][:60]
        read = default.probabilities(drawings).argmax(axis=1)
        assert np.mean(read == label) >= 0.98, (draw.__name__, np.bincount(read, minlength=10))


def test_held_out_writers_and_every_convention_read_above_a_floor(default, mnist_dir):
    sets = held_out_sets("measure", traced=300, data_dir=mnist_dir)
    assert set(CONVENTIONS) <= set(sets) and {"pendigits", "uji", "traced MNIST"} <= set(sets)
    table = reading_rows(read_sets(sets, default.model, default.strokes), default.stroke_weight)
    assert table["pendigits"]["digits"] > 1400 and table["uji"]["digits"] == 60
    assert table["pendigits"]["combined"] >= 0.995 and table["uji"]["combined"] >= 0.98
    assert table["pendigits"]["combined"] > table["pendigits"]["image"]              # the strokes help
    assert table["1s of the writers (as written)"]["combined"] >= 0.99
    for name in CONVENTIONS:
        assert table[name]["combined"] >= 0.97, (name, table[name])
    assert table["traced MNIST"]["combined"] >= table["traced MNIST"]["image"] - 0.01


def test_the_stroke_model_exports_to_onnx_and_reads_the_same_from_it(default, tmp_path, pendigits_dir):
    import onnxruntime as ort

    from digitpad.cli import main

    out = tmp_path / "strokes.onnx"
    assert main(["export", "strokes", "--onnx", str(out)]) == 0
    digits = pendigits.load_pendigits(pendigits_dir)[:50]
    drawings = [Drawing(list(d.strokes), 8, 500) for d in digits]
    x = np.stack([trajectory_of(d) for d in drawings])
    session = ort.InferenceSession(str(out))
    (probabilities,) = session.run(None, {session.get_inputs()[0].name: x})
    np.testing.assert_allclose(probabilities, default.strokes.predict_proba(x), atol=1e-5)
    from_onnx = Reader.load(["cnn", out])
    assert from_onnx.kind == "both" and from_onnx.stroke_weight == default.stroke_weight
    np.testing.assert_allclose(from_onnx.probabilities(drawings), default.probabilities(drawings), atol=1e-5)


def test_inputs_made_once_read_by_several_readers_give_the_same_answers(default, pendigits_dir):
    from digitpad.reading.reader import inputs_of

    drawings = [Drawing(list(d.strokes), 8, 500) for d in pendigits.load_pendigits(pendigits_dir)[:8]]
    items = [*drawings, Drawing([], 8, 128), Drawing.from_picture(np.pad(np.full((20, 5), 255, np.uint8), 8))]
    inputs = inputs_of(items, "strokes")
    for reader in (default, Reader(default.model), Reader(None, strokes=default.strokes)):
        shared, alone = reader.read(items, "strokes", inputs), reader.read(items, "strokes")
        assert [a.text for a in shared] == [a.text for a in alone]
        for a, b in zip(shared, alone):
            assert (a.probabilities is None and b.probabilities is None) or np.array_equal(a.probabilities, b.probabilities)
