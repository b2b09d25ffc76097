"""The app reads with a stroke model beside the image network (issue 24): the live answer is the
reader's, the model rows choose picture and pen / picture only / pen only, the stroke model's input and
its "why" map are drawn, and the tools and the training dialog know stroke models."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad import nn
from digitpad.app.readers import ReaderChoice
from digitpad.app.widgets.stroke_view import stroke_contributions
from digitpad.app.windows.confusion_window import evaluate_on_test_set
from digitpad.app.windows.main_window import MainWindow
from digitpad.app.windows.training_dialog import TrainingDialog
from digitpad.errors import DigitpadError
from digitpad.reading.reader import NO_STROKES_TEXT, Reader, combine, input_of, split_not_a_digit, trajectory_of
from digitpad.training.architectures import build
from test_app_canvas import draw

SIZE = 336


def continental_one():
    """A continental 1: the flag drawn as an up-stroke to the right, then the long down-stroke, no base."""
    return [[(SIZE * 0.36, SIZE * 0.36), (SIZE * 0.46, SIZE * 0.26), (SIZE * 0.56, SIZE * 0.16)]
            + [(SIZE * 0.56, SIZE * (0.16 + 0.68 * t / 16)) for t in range(1, 17)]]


def crossed_seven():
    """A 7 with a bar across, drawn last from left to right."""
    top = [(SIZE * (0.28 + 0.44 * t / 8), SIZE * 0.18) for t in range(9)]
    leg = [(SIZE * (0.72 - 0.26 * t / 12), SIZE * (0.18 + 0.66 * t / 12)) for t in range(1, 13)]
    bar = [(SIZE * (0.40 + 0.26 * t / 6), SIZE * 0.50) for t in range(7)]
    return [top + leg, bar]


def draw_all(window, strokes) -> None:
    for points in strokes:
        draw(window.canvas, points)
    window.session.predict_now()


@pytest.fixture
def pen_model(app_env):
    """A stroke model ("pen", seeded, untrained: its answers differ from the image network's) in the
    user models folder beside "tiny"."""
    model = build("strokes-quick", seed=3)
    model.eval()
    model.metadata = {"stroke_weight": 0.5}
    path = app_env / "pen.npz"
    nn.save_model(model, path)
    return path


@pytest.fixture
def both(qtbot, app_env, pen_model):
    """The main window reading with tiny (the picture) and pen (the path), combined."""
    win = MainWindow(ReaderChoice.of(app_env / "tiny.npz", pen_model))
    qtbot.addWidget(win)
    win.show()
    return win


def choose(combo, choice: ReaderChoice) -> None:
    row = combo.findData(choice.spec)
    assert row >= 0, f"{choice.name} is not listed"
    combo.setCurrentIndex(row)
    combo.activated.emit(row)


def test_the_live_answer_is_the_default_readers(qtbot, app_env):
    """What the app starts with is `Reader.default()`, and the bars show its answer to the drawing."""
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    expected_kind = Reader.default().kind
    assert win.session.reader.kind == expected_kind
    draw_all(win, continental_one())
    shown = win.panel.bars.probabilities
    expected = Reader.default().read([win.session.drawing])[0].probabilities
    assert np.allclose(shown, expected, atol=1e-6)


@pytest.mark.parametrize("strokes", [continental_one(), crossed_seven()], ids=["continental 1", "crossed 7"])
def test_the_bars_combine_the_image_network_and_the_stroke_model(qtbot, both, strokes):
    draw_all(both, strokes)
    reader, drawing = both.session.reader, both.session.drawing
    assert reader.kind == "both"
    p_image = reader.model.predict_proba(input_of(drawing)[None, None])[0]
    trajectory = trajectory_of(drawing)
    p_strokes, _ = split_not_a_digit(reader.strokes.predict_proba(trajectory[None]))   # its ten digits'
    expected = combine(p_image, p_strokes[0], 0.5)           # uncalibrated models: temperature 1
    shown = both.panel.bars.probabilities
    assert np.allclose(shown, expected, atol=1e-6)
    assert np.abs(shown - p_image).max() > 1e-3            # not the image network's alone
    assert np.array_equal(both.session.last.trajectory, trajectory)
    assert np.array_equal(both.input_pane.input_view.digit, input_of(drawing))   # the 28x28 view: the image input


def test_the_model_row_lists_picture_and_pen_picture_only_and_pen_only(qtbot, both, app_env, pen_model):
    combo = both.model_combo
    texts = [combo.itemText(i).strip() for i in range(combo.count())]
    assert {"Picture and pen", "Picture only", "Pen only"} <= set(texts)
    tiny, pen = app_env / "tiny.npz", pen_model
    draw_all(both, crossed_seven())
    answers = {}
    for choice, kind in ((ReaderChoice.of(tiny), "image"), (ReaderChoice.of(pen), "strokes"),
                         (ReaderChoice.of(tiny, pen), "both")):
        choose(combo, choice)
        assert both.session.choice == choice and both.session.reader.kind == kind
        answers[kind] = both.panel.bars.probabilities.copy()
    assert np.abs(answers["image"] - answers["strokes"]).max() > 1e-3
    assert np.abs(answers["both"] - answers["image"]).max() > 1e-3
    assert np.allclose(answers["both"], combine(answers["image"], answers["strokes"], 0.5), atol=1e-5)
    # the headers are not choices
    header = texts.index("Pen only")
    assert not combo.model().item(header).isEnabled()


def test_compare_shows_two_readers_and_a_picture_with_a_stroke_model_alone_says_it_has_no_strokes(qtbot, both, pen_model):
    both.compare_box.setChecked(True)
    choose(both.compare_combo, ReaderChoice.of(pen_model))
    draw_all(both, continental_one())
    answers = both.session.last.answers
    assert len(answers) == 2 and answers[0].digit is not None and answers[1].digit is not None
    assert both.answers.compare_panel.isVisibleTo(both)
    assert "pen" in both.answers.compare_panel.title.text()
    picture = np.zeros((60, 60), np.uint8)
    picture[10:50, 28:33] = 255
    assert both.session.open_picture(picture)
    main, compared = both.session.last.answers
    assert main.digit is not None                            # the image network reads the picture
    assert compared.digit is None and compared.text == NO_STROKES_TEXT
    assert both.answers.compare_panel.verdict_label.text() == "no strokes to read"
    assert "stroke model reads the path" in both.answers.compare_panel.verdict_label.toolTip()
    assert both.answers.compare_panel.digit.text() == "–"
    # the why panel and the pen-width plot say which reader they follow while comparing (the user may pick)
    assert both.why_panel.follows.text() == "Explains"
    assert both.why_panel.side.currentText() == "tiny + pen, the reader on the left"
    assert "tiny" in both.width_plot.follows.text() and "on the left" in both.width_plot.side.currentText()


def test_the_stroke_view_draws_the_path_and_says_why_when_there_is_none(qtbot, both, app_env):
    pane = both.stroke_pane
    assert pane.view.trajectory is None
    draw_all(both, crossed_seven())
    assert np.array_equal(pane.view.trajectory, trajectory_of(both.session.drawing))
    assert pane.caption.text() == "2 strokes, 64 points"
    image = pane.view.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert len(colours) > 5                                  # the path is painted, not only the background
    picture = np.zeros((60, 60), np.uint8)
    picture[10:50, 28:33] = 255
    both.session.open_picture(picture)
    assert pane.view.trajectory is None and pane.view.message == "a picture has no strokes"
    both.session.dismiss_picture()
    choose(both.model_combo, ReaderChoice.of(app_env / "tiny.npz"))
    assert pane.view.trajectory is None and pane.view.message == "no stroke model in this reader"


def test_the_why_panel_explains_the_stroke_model_along_the_path(qtbot, both):
    both.why_dock.show()
    panel = both.why_panel
    draw_all(both, crossed_seven())
    qtbot.waitUntil(lambda: panel.stroke_maps is not None, timeout=2000)
    reader, last = both.session.reader, both.session.last
    classes = panel.classes
    expected = stroke_contributions(reader.strokes, last.trajectory, classes)
    assert np.allclose(panel.stroke_maps[0], expected[0], atol=1e-6)
    if len(classes) == 2:
        assert np.allclose(panel.stroke_maps[2], expected[0] - expected[1], atol=1e-6)
    assert panel.stroke_maps.shape[1] == 64 and np.abs(panel.stroke_maps).max() > 0
    assert panel.stroke_tiles[0].values is not None
    assert "pen" in panel.stroke_title.text() and "tiny" in panel.image_title.text()
    assert panel.maps is not None                            # the image network's maps beside it
    picture = np.zeros((60, 60), np.uint8)
    picture[10:50, 28:33] = 255
    both.session.open_picture(picture)
    assert panel.stroke_maps is None and panel.stroke_tiles[0].message == "a picture has no strokes"
    assert panel.maps is not None                            # the picture is still explained by the image network


def test_a_stroke_model_alone_has_no_image_map_and_no_pen_width_plot(qtbot, both, pen_model):
    both.why_dock.show()
    choose(both.model_combo, ReaderChoice.of(pen_model))
    draw_all(both, continental_one())
    panel = both.why_panel
    qtbot.waitUntil(lambda: panel.stroke_maps is not None, timeout=2000)
    assert panel.maps is None and panel.captions[0].text() == "none in this reader"
    assert both.session.image_path is None
    assert "no image network" in both.width_plot.follows.text()
    insides = both.open_insides()
    assert insides.model is None and "no image network" in insides.header.text()
    insides.close()


def test_the_training_dialog_offers_the_stroke_presets(qtbot, app_env):
    dialog = TrainingDialog()
    qtbot.addWidget(dialog)
    presets = [dialog.preset.itemText(i) for i in range(dialog.preset.count())]
    assert "strokes-quick" in presets and "strokes" in presets
    dialog.preset.setCurrentText("strokes-quick")
    assert "stroke model" in dialog.preset_hint.text() and "a minute and a half" in dialog.preset_hint.text()
    assert not dialog.augment.isEnabled() and not dialog.limit.isEnabled()
    assert dialog.config().model == "strokes-quick"
    dialog.preset.setCurrentText("quick")
    assert dialog.augment.isEnabled()


def test_a_new_stroke_model_is_offered_beside_the_current_image_network(qtbot, window, app_env, pen_model, message_boxes):
    assert window.session.reader.kind == "image"
    window.model_added(pen_model)
    assert [kind for kind, *_ in message_boxes] == ["question"]
    assert window.session.choice == ReaderChoice.of(app_env / "tiny.npz", pen_model)
    assert window.session.reader.kind == "both"
    assert window.session.entry(pen_model).reads == "strokes"


def test_the_confusion_on_pen_digits_reads_drawings_with_the_combined_reader(qtbot, app_env, pen_model, data_dir_with_pendigits):
    class Job:
        def cancelled(self):
            return False

        def report(self, value):
            pass

    choice = ReaderChoice.of(app_env / "tiny.npz", pen_model)
    run = evaluate_on_test_set(Job(), choice, data_dir_with_pendigits, "pen")
    from digitpad.app.windows.confusion_window import test_images

    _, labels, drawings = test_images("pen", data_dir_with_pendigits)
    reader = Reader(nn.load_model(app_env / "tiny.npz"), strokes=nn.load_model(pen_model))
    assert np.array_equal(run.predictions[:50], reader.probabilities(drawings[:50]).argmax(axis=1))
    assert run.confusion.sum() == len(labels) and drawings[0].strokes
    with pytest.raises(DigitpadError, match="stroke model reads drawings"):
        evaluate_on_test_set(Job(), ReaderChoice.of(pen_model), data_dir_with_pendigits, "mnist")


def test_the_robustness_window_measures_the_apps_combined_reader(qtbot, both, data_dir_with_pendigits):
    """Each drawing read as the app reads it: the image network at each pen width with the stroke model."""
    robustness = both.open_robustness()
    chosen = robustness.chosen()
    assert chosen["tiny+pen"] == both.session.reader.paths and "pen" not in chosen   # no stroke model alone
    robustness.samples.setValue(20)
    robustness.dataset.setCurrentIndex(robustness.dataset.findData("pen"))
    robustness.run_button.click()
    qtbot.waitUntil(lambda: robustness.result is not None, timeout=60_000)
    from digitpad.drawing.strokes import Drawing
    from digitpad.evaluation.drawn_test_sets import test_set

    drawn = test_set("pen", 20, 128, 0, None)
    read = both.session.reader.probabilities([Drawing(strokes, 8, 128) for strokes, _ in drawn]).argmax(axis=1)
    expected = float(np.mean(read == np.array([label for _, label in drawn])))
    combined = robustness.result.accuracy[("tiny+pen", "strokes")]
    assert combined == pytest.approx([expected] * len(combined))  # the strokes pipeline: one input at every pen
    qtbot.waitUntil(lambda: robustness.run_button.isEnabled(), timeout=5_000)
