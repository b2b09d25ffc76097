"""The views that explain an answer: "why this digit?", the drawing at every pen width, inside the
network, and the Help pages (pytest-qt, offscreen)."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad import nn
from digitpad.app.windows.insides_window import ActivationBars, FeatureMaps, InsidesWindow
from digitpad.app.windows.main_window import MainWindow
from digitpad.evaluation.explain import occlusion_maps_for, smooth_gradient_times_input_for
from digitpad.reading.store import shipped_dir
from test_app_canvas import draw, one, zero


@pytest.fixture
def cnn_window(qtbot, app_env):
    win = MainWindow(shipped_dir() / "cnn.npz")
    qtbot.addWidget(win)
    win.show()
    return win


def seven(size=336):
    """A 7 with a long flag (continental 1-like): the shipped CNN hesitates between 7 and 1 on it."""
    return [(size * 0.36, size * 0.36), (size * 0.6, size * 0.21), (size * 0.58, size * 0.45), (size * 0.57, size * 0.83)]


def test_why_map_follows_the_pen_and_is_the_models_gradient_times_input(qtbot, cnn_window):
    window = cnn_window
    assert window.why_panel.captions[0].text() == "draw a digit" and window.why_panel.maps is None
    draw(window.canvas, zero())
    window.session.predictor.predict_now()
    panel = window.why_panel
    digit, probabilities = window.session.last.digit, window.session.last.probabilities[0]
    assert panel.classes[0] == int(np.argmax(probabilities))
    expected = smooth_gradient_times_input_for(window.session.model, digit, panel.classes)   # SmoothGrad × input
    np.testing.assert_allclose(panel.maps, expected, atol=1e-6)
    assert panel.captions[0].text() == f"for {panel.classes[0]}"
    window.canvas.clear()
    window.session.predictor.predict_now()
    assert panel.maps is None


def test_while_the_pen_moves_the_smoothed_maps_follow_it_at_most_every_100_ms(qtbot, cnn_window, monkeypatch):
    """SmoothGrad costs about 15 ms in the UI thread: a burst of answers (the pen moving) computes the
    first drawing's maps at once, then only the latest drawing's when the interval ends."""
    from digitpad.app.widgets import why_view

    computed = []
    real = why_view.smooth_gradient_times_input_for
    monkeypatch.setattr(why_view, "smooth_gradient_times_input_for",
                        lambda model, digit, classes: computed.append(digit.copy()) or real(model, digit, classes))
    window = cnn_window
    panel = window.why_panel
    points = zero()
    for end in range(2, len(points) + 1):       # the 0 drawn point by point, each point answered
        window.canvas.clear()
        draw(window.canvas, points[:end])
        window.session.predictor.predict_now()
    assert len(computed) == 1                   # the first drawing's maps at once, the others coalesced
    qtbot.waitUntil(lambda: len(computed) == 2, timeout=2_000)
    np.testing.assert_array_equal(computed[-1], window.session.last.digit)   # the latest drawing's
    np.testing.assert_allclose(panel.maps, real(window.session.model, window.session.last.digit, panel.classes), atol=1e-6)


def test_unsure_verdict_shows_both_digits_and_what_separates_them(qtbot, cnn_window):
    window = cnn_window
    draw(window.canvas, seven())
    window.session.predictor.predict_now()
    assert window.panel.verdict_label.text().startswith("unsure:")
    panel = window.why_panel
    a, b = panel.classes
    assert {a, b} == {1, 7}
    assert [c.text() for c in panel.captions] == [f"for {a}", f"for {b}", f"{a} rather than {b}"]
    assert all(tile.isVisible() for tile in panel.tiles)
    np.testing.assert_allclose(panel.maps[0] - panel.maps[1],
                               smooth_gradient_times_input_for(window.session.model, window.session.last.digit, [a], 2)[0]
                               - smooth_gradient_times_input_for(window.session.model, window.session.last.digit, [b], 2)[0],
                               atol=1e-5)


def test_occlusion_arrives_from_its_worker(qtbot, cnn_window):
    window = cnn_window
    window.why_panel.set_method("occlusion")
    draw(window.canvas, one())
    window.session.predictor.predict_now()
    panel = window.why_panel
    qtbot.waitUntil(lambda: panel.maps is not None and not panel.occlusion.busy(), timeout=20_000)
    expected = occlusion_maps_for(nn.load_model(window.session.model_path), window.session.last.digit, panel.classes)
    np.testing.assert_allclose(panel.maps, expected, atol=1e-5)


def test_width_plot_uses_the_recorded_strokes_not_the_pen(qtbot, cnn_window):
    window = cnn_window
    plot = window.width_plot
    draw(window.canvas, zero())
    draw(window.canvas, one())
    window.session.predictor.predict_now()
    qtbot.waitUntil(lambda: plot.sweep is not None and not plot.worker.busy() and not plot.timer.isActive(), timeout=20_000)
    raw_two, strokes_two = plot.curves("raw").copy(), plot.curves("strokes").copy()
    assert raw_two.shape == (24, 10)
    window.pad.pen_slider.setValue(40)                    # another pen: same strokes, same curves
    window.session.predictor.predict_now()
    qtbot.wait(400)
    assert not plot.worker.busy() and not plot.timer.isActive()
    np.testing.assert_array_equal(plot.curves("raw"), raw_two)
    window.canvas.undo()                              # one stroke fewer: new curves
    window.session.predictor.predict_now()
    qtbot.waitUntil(lambda: len(plot.strokes) == 1 and plot.sweep is not None and not plot.worker.busy()
                    and not plot.timer.isActive(), timeout=20_000)
    qtbot.waitUntil(lambda: not np.array_equal(plot.curves("raw"), raw_two), timeout=5_000)
    assert not np.array_equal(plot.curves("strokes"), strokes_two)
    assert int(np.argmax(plot.curves("strokes")[0])) == 0   # the 0 alone
    plot.select_width(31)
    assert plot.selected_width == 30 and plot.caption.text() == "pen 30 px"
    assert not plot.canvas_view.pixmap().isNull()


@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_insides_window_has_one_entry_per_layer_with_its_shape(qtbot, app_env, name):
    window = MainWindow(shipped_dir() / f"{name}.npz")
    qtbot.addWidget(window)
    window.show()
    draw(window.canvas, zero())
    window.session.predictor.predict_now()
    insides = window.open_insides()
    assert isinstance(insides, InsidesWindow)
    model = window.session.model
    qtbot.waitUntil(lambda: len(insides.outputs) == len(model.layers) + 1, timeout=5_000)
    assert len(insides.entries) == len(model.layers) + 1            # the layers, then the softmax
    for entry, shape, output in zip(insides.entries, model.output_shapes(), insides.outputs):
        assert entry.shape == shape and output.shape == shape
        assert isinstance(entry.view, FeatureMaps if len(shape) == 3 else ActivationBars)
    np.testing.assert_allclose(insides.outputs[-1], window.session.last.probabilities[0], atol=1e-5)
    if name == "cnn":
        entry = insides.entries[0]
        entry.view.tile_clicked.emit(5)
        assert insides.enlarged_at == (0, 5) and not insides.enlarged.pixmap().isNull()
    before = [o.copy() for o in insides.outputs]
    draw(window.canvas, one())                                   # the window follows the drawing
    window.session.predictor.predict_now()
    qtbot.waitUntil(lambda: not np.array_equal(insides.outputs[-1], before[-1]), timeout=5_000)


def test_help_pages(qtbot, cnn_window):
    window = cnn_window
    shortcuts = window.show_shortcuts()
    text = shortcuts.browser.toPlainText()
    assert "Undo stroke" in text and "Thicker pen" in text and "]" in text
    guide = window.show_reading_guide()
    assert "unsure: 1 or 7" in guide.browser.toPlainText()
    about = window.show_about()
    about_text = about.browser.toPlainText()
    assert "digitpad 0.1.0" in about_text and "MIT" in about_text and "MNIST" in about_text
    assert "Alpaydin" in about_text and "Model card: cnn" in about_text     # the current model's card
