"""The windows a main window opens (tools, dialogs, help pages), kept track of for it."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


class ToolWindows:
    """Shows and raises the windows it is given.  Unless ``keep`` (one window reused, like the training
    dialog), a window is deleted when closed: each opening makes a new one, and a long session must not
    pile them up.  `close_all` stops their jobs and closes them (the main window is closing).  The
    windows follow the app's `Session` themselves: nothing here hands them state."""

    def __init__(self):
        self.windows: list[QWidget] = []
        self._named: dict[str, QWidget] = {}

    def show(self, window: QWidget, keep: bool = False) -> QWidget:
        if window not in self.windows:
            self.windows.append(window)
            if not keep:
                window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                window.destroyed.connect(lambda _=None, w=window: self._forget(w))
        window.show()
        window.raise_()
        return window

    def single(self, name: str, make: Callable[[], QWidget], keep: bool = False) -> QWidget:
        """The open window called ``name``, shown again, else a new one from ``make()``."""
        window = self._named.get(name)
        if window is None:
            window = self._named[name] = make()
        return self.show(window, keep)

    def _forget(self, window: QWidget) -> None:
        self.windows = [w for w in self.windows if w is not window]
        self._named = {name: w for name, w in self._named.items() if w is not window}

    def close_all(self) -> None:
        for window in list(self.windows):
            shutdown = getattr(window, "shutdown", None)
            if shutdown is not None:
                shutdown()
            window.close()
