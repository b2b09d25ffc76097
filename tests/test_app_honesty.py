"""Tools → Honest answers… (issue 25, item 3): the robustness window measures the app's reader on held-out
writers' digits and on drawings that are not digits, in a background job, and shows its reliability
diagram and a table of its figures per kind of reader; missing data is asked for, as training does."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad import nn
from digitpad.app import i18n
from digitpad.app.readers import ReaderChoice
from digitpad.app.windows.main_window import MainWindow
from digitpad.app.windows.robustness_window import RobustnessWindow, measure_honest_answers, missing_honesty_data
from digitpad.evaluation.honesty import measure_reader
from digitpad.reading.reader import Reader
from digitpad.reading.store import shipped_dir
from digitpad.training.architectures import build


class Job:
    """A stand-in for the background job: records the progress, cancelled after ``stop_after`` reports."""

    def __init__(self, stop_after: int | None = None):
        self.reports, self.stop_after = [], stop_after

    def report(self, value) -> None:
        self.reports.append(value)

    def cancelled(self) -> bool:
        return self.stop_after is not None and len(self.reports) > self.stop_after


def test_measured_set_by_set_is_measure_reader(mnist_dir, pendigits_dir, uji_dir, omniglot_dir):
    """The window's job reads one set at a time (progress, stop) and finds what `measure_reader` does."""
    strokes = shipped_dir() / "strokes.npz"
    job = Job()
    measured = measure_honest_answers(job, (strokes,), 0, mnist_dir)
    expected = measure_reader(Reader.load([strokes]), 0, mnist_dir)
    assert list(measured) == list(expected) == ["strokes"]
    assert measured == expected                                      # the same sets, read the same way
    done = [d for d, _ in job.reports]
    assert job.reports[-1][0] == job.reports[-1][1] > 1000 and done == sorted(done)
    assert measure_honest_answers(Job(stop_after=2), (strokes,), 0, mnist_dir) is None   # stopped between sets


def test_missing_data_is_named(tmp_path, mnist_dir, pendigits_dir):
    assert missing_honesty_data(0, mnist_dir) == []                 # ../shared: everything beside MNIST
    lonely = tmp_path / "data"
    lonely.mkdir()
    assert missing_honesty_data(0, lonely) == ["pendigits", "uji", "omniglot"]
    assert missing_honesty_data(500, lonely) == ["pendigits", "uji", "omniglot", "mnist"]


@pytest.fixture
def combined(qtbot, app_env):
    """The main window in English reading with tiny (the picture) and an untrained stroke model "pen"."""
    model = build("strokes-quick", seed=3)
    model.eval()
    model.metadata = {"stroke_weight": 0.5}
    nn.save_model(model, app_env / "pen.npz")
    i18n.install_language("en")
    win = MainWindow(ReaderChoice.of(app_env / "tiny.npz", app_env / "pen.npz"))
    qtbot.addWidget(win)
    win.show()
    return win


def test_honest_answers_of_the_apps_reader_show_a_diagram_and_a_table(qtbot, combined):
    window = combined.open_honesty()
    assert isinstance(window, RobustnessWindow) and window.tabs.currentIndex() == RobustnessWindow.HONESTY
    assert window.app_reader is combined.session.reader and "<b>tiny+pen</b>" in window.honest_intro.text()
    window.honest_traced.setValue(0)
    window.honest_button.click()
    assert not window.honest_button.isEnabled() and not window.run_button.isEnabled()   # one job at a time
    qtbot.waitUntil(lambda: window.honesty is not None, timeout=120_000)
    assert list(window.honesty) == ["both", "image", "strokes"]
    axes = window.honest_plot.figure.axes[0]
    points = [c.get_offsets() for c in axes.collections]            # one marker per confidence bin
    assert len(points) == 3 and len(points[0]) > 0 and all(np.all((p >= 0) & (p <= 1)) for p in points)
    assert axes.get_xlabel() == "confidence (the top probability shown)" and axes.get_ylabel() == "accuracy"
    legend = [text.get_text() for text in axes.get_legend().get_texts()]
    assert legend[0].startswith("image network and stroke model combined (ECE ") and legend[0].endswith("%)")
    table = window.honest_table
    assert table.rowCount() == 3 and table.columnCount() == 5
    assert table.verticalHeaderItem(0).text() == "image network and stroke model combined\n(the app's reader)"
    both = window.honesty["both"]["sets"]
    cells = [table.item(0, column).text() for column in range(5)]
    assert cells[1] == f"{100 * both['digits: all']['sure']:.2f}%"
    assert cells[4] == f"{100 * both['not digits: all']['sure']:.2f}%"
    assert all(cell.endswith("%") for cell in cells)
    status = window.honest_status.text()
    assert f"{both['digits: all']['count']:,} digits of held-out writers" in status
    assert window.honest_bar.value() == window.honest_bar.maximum() > 0
    qtbot.waitUntil(lambda: window.honest_button.isEnabled() and window.run_button.isEnabled(), timeout=5_000)


