"""A scrollable grid of digit thumbnails with captions (misclassified test images, personal samples)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem

from digitpad.app.images import digit_pixmap


class ThumbnailGrid(QListWidget):
    """Icons of 28x28 digits, ``side`` pixels each, wrapped into rows."""

    def __init__(self, side: int = 56, parent=None):
        super().__init__(parent)
        self.side = side
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(QSize(side, side))
        self.setGridSize(QSize(side + 22, side + 26))
        self.setSpacing(2)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)

    def set_images(self, images: np.ndarray | list[np.ndarray], captions: list[str]) -> None:
        """Replace the thumbnails: one image (28, 28) and caption each; the cells widen to the longest
        caption (such as "not a digit", in any language), never narrower than the image."""
        self.clear()
        widest = max((self.fontMetrics().horizontalAdvance(caption) for caption in captions), default=0)
        cell = QSize(max(self.side + 22, widest + 14), self.side + 26)
        self.setGridSize(cell)
        for image, caption in zip(images, captions):
            item = QListWidgetItem(QIcon(digit_pixmap(image, self.side)), caption)
            item.setSizeHint(QSize(cell.width() - 4, cell.height() - 4))   # the caption's room: the cell's
            self.addItem(item)
