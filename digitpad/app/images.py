"""Converting NumPy digit images to Qt images and pixmaps."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap


def to_uint8(image: np.ndarray) -> np.ndarray:
    """A 2-D image as uint8: float images in [0, 1] are scaled by 255, uint8 passes through."""
    array = np.asarray(image)
    if array.dtype == np.uint8:
        return array
    if array.dtype.kind == "f":
        return np.rint(np.clip(array, 0, 1) * 255).astype(np.uint8)
    top = float(array.max()) or 1.0
    return np.rint(array.astype(np.float64) * (255.0 / top)).astype(np.uint8)


def grey_qimage(image: np.ndarray) -> QImage:
    """A Grayscale8 QImage holding its own copy of a 2-D image (see :func:`to_uint8`)."""
    array = np.ascontiguousarray(to_uint8(image))
    height, width = array.shape
    return QImage(array.data, width, height, width, QImage.Format.Format_Grayscale8).copy()


def digit_pixmap(image: np.ndarray, side: int) -> QPixmap:
    """A square pixmap of a digit enlarged to ``side`` pixels without smoothing (visible pixels)."""
    return QPixmap.fromImage(grey_qimage(image)).scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                                                       Qt.TransformationMode.FastTransformation)
