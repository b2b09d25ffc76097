"""The Help menu's pages: keyboard shortcuts (read from the window's own menus, so they never drift),
how to read the main window, and About (version, the current model's card, licence, data credits)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QTextDocument, QTextDocumentFragment
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMainWindow, QTextBrowser, QVBoxLayout

import digitpad
from digitpad.app.i18n import percent
from digitpad.reading.calibration import SURE_PRECISION
from digitpad.training.modelcard import read_card_markdown


def menu_shortcuts(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, action, shortcuts) for every menu action that has a keyboard shortcut, in menu order."""
    rows = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        for action in menu.actions():
            keys = [key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts()]
            keys = [key for key in keys if key]
            if keys and not action.isSeparator():
                rows.append((menu.title().replace("&", ""), action.text().replace("&", ""), ", ".join(keys)))
    return rows


# The texts are marked with QCoreApplication.translate(...) outside the f-strings: lupdate reads
# neither f-strings nor a helper such as _tr(text).
def shortcuts_html(window: QMainWindow) -> str:
    rows = "".join(f"<tr><td>{html.escape(menu)}</td><td>{html.escape(action)}</td><td><b>{html.escape(keys)}</b></td></tr>"
                   for menu, action, keys in menu_shortcuts(window))
    title = QCoreApplication.translate("HelpDialogs", "Keyboard shortcuts")
    headers = (QCoreApplication.translate("HelpDialogs", "Menu"), QCoreApplication.translate("HelpDialogs", "Action"),
               QCoreApplication.translate("HelpDialogs", "Keys"))
    return (f"<h3>{title}</h3><table cellpadding='4'><tr>"
            + "".join(f"<th align='left'>{header}</th>" for header in headers) + f"</tr>{rows}</table>")


def reading_html() -> str:
    paragraphs = [
        QCoreApplication.translate("HelpDialogs", "<b>Draw</b>: draw one digit with the mouse, a pen or a finger. The pen "
                                   "slider changes the ink, not the answer: the app keeps your strokes and redraws them "
                                   "as thick as MNIST digits are."),
        QCoreApplication.translate("HelpDialogs", "<b>Network input</b>: the 28×28 picture the network really sees, fitted "
                                   "into a 20-pixel box and centred as MNIST digits are. If it looks wrong, the answer "
                                   "will be too."),
        QCoreApplication.translate("HelpDialogs", "<b>Prediction</b>: the ten bars are the softmax probabilities; the large "
                                   "digit is the most likely one."),
        QCoreApplication.translate("HelpDialogs", "<b>Unsure</b>: the verdict says “sure” only where answers as sure were "
                                   "right at least {1} of the time on writers the reader never saw; less sure, it "
                                   "says “{0}” in orange, and the answer can go either way.").format(
            QCoreApplication.translate("Verdict", "unsure: {0} or {1}").format(1, 7), percent(SURE_PRECISION, 1)),
        QCoreApplication.translate("HelpDialogs", "<b>Not a digit</b>: a letter, a symbol, a doodle or a scribble is "
                                   "answered “{0}”, its bars dimmed: they only say which digit it would be if it were "
                                   "one, and “Why this digit?” shows what made the stroke model say so. A dot or a tick "
                                   "is “{1}”.").format(
            QCoreApplication.translate("Verdict", "this doesn't look like a digit"),
            QCoreApplication.translate("Verdict", "too small to read: draw bigger")),
        QCoreApplication.translate("HelpDialogs", "<b>Why this digit?</b>: a heat map over the 28×28 input: orange pixels "
                                   "push the model toward its answer, blue ones away from it. When it is unsure there "
                                   "are three maps: one for each digit, and what separates the two."),
        QCoreApplication.translate("HelpDialogs", "<b>At every pen width</b>: your own strokes redrawn with pens from 2 to "
                                   "48 px, and each digit’s probability for each pen, for the raw pixels and for what "
                                   "the network is given. Click the plot to see one width."),
        QCoreApplication.translate("HelpDialogs", "<b>Wrong? Correct it</b>: click the right digit to keep the drawing in "
                                   "your own digits: the reader learns your handwriting from them at once (Model → "
                                   "Read with my handwriting), and Model → Fine-tune on my digits… teaches a larger "
                                   "set to the model."),
    ]
    title = QCoreApplication.translate("HelpDialogs", "How to read this window")
    return f"<h3>{title}</h3>" + "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def about_html(card_markdown: str | None) -> str:
    paragraphs = [
        QCoreApplication.translate("HelpDialogs", "A neural network written from scratch in NumPy, trained on MNIST and on "
                                   "real pen digits, and a canvas to draw digits for it."),
        QCoreApplication.translate("HelpDialogs", "<b>Licence</b>: MIT."),
        QCoreApplication.translate("HelpDialogs", "<b>Data</b>: MNIST, by Yann LeCun, Corinna Cortes and Christopher J. C. "
                                   "Burges (derived from NIST). Pen-Based Recognition of Handwritten Digits, by E. "
                                   "Alpaydin and F. Alimoglu, UCI Machine Learning Repository, CC BY 4.0."),
    ]
    if card_markdown:   # the card itself follows (HelpDialog), under its own title one level down
        card = "<h2>{0}</h2>".format(QCoreApplication.translate("HelpDialogs", "The current model"))
    else:
        card = "<p>{0}</p>".format(QCoreApplication.translate("HelpDialogs", "No model card for the current model."))
    return (f"<h2>digitpad {html.escape(digitpad.__version__)}</h2>"
            + "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs) + card)


def demoted(markdown: str, levels: int = 2) -> str:
    """``markdown`` with its headings ``levels`` levels lower ("# Model card" → "### Model card"), so
    that a document appended under a page's own headings reads as a part of it (code blocks untouched)."""
    lines, fenced = [], False
    for line in markdown.splitlines(keepends=True):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (heading := re.match(r"(#{1,6})(?=\s)", line)):
            line = "#" * min(len(heading.group(1)) + levels, 6) + line[heading.end():]
        lines.append(line)
    return "".join(lines)


class HelpDialog(QDialog):
    """A closable page of rich text (HTML, then optional Markdown appended, its headings one level under
    the page's and its first block on a line of its own) in a scrollable browser."""

    def __init__(self, title: str, body_html: str, markdown: str | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setHtml(body_html)
        if markdown:
            appended = QTextDocument()
            appended.setMarkdown(demoted(markdown))
            first = appended.begin()
            cursor = self.browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            # A new block in the format of the Markdown's first one: a fragment's first block joins the
            # block at the cursor, which would put the card's title on the page's last line.
            cursor.insertBlock(first.blockFormat(), first.charFormat())
            cursor.insertFragment(QTextDocumentFragment(appended))
            self.browser.moveCursor(cursor.MoveOperation.Start)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(680, 560)


def model_card_markdown(model_path: Path | None) -> str | None:
    """The Markdown model card beside a model file (``cnn.npz`` → ``cnn.md``), if there is one and it
    belongs to this model file."""
    return None if model_path is None else read_card_markdown(Path(model_path))
