"""Counts and numbers as the app says them, in English and in French (pytest-qt, offscreen): plurals
through Qt's translations ("1 digit", "2 digits", « 1 chiffre »), every number in the locale of the
app's language ("99.3%", « 99,3 % »), the training dialog's real split of MNIST, the training plots'
axes before and during training, and the About page's headings on lines of their own."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import QLocale, QRect, Qt
from PySide6.QtWidgets import QApplication

from digitpad.app import i18n
from digitpad.app.model_labels import model_label
from digitpad.app.widgets.plots import LocaleFormatter, TrainingCurves
from digitpad.app.widgets.probabilities import verdict_text
from digitpad.app.windows.help_dialogs import HelpDialog, about_html, demoted
from digitpad.app.windows.main_window import MainWindow
from digitpad.app.workers import outcome_text
from digitpad.reading.reader import Answer
from digitpad.reading.store import ModelEntry
from digitpad.training.config import preset_config
from test_app_canvas import draw, one
from test_app_french import TS, _tool, read_ts

EN_TS = TS.with_name("digitpad_en.ts")
EN_QM = TS.with_name("digitpad_en.qm")
NNBSP, NBSP = "\u202f", "\u00a0"   # French groups thousands with a narrow no-break space, and puts one before %


@pytest.fixture(autouse=True)
def english_afterwards(tmp_path, monkeypatch, qapp):
    """A private settings folder; English and the locale restored after each test."""
    monkeypatch.setenv("DIGITPAD_CONFIG_DIR", str(tmp_path / "config"))
    locale = QLocale()
    yield
    i18n.install_language("en")
    QLocale.setDefault(locale)


# --- the English plural forms: a translation file of their own ---------------------------------------


def test_the_english_plural_file_holds_every_count_of_the_code_and_is_compiled(tmp_path):
    copy = tmp_path / "digitpad_en.ts"
    shutil.copy(EN_TS, copy)
    app = EN_TS.parents[1]
    subprocess.run([_tool("pyside6-lupdate"), *map(str, sorted(app.rglob("*.py"))), "-no-obsolete", "-pluralonly",
                    "-ts", str(copy)], check=True, capture_output=True, text=True)
    updated = read_ts(copy)
    assert {(c, s) for c, s, _ in updated} == {(c, s) for c, s, _ in read_ts(EN_TS)}, "run pyside6-lupdate -pluralonly"
    root = ET.parse(EN_TS).getroot()
    plurals = [m for m in root.iter("message") if m.get("numerus") == "yes"]
    assert len(plurals) >= 12
    for message in plurals:
        forms = [f.text or "" for f in message.find("translation").iter("numerusform")]
        source = message.findtext("source")
        assert message.find("translation").get("type") is None and len(forms) == 2 and all(forms), source
        assert "(s)" in source and not any("(s)" in form for form in forms), source
    french = {s for c, s, t in read_ts(TS) if t.find("numerusform") is not None}
    assert french == {m.findtext("source") for m in plurals}     # the same texts count in both languages
    out = tmp_path / "digitpad_en.qm"
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(EN_TS), "-qm", str(out)], check=True)
    assert out.read_bytes() == EN_QM.read_bytes(), "run pyside6-lrelease (see digitpad/app/i18n.py)"


def test_no_count_is_written_with_an_english_plural_or_a_python_number_format():
    """A count through an f-string or ``{0:,}`` would stay "1 digits" / "60,000" in French."""
    app = EN_TS.parents[1]
    found = []
    for path in sorted(app.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\{\d*:[^{}]*[,%fg]\}|\{[^{}]*:\.\d+%\}", text):
            found.append(f"{path.relative_to(app)}: {match.group(0)}")
    assert found == []


# --- plurals, in both languages -----------------------------------------------------------------------


@pytest.mark.parametrize("language, one_text, two_text", [
    ("en", "You have 1 digit;", "You have 2 digits;"),
    ("fr", f"Vous avez 1 chiffre{NBSP};", f"Vous avez 2 chiffres{NBSP};"),
])
def test_teaching_says_how_many_digits_in_the_right_plural(qtbot, app_env, language, one_text, two_text):
    i18n.install_language(language)
    window = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(window)
    window.show()
    draw(window.canvas, one())
    window.session.predict_now()
    assert window.teach(1)
    assert one_text in window.statusBar().currentMessage()
    assert window.teach(1)
    assert two_text in window.statusBar().currentMessage()
    mine = window.open_personal()
    expected = "<b>2</b> digits (1: 2)" if language == "en" else "<b>2</b> chiffres (1\u00a0: 2)"
    assert expected in mine.summary.text()


def test_a_window_built_before_any_language_was_installed_says_english_plurals(qtbot, app_env, monkeypatch):
    monkeypatch.setattr(i18n, "_ever_installed", [False])
    for translator in list(i18n._installed):
        QApplication.instance().removeTranslator(translator)
    i18n._installed.clear()
    window = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(window)
    draw(window.canvas, one())
    window.session.predict_now()
    assert window.teach(3) and "You have 1 digit;" in window.statusBar().currentMessage()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_how_training_ended_in_words_and_numbers_of_the_language(language):
    i18n.install_language(language)
    texts = [outcome_text("completed", "finished 1 epochs", 1), outcome_text("completed", "", 3, best_epoch=3,
                                                                                 best_accuracy=0.98123),
             outcome_text("early-stopped", "", 7, patience=1), outcome_text("cancelled", "", 0, last_epoch=2),
             outcome_text("diverged", "", 1, last_epoch=2)]
    if language == "en":
        assert texts[:3] == ["Finished 1 epoch", "Finished 3 epochs; best validation accuracy 98.12% at epoch 3",
                             "Stopped early after epoch 7: no better validation accuracy for 1 epoch"]
        assert texts[3] == "Training cancelled in epoch 2" and "diverged in epoch 2" in texts[4]
    else:
        assert texts[:3] == ["1 époque terminée",
                             f"3 époques terminées{NBSP}; meilleure exactitude de validation 98,12{NBSP}% à l’époque 3",
                             f"Arrêt anticipé après l’époque 7{NBSP}: pas de meilleure exactitude de validation "
                             f"depuis 1 époque"]
        assert texts[3] == "Entraînement annulé pendant l’époque 2" and "divergé pendant l’époque 2" in texts[4]
    assert outcome_text("something new", "the trainer's words", 1) == "the trainer's words"


# --- numbers in the locale of the app's language --------------------------------------------------------


def test_numbers_and_percentages_follow_the_apps_language_not_the_systems():
    QLocale.setDefault(QLocale("de_DE"))   # the system's locale does not decide
    i18n.install_language("en")
    assert (i18n.number(55000), i18n.number(39.14, 1), i18n.percent(0.993), i18n.percent(1.0, 1)) == \
        ("55,000", "39.1", "99.3%", "100.0%")
    assert i18n.number(-0.0001, 1) == "0.0" and i18n.significant(0.012345) == "0.0123"
    i18n.install_language("fr")
    assert (i18n.number(55000), i18n.number(39.14, 1), i18n.percent(0.993), i18n.percent(1.0, 1)) == \
        (f"55{NNBSP}000", "39,1", f"99,3{NBSP}%", f"100,0{NBSP}%")
    p = np.full(10, 0.002)
    p[4] = 0.982
    answer = Answer.from_probabilities(p)
    assert verdict_text(answer) == f"sûr à 98{NBSP}% que c’est un 4"
    entry = ModelEntry(name="cnn", path=None, kind="shipped", metadata={"test_accuracy": 0.9961})
    assert model_label(entry) == f"cnn (fourni, 99,61{NBSP}%)"
    i18n.install_language("en")
    assert model_label(entry) == "cnn (shipped, 99.61%)"


@pytest.mark.parametrize("language, decimal", [("en", "."), ("fr", ",")])
def test_the_main_windows_numbers_are_in_the_language(qtbot, app_env, language, decimal):
    i18n.install_language(language)
    window = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(window)
    window.show()
    draw(window.canvas, one())
    window.session.predict_now()
    latency = window.input_pane.latency_label.text()
    assert re.search(rf"\d+{re.escape(decimal)}\d ms", latency), latency            # "6.5 ms", « 6,5 ms »
    shown = i18n.percent(float(window.session.last.answers[0].probabilities.max()), 1)
    assert shown.endswith(f"{NBSP}%" if language == "fr" else "%") and decimal in shown  # the bars' figures
    assert window.locale().name() == ("fr_FR" if language == "fr" else "en_US")


def test_the_confusion_window_counts_in_french(qtbot, app_env):
    i18n.install_language("fr")
    window = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(window)
    confusion = window.open_confusion()
    qtbot.waitUntil(lambda: confusion.run is not None, timeout=60_000)
    assert f"sur 10{NNBSP}000 images de test" in confusion.status.text()
    assert re.search(rf"exactitude de \d+,\d\d{NBSP}%", confusion.status.text()), confusion.status.text()
    cells = [text.get_text() for text in confusion.plot.figure.axes[0].texts]
    big = [text for text in cells if len(text) > 3]                # the diagonal's counts: over 1,000 for some digits
    assert big and all(re.fullmatch(rf"\d{NNBSP}\d{{3}}", text) for text in big), cells


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_pen_width_study_writes_its_table_legend_and_ticks_in_the_language(qtbot, language):
    from digitpad.app.windows.robustness_window import RobustnessWindow
    from digitpad.evaluation.robustness_report import RobustnessResult
    from test_app_french import leftovers

    i18n.install_language(language)
    window = RobustnessWindow([], None)
    qtbot.addWidget(window)
    window.show()
    result = RobustnessResult(widths=[2, 4, 8, 16, 32], canvas=128, n=1500, dataset="pen",
                              accuracy={("cnn", "strokes"): [0.9912, 0.9933, 0.99, 0.985, float("nan")],
                                        ("cnn", "raw"): [0.5, 0.8, 0.95, 0.9, 0.7]},
                              empty={"raw": [3, 0, 0, 0, 0]})
    window._on_done(result)
    table = window.table.toPlainText()
    axes = window.plot.figure.axes[0]
    window.plot.figure.canvas.draw()
    if language == "en":
        assert "99.1" in table and "pixels" in table and "n = 1,500" in table
        # one entry per model (its colour and marker), one per pipeline (its line style)
        assert [t.get_text() for t in axes.get_legend().get_texts()] == ["cnn", "strokes redrawn (the app's)",
                                                                          "raw pixels"]
    else:
        assert "99,1" in table and "99.1" not in table and f"n = 1{NNBSP}500" in table
        assert [t.get_text() for t in axes.get_legend().get_texts()] == ["cnn", "traits redessinés (l’application)",
                                                                          "pixels bruts"]
        assert all("." not in label for label in tick_labels(axes.yaxis))
        assert leftovers(window) == []
    lines = table.splitlines()
    assert len({len(line) for line in lines[1:5]}) == 1, table       # the columns line up
    assert [t.get_text() for t in axes.get_xticklabels()] == ["2", "4", "8", "16", "32"]


# --- the training dialog: what it trains and validates on, its form, its plots --------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_training_dialog_says_what_it_trains_and_validates_on(qtbot, app_env, language):
    i18n.install_language(language)
    window = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(window)
    dialog = window.open_training()
    dialog.show()
    assert dialog.preset.currentText() == "quick" and dialog.limit.value() == 0
    assert dialog.split() == (55_000, 5_000)                       # quick holds out 5,000 of all 60,000
    if language == "en":
        assert dialog.split_hint.text() == "55,000 to train on, 5,000 held out to validate"
        assert dialog.limit.specialValueText() == "all 60,000"
    else:
        assert dialog.split_hint.text() == f"55{NNBSP}000 pour l’entraînement, 5{NNBSP}000 gardées à part pour la validation"
        assert dialog.limit.specialValueText() == f"toutes (60{NNBSP}000)"
    for preset, limit in (("mlp", 0), ("mlp", 3000), ("quick", 20_000), ("quick", 1000)):
        dialog.preset.setCurrentText(preset)
        dialog.limit.setValue(limit)
        config = preset_config(preset, limit=limit or None)   # as the training will split them
        images = limit or 60_000
        assert dialog.split() == (images - config.held_out(images), config.held_out(images)), (preset, limit)
        assert i18n.number(dialog.split()[0]) in dialog.split_hint.text()
    dialog.preset.setCurrentText("strokes-quick")                   # pen trajectories: no MNIST split
    assert dialog.split() is None and not dialog.limit.isEnabled() and dialog.split_hint.text()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_preset_descriptions_are_never_cut(qtbot, app_env, language):
    i18n.install_language(language)
    window = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(window)
    dialog = window.open_training()
    dialog.show()
    for preset in ("quick", "cnn-bn", "strokes-quick", "mlp", "strokes", "quick"):
        dialog.preset.setCurrentText(preset)
        QApplication.processEvents()
        for label in (dialog.preset_hint, dialog.split_hint):
            needed = label.fontMetrics().boundingRect(QRect(0, 0, label.contentsRect().width(), 10_000),
                                                      Qt.TextFlag.TextWordWrap, label.text()).height()
            assert label.contentsRect().height() >= needed, (preset, label.text())
            # and a line of slack at most (a shorter text does not keep a longer one's height)
            assert label.contentsRect().height() <= needed + label.fontMetrics().lineSpacing(), (preset, label.text())


def tick_labels(axis) -> list[str]:
    return [text.get_text() for text in axis.get_ticklabels() if text.get_text()]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_training_plots_axes_before_and_during_training(qtbot, language):
    i18n.install_language(language)
    curves = TrainingCurves()
    qtbot.addWidget(curves)
    curves.resize(700, 300)
    curves.show()
    curves.reset(epochs=3)
    curves.figure.canvas.draw()
    loss_ax, acc_ax = curves.figure.axes
    assert acc_ax.get_ylim() == (0, 1) and loss_ax.get_ylim()[0] == 0 and loss_ax.get_xlim() == (0, 3)
    percent_sign = f"{NBSP}%" if language == "fr" else "%"
    assert tick_labels(acc_ax.yaxis) == [f"{n}{percent_sign}" for n in (0, 20, 40, 60, 80, 100)]
    assert tick_labels(acc_ax.xaxis) == ["0", "1", "2", "3"]       # the planned epochs, whole
    empty = "no data yet" if language == "en" else "pas encore de données"
    assert [t.get_text() for t in acc_ax.texts] == [empty] and [t.get_text() for t in loss_ax.texts] == [empty]
    curves.set_epochs(10)
    assert curves.figure.axes[1].get_xlim() == (0, 10)

    # the first batches: accuracies of 8 % to 10 %, which whole percentages wrote "9% 9% 9% 8%"
    for i, accuracy in enumerate((0.0812, 0.0856, 0.0921, 0.0987, 0.0894)):
        curves.add_batch(0.01 * (i + 1), 2.3 - 0.001 * i, accuracy)
    curves.redraw()
    curves.figure.canvas.draw()
    loss_ax, acc_ax = curves.figure.axes
    assert not acc_ax.texts and 0.08 < acc_ax.get_ylim()[1] < 0.11
    for axis in (acc_ax.yaxis, loss_ax.yaxis, acc_ax.xaxis):
        labels = tick_labels(axis)
        assert len(labels) >= 3 and len(set(labels)) == len(labels), labels
    decimal = "," if language == "fr" else "."
    assert all(label.endswith(percent_sign) and decimal in label for label in tick_labels(acc_ax.yaxis))
    assert all(decimal in label for label in tick_labels(loss_ax.yaxis))


def test_tick_labels_have_the_decimals_their_ticks_need():
    i18n.install_language("en")
    formatter = LocaleFormatter()
    assert formatter.format_ticks([0, 0.5, 1, 1.5]) == ["0.0", "0.5", "1.0", "1.5"]
    assert formatter.format_ticks([0, 10, 20]) == ["0", "10", "20"]
    assert formatter.format_ticks([2.25, 2.26, 2.27]) == ["2.25", "2.26", "2.27"]
    percent = LocaleFormatter(percent=True)
    assert percent.format_ticks([0.08, 0.085, 0.09, 0.095]) == ["8.0%", "8.5%", "9.0%", "9.5%"]
    assert percent.format_ticks([0.2, 0.4, 0.6]) == ["20%", "40%", "60%"]
    i18n.install_language("fr")
    assert LocaleFormatter(percent=True).format_ticks([0.99, 0.995, 1.0]) == [f"99,0{NBSP}%", f"99,5{NBSP}%",
                                                                              f"100,0{NBSP}%"]


# --- About and the why panel ------------------------------------------------------------------------------


def test_about_puts_the_model_card_title_on_its_own_line_under_the_pages_heading(qtbot, app_env):
    from digitpad.reading.store import shipped_dir
    from digitpad.training.modelcard import read_card_markdown

    card = read_card_markdown(shipped_dir() / "cnn.npz")
    assert card and card.startswith("# Model card: cnn")
    dialog = HelpDialog("About digitpad", about_html(card), card)
    qtbot.addWidget(dialog)
    blocks, block = [], dialog.browser.document().begin()
    while block.isValid():
        blocks.append((block.text(), block.blockFormat().headingLevel()))
        block = block.next()
    texts = [text for text, _ in blocks]
    assert "The current model" in texts and "Model card: cnn" in texts   # two lines, not one run together
    current, title = texts.index("The current model"), texts.index("Model card: cnn")
    assert title == current + 1 and blocks[current][1] == 2 and blocks[title][1] == 3   # the card one level down
    assert ("Reproduce", 4) in blocks
    assert demoted("# A\n```\n# not a heading\n```\n## B\n") == "### A\n```\n# not a heading\n```\n#### B\n"


@pytest.mark.parametrize("size", [(1280, 720), None])
def test_the_why_panels_captions_sit_under_their_maps_at_start_up(qtbot, app_env, size):
    window = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(window)
    if size:
        window.resize(*size)
        window.show()
    else:
        window.showMaximized()
    QApplication.processEvents()
    panel = window.why_panel
    for tile, caption in zip(panel.tiles + panel.stroke_tiles, panel.captions + panel.stroke_captions):
        if tile.isVisible():
            assert caption.geometry().top() >= tile.geometry().bottom(), (tile.geometry(), caption.geometry())
    caption = panel.captions[0]
    assert caption.text() and caption.visibleRegion().boundingRect().height() >= caption.fontMetrics().height()
    # squeezed below what it needs, the panel scrolls instead of laying its captions under the maps
    area = window.why_dock.widget()
    assert area.widget() is panel and area.minimumHeight() >= panel.minimumSizeHint().height()
