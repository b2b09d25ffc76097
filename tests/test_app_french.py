"""The app in French through Qt's translation system (pytest-qt, offscreen): every window and dialog
without an English leftover, the verdicts, switching back to English, the system locale, and the
committed .ts/.qm files up to date with the code."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QApplication, QCheckBox, QComboBox, QDockWidget,
                               QGroupBox, QLabel, QLineEdit, QListWidget, QMenu, QPushButton, QTabWidget, QTextBrowser,
                               QWidget)

from digitpad.app import i18n
from digitpad.app.windows.main_window import MainWindow
from digitpad.app.widgets.plots import PlotCanvas
from digitpad.app.widgets.probabilities import verdict_text
from digitpad.reading.reader import Answer
from digitpad.reading.store import shipped_dir
from test_app_canvas import draw, one

APP = Path(i18n.__file__).resolve().parent
TS = APP / "translations" / "digitpad_fr.ts"
QM = APP / "translations" / "digitpad_fr.qm"
PLACEHOLDER = re.compile(r"\{(\d+)(?:[:!][^{}]*)?\}")
WORD = re.compile(r"[^\W\d_]+")


def read_ts(path: Path = TS) -> list[tuple[str, str, ET.Element]]:
    """(context, source, translation element) for every message of a .ts file."""
    root = ET.parse(path).getroot()
    return [(context.findtext("name"), message.findtext("source"), message.find("translation"))
            for context in root.iter("context") for message in context.iter("message")]


def translated(translation: ET.Element) -> str:
    """A translation's text; a count's forms (singular, plural) one per line."""
    forms = [form.text or "" for form in translation.iter("numerusform")]
    return "\n".join(forms) if forms else translation.text or ""


MESSAGES = read_ts()
TRANSLATED = {(c, s): translated(t) for c, s, t in MESSAGES}


def _normal(text: str) -> str:
    return text.replace("&", "").replace("\u00a0", " ").strip().casefold()


def _pattern(source: str) -> re.Pattern | None:
    """A regex for ``source`` with its {n} placeholders filled in, or None when the text around the
    placeholders has no letters (``"{0}: {1}"`` would match nearly anything)."""
    parts = PLACEHOLDER.split(source)[::2]
    if not PLACEHOLDER.search(source) or not WORD.search("".join(parts)):
        return None
    return re.compile(".+?".join(re.escape(_normal(part)) for part in parts), re.S)


# English source texts whose French differs: shown as is, they are leftovers.
ENGLISH = {_normal(s) for c, s, t in MESSAGES if _normal(translated(t)) != _normal(s)}
ENGLISH_PATTERNS = [p for c, s, t in MESSAGES if _normal(translated(t)) != _normal(s) and (p := _pattern(s))]
# Words of the English texts that no French text uses ("the", "digit", "model"…): a text with one of them
# is English even if it was never marked for translation (and so is not in the .ts at all).
ENGLISH_WORDS = ({w.casefold() for _, s, _ in MESSAGES for w in WORD.findall(s.replace("&", ""))}
                 - {w.casefold() for t in TRANSLATED.values() for w in WORD.findall(t.replace("&", ""))})


MODEL_NAMES = re.compile(r"\b(?:%s)\b" % "|".join(re.escape(p.stem) for p in sorted(shipped_dir().glob("*.npz"))))


def english_leftover(text: str) -> str | None:
    """Why ``text`` (shown in the French interface) is English, or None.  Paths are ignored (the test's
    folders have English names); names, numbers and units are allowed because French uses them too."""
    if not text or not WORD.search(text):
        return None
    normal = _normal(text)
    if normal in ENGLISH or any(p.fullmatch(normal) for p in ENGLISH_PATTERNS):
        return "an English source text"
    text = re.sub(r"<[^>]*>", " ", text)   # rich text's markup (<span style=...>) is not shown
    text = MODEL_NAMES.sub(" ", text)   # the shipped models' names ("strokes") are names, in French too
    words = {w.casefold() for w in WORD.findall(re.sub(r"\S*[/\\]\S*", " ", text))} & ENGLISH_WORDS
    return f"English words {sorted(words)}" if words else None


@pytest.fixture(autouse=True)
def language_settings(tmp_path, monkeypatch, qapp):
    """A private settings folder; English and the locale restored after each test."""
    monkeypatch.setenv("DIGITPAD_CONFIG_DIR", str(tmp_path / "config"))
    locale = QLocale()
    yield tmp_path / "config" / "settings.json"
    i18n.install_language("en")
    QLocale.setDefault(locale)


@pytest.fixture
def french_window(qtbot, app_env):
    i18n.install_language("fr")
    win = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(win)
    win.resize(1240, 700)
    win.show()
    return win


def widget_texts(widget: QWidget):
    """(where, text) for every user-visible text of a window and its children."""
    yield "window title", widget.windowTitle()
    for child in [widget, *widget.findChildren(QWidget)]:
        name = type(child).__name__
        yield f"{name} tooltip", child.toolTip()
        if isinstance(child, QLabel):
            yield name, child.text()
        if isinstance(child, QAbstractButton):
            yield name, child.text()
        if isinstance(child, QGroupBox):
            yield name, child.title()
        if isinstance(child, QDockWidget):
            yield name, child.windowTitle()
        if isinstance(child, QComboBox):
            yield from ((name, child.itemText(i)) for i in range(child.count()))
        if isinstance(child, QTabWidget):
            yield from ((name, child.tabText(i)) for i in range(child.count()))
        if isinstance(child, QLineEdit):
            yield f"{name} placeholder", child.placeholderText()
        if isinstance(child, QAbstractSpinBox):
            yield name, child.specialValueText()
            yield name, getattr(child, "suffix", lambda: "")()
            yield name, getattr(child, "prefix", lambda: "")()
        if isinstance(child, QListWidget):
            yield from ((name, child.item(i).text()) for i in range(child.count()))
        if isinstance(child, QMenu):
            yield name, child.title()
        if isinstance(child, QTextBrowser):
            yield from ((name, line) for line in child.toPlainText().splitlines())
        if isinstance(child, PlotCanvas):
            yield from ((f"{name} plot", text) for text in figure_texts(child.figure))
        for action in child.actions():
            yield "QAction", action.text()
            yield "QAction tooltip", action.toolTip()


def figure_texts(figure):
    for ax in figure.axes:
        yield ax.get_title()
        yield ax.get_xlabel()
        yield ax.get_ylabel()
        yield from (text.get_text() for text in ax.texts)
        legend = ax.get_legend()
        if legend is not None:
            yield legend.get_title().get_text()
            yield from (text.get_text() for text in legend.get_texts())


def leftovers(widget: QWidget) -> list[str]:
    return sorted({f"{where}: {text!r} ({why})" for where, text in widget_texts(widget)
                   if (why := english_leftover(text))})


def clipped(widget: QWidget) -> list[str]:
    """Visible one-line labels, buttons and check boxes too narrow for their text."""
    found = []
    for child in widget.findChildren(QWidget):
        if not child.isVisible() or not isinstance(child, (QLabel, QPushButton, QCheckBox)):
            continue
        if isinstance(child, QLabel) and (child.wordWrap() or "<" in child.text()):
            continue
        lines = child.text().replace("&", "").splitlines() or [""]
        needed = max(child.fontMetrics().horizontalAdvance(line) for line in lines)
        room = child.contentsRect().width() - (8 if isinstance(child, QPushButton) else 0)
        room -= 20 if isinstance(child, QCheckBox) else 0
        if needed > room:
            found.append(f"{type(child).__name__} {child.text()!r}: {needed} px of text in {room} px")
    return found


def accelerator_clashes(menu) -> list[str]:
    keys = [re.search(r"&(\w)", action.text()) for action in menu.actions() if not action.isSeparator()]
    letters = [m.group(1).casefold() for m in keys if m]
    return sorted({letter for letter in letters if letters.count(letter) > 1})


# --- the .ts and .qm files ---------------------------------------------------------------------------------


def _tool(name: str) -> str:
    for folder in (Path(sys.executable).parent, None):
        path = shutil.which(name, path=str(folder) if folder else None)
        if path:
            return path
    pytest.fail(f"{name} not found (it comes with PySide6)")


def test_every_entry_is_translated_with_its_placeholders_and_one_accelerator():
    assert len(MESSAGES) > 200
    # a class or a translate() context: lupdate files self.tr() after a translate() call in the same
    # function under "QCoreApplication.self", where the app never looks
    assert {context for context, _, _ in MESSAGES} == {c for c, _, _ in MESSAGES if re.fullmatch(r"\w+", c)}
    for context, source, translation in MESSAGES:
        where = f"{context}: {source!r}"
        # a count's text has its singular and plural forms, each with every placeholder
        forms = [form.text or "" for form in translation.iter("numerusform")] or [translation.text or ""]
        assert translation.get("type") is None and all(forms), f"unfinished {where}"
        for form in forms:
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(source)), where
            assert form.count("&") == source.count("&"), where
            assert form.count("%n") == source.count("%n"), where


def test_the_qm_file_is_compiled_from_the_ts_file(tmp_path):
    out = tmp_path / "digitpad_fr.qm"
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(TS), "-qm", str(out)], check=True)
    assert out.read_bytes() == QM.read_bytes(), "run pyside6-lrelease (see digitpad/app/i18n.py)"


def test_the_ts_file_holds_every_text_of_the_code(tmp_path):
    copy = tmp_path / "digitpad_fr.ts"
    shutil.copy(TS, copy)
    run = subprocess.run([_tool("pyside6-lupdate"), *map(str, sorted(APP.rglob("*.py"))), "-no-obsolete", "-ts", str(copy)],
                         check=True, capture_output=True, text=True)
    updated = read_ts(copy)
    unfinished = [(c, s) for c, s, t in updated if t.get("type") == "unfinished"]
    assert unfinished == [], f"texts to translate (run pyside6-lupdate, see digitpad/app/i18n.py):\n{unfinished}\n{run.stdout}"
    assert {(c, s) for c, s, _ in updated} == set(TRANSLATED), "texts no longer in the code: run pyside6-lupdate -no-obsolete"


# Which arguments of the Qt (and matplotlib) calls of digitpad.app are texts that the user reads.
FIRST = ("setText", "setToolTip", "setWindowTitle", "setPlaceholderText", "setSuffix", "setPrefix", "setStatusTip",
         "setSpecialValueText", "setTitle", "showMessage", "addItem", "addItems", "addRow", "addButton", "addMenu",
         "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QListWidgetItem",
         "QDockWidget", "HelpDialog", "set_title", "set_xlabel", "set_ylabel", "set_label")
TEXT_ARGUMENTS = {**{name: (0,) for name in FIRST}, "warning": (1, 2), "information": (1, 2), "critical": (1, 2),
                  "question": (1, 2), "QMessageBox": (1, 2), "getOpenFileName": (1, 3), "getSaveFileName": (1, 3),
                  "getExistingDirectory": (1,), "drawText": (-1,), "text": (2,)}


def _literal(node) -> str:
    """The letters a literal (or an f-string, or a list of them) puts on screen as they are."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return " ".join(_literal(element) for element in node.elts)
    if isinstance(node, (ast.Constant, ast.JoinedStr)):
        return "".join(part.value for part in ast.walk(node) if isinstance(part, ast.Constant) and isinstance(part.value, str))
    return ""