def test_the_honest_answers_stop_when_asked(qtbot, combined):
    window = combined.open_honesty()
    window.honest_button.click()
    window.honest_stop.click()
    qtbot.waitUntil(lambda: window.honest_button.isEnabled(), timeout=60_000)
    assert window.honesty is None and window.honest_status.text() == "Stopped."


def test_missing_pen_data_is_asked_for_and_nothing_runs(qtbot, combined, tmp_path, monkeypatch, mnist_dir):
    """The pen data missing: the prompt of every window (Download / Choose folder… / Cancel) names what is
    missing; cancelled, nothing runs and the status says what was not found, with no command to type."""
    from digitpad.app import data_folder

    lonely = tmp_path / "lonely"
    lonely.mkdir()
    for source in mnist_dir.glob("*.gz"):
        (lonely / source.name).symlink_to(source)
    monkeypatch.setenv("DIGITPAD_DATA_DIR", str(lonely))
    monkeypatch.setattr("digitpad.data.mnist.project_data_dir", lambda: None)
    monkeypatch.setattr("digitpad.data.mnist.user_cache_dir", lambda: tmp_path / "no-cache")
    asked = []
    monkeypatch.setattr(data_folder, "ask_for_data", lambda parent, names: asked.append(names))
    window = combined.open_honesty()
    window.honest_button.click()
    assert asked == [["pendigits", "uji", "omniglot"]]
    assert window.job is None and window.honest_button.isEnabled()
    text = window.honest_status.text()
    assert text == "Not run: the real pen digits, UJI Pen Characters, Omniglot's strokes not found."
    assert "digitpad download" not in text


def made_up(sure: float, ece: float) -> dict:
    """A `measure_honesty` result, made up: two bins of digits, and the pooled rows the window shows."""
    digits = {"count": 1557, "not_a_digit": 0.0013, "sure": sure, "sure_wrong": 0.0, "accuracy": 0.99, "ece": ece}
    other = {"count": 3216, "not_a_digit": 0.99, "sure": 0.0034, "sure_wrong": None, "accuracy": None, "ece": None}
    bins = [{"low": 0.8, "high": 0.87, "count": 40, "confidence": 0.84, "accuracy": 0.8},
            {"low": 0.93, "high": 1.0, "count": 1500, "confidence": 0.99, "accuracy": 0.995}]
    return {"sets": {"digits: all": digits, "not digits: all": other}, "reliability": bins,
            "calibration": {"temperature": 1.0, "sure_above": 0.97, "not_a_digit_above": 0.5}}


def test_the_honest_answers_speak_french_with_french_numbers(qtbot, combined):
    from test_app_french import leftovers

    i18n.install_language("fr")
    try:
        window = RobustnessWindow([], None, combined, combined=combined.session.reader)
        qtbot.addWidget(window)
        window.show()
        window.show_honesty({"both": made_up(0.9942, 0.0022), "image": made_up(0.9589, 0.005),
                             "strokes": made_up(0.9859, 0.0031)})
        axes = window.honest_plot.figure.axes[0]
        assert axes.get_ylabel() == "exactitude" and axes.get_title() == "Fiabilité sur les chiffres des scripteurs de test"
        legend = [text.get_text() for text in axes.get_legend().get_texts()]
        assert legend[0] == "réseau d’image et modèle de tracé combinés (ECE 0,22\u00a0%)"
        table = window.honest_table
        assert table.verticalHeaderItem(0).text() == "réseau d’image et modèle de tracé combinés\n(le lecteur de l’application)"
        assert table.item(0, 1).text() == "99,42\u00a0%" and table.item(1, 4).text() == "0,34\u00a0%"
        assert "1\u202f557 chiffres" in window.honest_status.text() or "1\u00a0557 chiffres" in window.honest_status.text()
        headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        assert headers[0] == "chiffres jugés\n«\u00a0pas un chiffre\u00a0»"
        assert leftovers(window) == []
        window.honest_button.click()      # the data is there: it measures; stop it at once
        window.honest_stop.click()
        qtbot.waitUntil(lambda: window.honest_button.isEnabled(), timeout=60_000)
        assert window.honest_status.text() == "Arrêté."
    finally:
        i18n.install_language("en")
