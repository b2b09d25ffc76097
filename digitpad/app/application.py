"""Starting the desktop app: the QApplication, its style and the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from digitpad.app import i18n
from digitpad.app.icon import app_icon
from digitpad.app.widgets.canvas import keep_every_pointer_event
from digitpad.app.windows.main_window import MainWindow
from digitpad.app.system_libraries import check_display


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), with the Fusion style for the same look on every platform."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName("digitpad")
        app.setDesktopFileName("digitpad")   # the menu entry `digitpad install-desktop` writes
        app.setWindowIcon(app_icon())        # every window's and the taskbar's icon
        app.setStyle("Fusion")
        font = QFont(app.font())
        font.setPointSize(max(font.pointSize(), 10))
        app.setFont(font)
    keep_every_pointer_event()   # after the platform has set its defaults: every point of a fast stroke
    return app


TITLE_BAR = 40   # pixels left for the window's title bar and frame, which are not known before it is shown


def fit_on_screen(window) -> None:
    """Size ``window`` as it prefers (the main window: the canvas one screen pixel per canvas unit), or
    as large as its screen's free area allows with a title bar, never under its minimum size (Qt's own
    first size is at most two thirds of the screen, which left a laptop's window at its smallest)."""
    free = window.screen().availableGeometry()
    wanted = window.sizeHint()
    window.resize(min(wanted.width(), free.width()), min(wanted.height(), free.height() - TITLE_BAR))


def run(model_path: Path | str | None = None) -> int:
    """Open the main window reading with ``model_path`` (a model file or name, or a "+"-joined image
    network and stroke model), else the default reader, and run until it closes.

    A missing display or display library is a one-line :class:`DigitpadError`, before Qt starts."""
    check_display()
    app = application()
    i18n.install_language(i18n.current_language())
    window = MainWindow(model_path)
    app.setProperty("digitpad_window", window)
    fit_on_screen(window)
    window.show()
    code = app.exec()
    window = app.property("digitpad_window")   # View → Language builds a new window on the session
    window.session.shutdown()   # a teaching under way ends before the interpreter does
    window.deleteLater()   # destroy the Qt objects now, not during interpreter shutdown
    app.processEvents()
    return code