def test_no_user_visible_string_literal_is_left_unmarked():
    """Literal texts handed straight to a widget (not through tr()/translate()) would stay English."""
    found = []
    for path in sorted(APP.rglob("*.py")):
        if path.name == "system_libraries.py":   # its message is printed before Qt starts: English
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            arguments = [node.args[i] for i in TEXT_ARGUMENTS.get(name, ()) if -len(node.args) <= i < len(node.args)]
            arguments += [k.value for k in node.keywords if k.arg in ("label", "title", "text")]
            for argument in arguments:
                literal = _literal(argument)
                if re.search(r"[A-Za-z]{2,}", literal) and literal != "digitpad":
                    found.append(f"{path.relative_to(APP)}:{node.lineno}: {literal!r}")
    assert found == []


# --- the interface in French ----------------------------------------------------------------------------


def test_verdicts_in_french():
    i18n.install_language("fr")
    p = np.full(10, 0.01)
    p[1], p[7] = 0.7, 0.22
    assert verdict_text(Answer.from_probabilities(p)) == "incertain\u00a0: 1 ou 7"
    p = np.full(10, 0.02 / 9)
    p[4] = 0.98
    assert verdict_text(Answer.from_probabilities(p)) == "sûr à 98\u00a0% que c’est un 4"   # French numbers
    assert verdict_text(Answer.from_probabilities(p, not_a_digit_score=0.9)) == "ceci ne ressemble pas à un chiffre"
    assert verdict_text(Answer.from_probabilities(None)) == "dessinez un chiffre"
    i18n.install_language("en")
    assert verdict_text(Answer.from_probabilities(p)) == "98% sure it is a 4"
    assert verdict_text(Answer.from_probabilities(None)) == "draw a digit"


