"""Issue 26, items 10-15: the panels under the drawing say which reader they follow and let the user pick
the compared one; the input switch says what happens to a picture; the pen-width legend names every
digit plotted; the robustness plot keeps equal curves apart and the model list its names; Inside the
network fits its window; a misread image of the confusion window opens in the main window (pytest-qt,
offscreen)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from digitpad.app.readers import ReaderChoice
from digitpad.app.windows.main_window import MainWindow
from digitpad.evaluation.explain import smooth_gradient_times_input_for
from digitpad.evaluation.robustness_report import RobustnessResult
from digitpad.evaluation.width_sweep import WidthSweep
from digitpad.reading.store import shipped_dir
from test_app_canvas import draw, one, zero


@pytest.fixture
def comparing(window):
    """The main window reading with tiny, compared with the shipped CNN."""
    window.compare_box.setChecked(True)
    window.session.set_compare(ReaderChoice.of(shipped_dir() / "cnn.npz"))
    draw(window.canvas, zero())
    window.session.predict_now()
    return window


def test_the_why_panel_says_which_reader_it_explains_and_explains_the_compared_one_when_picked(qtbot, comparing):
    window, panel = comparing, comparing.why_panel
    session = window.session
    assert panel.side.isVisibleTo(window) and panel.follows.text() == "Explains"
    assert [panel.side.itemText(i) for i in range(2)] == ["tiny, the reader on the left", "cnn, the compared reader"]
    assert panel.subject.model is session.reader.model and "tiny" in panel.image_title.text()
    panel.side.pick(1)                                           # the compared reader
    assert panel.subject.model is session.compared.model and "cnn" in panel.image_title.text()
    answer = session.last.answers[1]
    assert panel.classes[0] == answer.digit
    np.testing.assert_allclose(panel.maps, smooth_gradient_times_input_for(session.compared.model, session.last.digit,
                                                                           panel.classes), atol=1e-5)
    draw(window.canvas, one())                                   # it keeps following the compared reader
    session.predict_now()
    assert panel.subject.model is session.compared.model
    window.compare_box.setChecked(False)                         # one reader: no choice, its name said
    assert not panel.side.isVisibleTo(window) and panel.follows.text() == "Explains tiny"
    assert panel.subject.model is session.reader.model


def test_the_pen_width_plot_follows_the_reader_picked(qtbot, comparing):
    window, plot = comparing, comparing.width_plot
    assert plot.side.isVisibleTo(window) and "tiny" in plot.follows.text()
    plot.side.pick(1)
    assert plot.model_path == shipped_dir() / "cnn.npz" and "cnn" in plot.follows.text()
    qtbot.waitUntil(lambda: plot.sweep is not None and not plot.worker.busy() and not plot.timer.isActive(),
                    timeout=20_000)
    assert plot.model_path == shipped_dir() / "cnn.npz"


def test_the_input_switch_says_what_happens_to_a_picture(qtbot, window):
    pane = window.input_pane
    combo, label = pane.mode_combo, pane.picture_label
    assert combo.isEnabled() and combo.isVisible() and combo.currentText() == "Strokes redrawn" and not label.isVisible()
    picture = np.zeros((60, 60), np.uint8)
    picture[10:50, 28:33] = 255
    assert window.session.open_picture(picture)
    assert not combo.isEnabled() and not combo.isVisible()       # the switch is for drawings
    assert label.isVisible() and label.text() == "Picture: image normalisation"
    assert "image normalisation" in label.toolTip()
    assert label.fontMetrics().boundingRect(0, 0, label.width(), 1000, 0x1000, label.text()).height() <= label.height()
    window.session.dismiss_picture()
    assert combo.isEnabled() and combo.isVisible() and combo.currentText() == "Strokes redrawn" and not label.isVisible()
    window.session.set_input_mode("image")
    window.session.open_picture(picture)
    window.session.dismiss_picture()
    assert combo.currentText() == "Your pen as drawn"           # the drawing's mode is kept


def test_the_pen_width_legend_names_a_digit_that_rises_only_in_the_raw_pixels(qtbot, window):
    plot = window.width_plot
    widths = np.array([2.0, 10.0, 20.0])
    raw, strokes = np.full((3, 10), 0.001), np.full((3, 10), 0.001)
    raw[:, 1], raw[2, 8] = 0.5, 0.4                              # 8 rises with a fat pen, in the raw pixels only
    strokes[:, 1] = 0.99
    plot.app_mode = "strokes"
    plot.sweep = WidthSweep(widths, ("raw", "strokes"), {m: np.zeros((3, 28, 28), np.float32) for m in ("raw", "strokes")},
                            {"raw": raw, "strokes": strokes})
    plot._draw()
    legend = plot.plot.figure.axes[-1].get_legend()
    assert [text.get_text() for text in legend.get_texts()] == ["1", "8"]
    colours = [handle.get_color() for handle in legend.legend_handles]
    assert colours[1] != colours[0]


def test_equal_robustness_curves_stay_visible():
    """Two models with equal figures, three pipelines with equal figures: each curve has its own line
    style (pipeline) and marker (model), open markers of decreasing size, and the later lines thinner."""
    from matplotlib.figure import Figure

    widths, values = [2.0, 4.0, 8.0], [0.9, 0.95, 0.97]
    accuracy = {(name, mode): list(values) for name in ("mine", "yours") for mode in ("strokes", "image", "raw")}
    result = RobustnessResult(widths=widths, canvas=128, n=10, seed=0, dataset="traced", accuracy=accuracy,
                              empty={}, complete=True, elapsed_s=1.0)
    (ax,) = result.plot(Figure()).axes
    lines = {tuple(line.get_label().split(", ")): line for line in ax.get_lines()}
    styles = {(name, mode.split()[0]): (line.get_linestyle(), line.get_marker(), line.get_markersize(),
                                        line.get_linewidth()) for (name, mode), line in lines.items()}
    assert {styles[(n, m)][0] for n in ("mine", "yours") for m in ("strokes",)} == {"-"}
    assert styles[("mine", "image-normalised")][0] == "--" and styles[("mine", "raw")][0] == ":"
    assert styles[("mine", "strokes")][1] != styles[("yours", "strokes")][1]          # a marker per model
    assert styles[("mine", "strokes")][1] == styles[("mine", "raw")][1]
    assert styles[("mine", "strokes")][2] > styles[("mine", "image-normalised")][2] > styles[("mine", "raw")][2]
    assert styles[("mine", "strokes")][3] > styles[("yours", "strokes")][3]           # the later line thinner
    assert all(line.get_markerfacecolor() == "none" for line in lines.values())
    legend = [text.get_text() for text in ax.get_legend().get_texts()]    # an entry per model, then per pipeline
    assert legend == ["mine", "yours", "strokes (app)", "image-normalised", "raw"]


def test_the_robustness_list_shows_long_user_model_names_whole_or_shortened_with_a_tooltip(qtbot, window, app_env):
    import shutil

    long = "my-very-own-model-trained-on-sunday-afternoon"
    shutil.copy(app_env / "tiny.npz", app_env / f"{long}.npz")
    window.session.refresh_models()
    robustness = window.open_robustness()
    items = [robustness.models.item(i) for i in range(robustness.models.count())]
    mine = next(item for item in items if long in item.toolTip())
    assert mine.text().startswith("my-very-") and "…" in mine.text() and mine.text().endswith("(user, 88.00%)")
    metrics = robustness.models.fontMetrics()
    assert robustness.models.horizontalScrollBar().maximum() == 0  # shortened in its middle: nothing cut off
    assert metrics.horizontalAdvance(mine.text()) < robustness.models.viewport().width() - 20
    shipped = [item.text() for item in items if "shipped" in item.text()]
    assert shipped and robustness.models.width() >= max(map(metrics.horizontalAdvance, shipped)) + 30


@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_inside_the_network_shows_every_logit_without_scrolling_and_no_empty_tile_panel(qtbot, app_env, name):
    window = MainWindow(shipped_dir() / f"{name}.npz")
    qtbot.addWidget(window)
    window.show()
    draw(window.canvas, zero())
    window.session.predict_now()
    insides = window.open_insides()
    qtbot.waitUntil(lambda: len(insides.outputs) == len(insides.entries), timeout=5_000)
    QApplication.processEvents()
    scroll = insides.entries_widget.parentWidget().parentWidget()
    assert scroll.horizontalScrollBar().maximum() == 0            # at the default size: nothing off to the side
    for entry in insides.entries[-2:]:                            # the logits and the softmax: ten labelled bars
        assert entry.view.labels and entry.view.width() <= scroll.viewport().width()
    assert insides.enlarged.isVisibleTo(insides) == (name == "cnn")
    assert insides.enlarged_caption.isVisibleTo(insides) == (name == "cnn")


def test_a_misread_test_image_opens_in_the_main_window_as_a_picture(qtbot, window):
    confusion = window.open_confusion()
    qtbot.waitUntil(lambda: confusion.run is not None, timeout=30_000)
    true, predicted, indices = confusion.shown
    assert true != predicted and len(indices) == confusion.thumbnails.count()
    window.why_dock.hide()
    confusion.thumbnails.itemClicked.emit(confusion.thumbnails.item(0))
    session = window.session
    assert session.picture is not None
    np.testing.assert_array_equal(session.picture.pixels, confusion.run.images[indices[0]])
    assert window.why_dock.isVisible()
    assert f"test image #{indices[0]} (a {true} read as {predicted})" in window.statusBar().currentMessage()
    session.predict_now()
    assert session.last.answers[0].digit is not None and window.why_panel.maps is not None
    assert window.input_pane.picture_label.isVisible() and not window.input_pane.mode_combo.isEnabled()
