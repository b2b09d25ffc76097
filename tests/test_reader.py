"""The reading seam: `Drawing` → `Reader` → `Answer`, and the README's snippet run on real digits."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from digitpad.reading.calibration import Calibration
from PIL import Image

import digitpad
from digitpad import nn
from digitpad.data import mnist, pendigits
from digitpad.drawing.network_input import drawing_to_input, to_model_input
from digitpad.drawing.strokes import Drawing
from digitpad.errors import ImageError, ModelFileError
from digitpad.reading.reader import Answer, Reader, combine, input_of
from digitpad.reading.store import default_model_path, shipped_dir

README = Path(__file__).resolve().parents[1] / "README.md"


def probs(**values):
    p = np.zeros(10)
    for key, value in values.items():
        p[int(key[1:])] = value
    p[p == 0] = (1 - p.sum()) / max((p == 0).sum(), 1)
    return p


def seven(size=128):
    return [np.array([(size * 0.3, size * 0.2), (size * 0.7, size * 0.2), (size * 0.45, size * 0.85)])]


@pytest.fixture(scope="module")
def cnn():
    return Reader.load(shipped_dir() / "cnn.npz")


@pytest.fixture
def no_user_models(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITPAD_MODELS_DIR", str(tmp_path / "no-models"))


# --- the answer ----------------------------------------------------------------------------------------
# (the verdict rules, tested here since they moved from the app's verdict to Answer)


def test_empty_drawing_asks_for_a_digit():
    said = Answer.from_probabilities(None)
    assert said.text == "draw a digit" and said.digit is None
    assert said.probabilities is None and said.runner_up is None and not said.unsure


def test_confident_prediction():
    said = Answer.from_probabilities(probs(d7=0.97))
    assert said.digit == 7 and not said.unsure and "7" in said.text
    assert said.text == "97% sure it is a 7"
    assert said.probabilities.dtype == np.float32 and said.probabilities.shape == (10,)
    assert not said.probabilities.flags.writeable


def test_close_runner_up_is_unsure():
    said = Answer.from_probabilities(probs(d3=0.55, d8=0.4))
    assert said.unsure and said.text == "unsure: 3 or 8" and said.runner_up == 8


def test_sure_only_from_the_calibrated_threshold_whatever_the_runner_up():
    """One rule, measured (`digitpad.reading.calibration.sure_threshold`): under `sure_above` the answer
    is "unsure: a or b", the runner-up named, a confusable one or not."""
    assert Answer.from_probabilities(probs(d1=0.85, d7=0.12)).text == "unsure: 1 or 7"
    assert Answer.from_probabilities(probs(d1=0.85, d2=0.12)).text == "unsure: 1 or 2"
    assert Answer.from_probabilities(probs(d1=0.85, d2=0.12), calibration=Calibration(sure_above=0.8)).text \
        == "85% sure it is a 1"
    assert Answer.from_probabilities(probs(d4=0.969, d9=0.02)).unsure          # the default: 0.97
    assert not Answer.from_probabilities(probs(d4=0.97, d9=0.02)).unsure


def test_equal_probabilities_answer_the_first_digit_as_argmax_does():
    said = Answer.from_probabilities(np.full(10, 0.1))
    assert said.digit == 0 and said.runner_up == 1 and said.unsure


# --- what the network sees of an item --------------------------------------------------------------------


def test_a_drawing_is_seen_through_drawing_to_input_in_the_chosen_mode():
    d = Drawing(seven(), canvas_size=128, pen_width=8)
    for mode in ("strokes", "image", "raw"):
        assert np.array_equal(input_of(d, mode), drawing_to_input(d.strokes, 8, 128, mode))
    assert input_of(Drawing([], 8, 128)) is None
    with pytest.raises(ValueError, match="mode"):
        input_of(d, "pixels")


def test_a_picture_is_a_drawing_without_strokes_holding_its_input(tmp_path):
    paper = np.full((120, 90), 255, np.uint8)
    paper[20:100, 40:50] = 0                                   # a dark "1" on white paper
    Image.fromarray(paper).save(tmp_path / "one.png")
    picture = Drawing.from_image(tmp_path / "one.png")
    assert picture.strokes == [] and not picture.is_empty() and picture.image.shape == (28, 28)
    for mode in ("strokes", "image", "raw"):                  # a picture has no pen to choose
        assert input_of(picture, mode) is picture.image
    Image.fromarray(np.full((40, 40), 255, np.uint8)).save(tmp_path / "blank.png")
    assert Drawing.from_image(tmp_path / "blank.png").is_empty()
    with pytest.raises(ImageError, match="missing.png"):
        Drawing.from_image(tmp_path / "missing.png")
    with pytest.raises(ValueError, match="picture"):
        picture.to_json()


def test_a_28x28_digit_is_taken_as_it_is():
    digit = np.zeros((28, 28), np.uint8)
    digit[4:24, 12:16] = 255
    assert np.array_equal(input_of(digit), to_model_input(digit)[0, 0])
    with pytest.raises(ImageError, match="one 28x28 digit"):
        input_of(np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(ImageError, match="28x28"):
        input_of(np.zeros((20, 20)))


# --- reading -------------------------------------------------------------------------------------------


def test_items_are_read_in_one_batch_with_empty_drawings_answered(cnn, monkeypatch):
    drawing = Drawing(seven(), canvas_size=128, pen_width=8)
    digit = drawing_to_input(drawing.strokes, 8, 128)
    items = [drawing, Drawing([], 8, 128), digit, Drawing([], 1, 28, image=digit)]
    calls = []
    predict_proba = cnn.model.predict_proba
    monkeypatch.setattr(cnn.model, "predict_proba", lambda x: calls.append(len(x)) or predict_proba(x))
    answers = cnn.read(items)
    assert calls == [3]                                        # one call, the empty drawing left out
    assert [a.digit for a in answers] == [7, None, 7, 7] and answers[1].text == "draw a digit"
    expected = combine(predict_proba(to_model_input([digit]))[0], None, 0.0, cnn.calibrations["image"].temperature)
    for answer in (answers[0], answers[2], answers[3]):   # in a batch of 3: the same up to float rounding
        np.testing.assert_allclose(answer.probabilities, expected, rtol=1e-4, atol=1e-8)
    calls.clear()
    P = cnn.probabilities([drawing, digit])
    assert calls == [2] and P.shape == (2, 10) and P.dtype == np.float32
    with pytest.raises(ImageError, match="item 1 is an empty drawing"):
        cnn.probabilities([drawing, Drawing([], 8, 128)])
    assert cnn.read([]) == [] and cnn.probabilities([]).shape == (0, 10)


def test_the_input_mode_is_the_apps_comparison(cnn):
    drawing = Drawing(seven(), canvas_size=128, pen_width=3)
    for mode in ("strokes", "image", "raw"):
        seen = drawing_to_input(drawing.strokes, 3, 128, mode)
        np.testing.assert_allclose(cnn.probabilities([drawing], mode=mode)[0],   # calibrated: its temperature
                                   combine(cnn.model.predict_proba(to_model_input(seen))[0], None, 0.0,
                                           cnn.calibrations["image"].temperature), rtol=1e-5, atol=1e-9)
    assert not np.array_equal(cnn.probabilities([drawing], mode="raw"), cnn.probabilities([drawing]))


def test_readers_come_from_the_model_store(no_user_models):
    default = Reader.default()
    assert default.path == default_model_path() and default.name == "cnn+strokes"
    assert default.stroke_path == shipped_dir() / "strokes.npz" and default.kind == "both"
    mlp = Reader.load("mlp")
    assert mlp.path == shipped_dir() / "mlp.npz" and repr(mlp) == "Reader('mlp')"
    assert Reader.load(shipped_dir() / "mlp.npz").path == mlp.path
    with pytest.raises(ModelFileError, match="no model named 'nope'"):
        Reader.load("nope")


def test_a_reader_refuses_a_model_that_does_not_fit():
    three = nn.Sequential([nn.Flatten(), nn.Dense(784, 3)], input_shape=(1, 28, 28))
    with pytest.raises(ModelFileError, match="three: has 3 outputs, not 10"):
        Reader(three, "three")


def test_the_package_face_hands_out_the_seam():
    assert (digitpad.Drawing, digitpad.Reader, digitpad.Answer) == (Drawing, Reader, Answer)
    assert {"Drawing", "Reader", "Answer", "drawing_to_input"} <= set(digitpad.__all__) <= set(dir(digitpad))
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        digitpad.Nothing


# --- the README's snippet, on real digits --------------------------------------------------------------


def readme_snippet() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Reading digits from Python"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def on_canvas(strokes, size: int = 128) -> list[np.ndarray]:
    """Tablet strokes scaled into a ``size``-pixel canvas (y down, as both are), 14 px margins."""
    points = np.concatenate(strokes)
    low, extent = points.min(axis=0), float((points.max(axis=0) - points.min(axis=0)).max())
    return [(np.asarray(s, np.float64) - low) * ((size - 28) / extent) + 14 for s in strokes]


def test_the_readme_snippet_reads_real_pen_digits_and_a_scanned_digit(tmp_path, monkeypatch, pendigits_dir,
                                                                       mnist_dir, no_user_models):
    """The snippet as printed, with ``strokes`` a real pen digit (writers no model is trained on) and
    ``scan.png`` an MNIST test digit printed dark on white paper."""
    code = readme_snippet()
    monkeypatch.chdir(tmp_path)
    images, labels = mnist.load_mnist("test", mnist_dir)
    measured = pendigits.of_writers(pendigits.load_pendigits(pendigits_dir), pendigits.writer_groups()["measure"])
    for pen, image, label in zip(measured[:10:2], images[:5], labels[:5]):
        Image.fromarray(255 - image).resize((140, 140), Image.Resampling.BICUBIC).save("scan.png")
        scope = {"strokes": on_canvas(pen.strokes)}
        exec(compile(code, "README.md", "exec"), scope)
        answers, P = scope["answers"], scope["P"]
        assert isinstance(scope["reader"], Reader) and scope["reader"].name == "mlp+strokes"
        assert answers[0].digit == pen.label, (pen.label, answers[0].text)
        assert answers[1].digit == int(label) == int(np.argmax(P[1]))
        assert P.shape == (2, 10) and P.dtype == np.float32
        np.testing.assert_array_equal(P[0], answers[0].probabilities)
        assert scope["mine"].taught == 1 and scope["reader"].taught == 0   # taught: a new reader