def test_every_window_and_dialog_is_in_french(qtbot, french_window, tmp_path):
    window = french_window
    draw(window.canvas, one())
    window.session.predictor.predict_now()
    assert window.teach(1)                                   # one stored digit: "my digits" has a thumbnail
    assert english_leftover(window.statusBar().currentMessage()) is None
    qtbot.waitUntil(lambda: window.width_plot.sweep is not None, timeout=20_000)   # the plot's legend, in French
    window.width_plot.select_width(20)
    menus = [action.menu() for action in window.menuBar().actions()]
    assert [m.title() for m in menus] == ["&Fichier", "É&dition", "Afficha&ge", "&Modèle", "&Outils", "&Aide"]
    assert accelerator_clashes(window.menuBar()) == []
    for menu in menus + window.menuBar().findChildren(QMenu):
        assert accelerator_clashes(menu) == [], menu.title()

    path = tmp_path / "main-window-fr.png"
    window.grab().save(str(path))                            # looked at by hand: nothing cut off
    assert path.stat().st_size > 10_000
    windows = {"main window": window}
    confusion = window.open_confusion()
    windows.update({
        "training": window.open_training(), "fine-tune": window.open_fine_tune(), "my digits": window.open_personal(),
        "robustness": window.open_robustness(), "confusion": confusion, "insides": window.open_insides(),
        "shortcuts": window.show_shortcuts(), "reading guide": window.show_reading_guide(), "about": window.show_about(),
    })
    qtbot.waitUntil(lambda: confusion.run is not None, timeout=30_000)
    QApplication.processEvents()
    assert "exactitude" in confusion.status.text()
    problems = {name: found for name, w in windows.items() if (found := leftovers(w))}
    assert problems == {}
    cut = {name: found for name, w in windows.items() if (found := clipped(w))}
    assert cut == {}


def test_switching_back_to_english_and_the_choice_is_saved(qtbot, french_window, language_settings):
    draw(french_window.canvas, one())
    french_window.compare_box.setChecked(True)
    english = french_window.set_language("en")
    qtbot.addWidget(english)
    assert english.session is french_window.session          # a new window on the same session
    assert english.compare_box.isChecked() and english.answers.compare_panel.isVisibleTo(english)
    assert i18n.active_language() == "en" and english.language == "en"
    assert english.menuBar().actions()[0].text() == "&File"
    assert re.fullmatch(r"\d+% sure it is a \d|unsure: \d or \d", english.panel.verdict_label.text())
    assert len(english.canvas.drawing.strokes) == 1          # the same drawing
    assert json.loads(language_settings.read_text(encoding="utf-8"))["language"] == "en"
    assert i18n.current_language() == "en"
    french = english.set_language("fr")
    qtbot.addWidget(french)
    assert french.menuBar().actions()[0].text() == "&Fichier"
    assert json.loads(language_settings.read_text(encoding="utf-8"))["language"] == "fr"


def test_the_new_window_reads_on_once_the_old_one_is_deleted(qtbot, app_env):
    """The session outlives the window it was made with: the old window's panes leave it when deleted."""
    from PySide6.QtCore import QEvent

    i18n.install_language("fr")
    french = MainWindow(app_env / "tiny.npz")   # not given to qtbot, which would close it once deleted
    french.show()
    session = french.session
    english = french.set_language("en")
    qtbot.addWidget(english)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    draw(english.canvas, one())
    answer = session.predict_now().answers[0]
    assert answer.digit is not None and english.panel.digit.text() == str(answer.digit)
    assert english.session.drawing is english.canvas.drawing and len(english.canvas.drawing.strokes) == 1


def test_the_language_follows_the_system_locale_until_one_is_chosen(language_settings):
    QLocale.setDefault(QLocale(QLocale.Language.French))
    assert i18n.chosen_language() is None and i18n.current_language() == "fr"
    QLocale.setDefault(QLocale("fr_CA"))
    assert i18n.current_language() == "fr"
    QLocale.setDefault(QLocale("de_DE"))
    assert i18n.current_language() == "en"
    i18n.save_language("fr")
    assert i18n.current_language() == "fr"
    i18n.save_language(None)
    assert i18n.current_language() == "en" and "language" not in json.loads(language_settings.read_text(encoding="utf-8"))
