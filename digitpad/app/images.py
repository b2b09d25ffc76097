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


FOR_COLOUR = np.array([234, 88, 12], np.float32)      # orange: pushes toward the digit
AGAINST_COLOUR = np.array([37, 99, 235], np.float32)  # blue: pushes away from it


def heat_rgb(digit: np.ndarray, heat: np.ndarray, scale: float | None = None) -> np.ndarray:
    """uint8 (28, 28, 3): the digit in dim grey under a signed heat map, orange for positive values
    and blue for negative ones, opaque where |heat| reaches ``scale`` (default: its largest value)."""
    heat = np.asarray(heat, np.float32)
    top = float(np.abs(heat).max()) if scale is None else float(scale)
    # a gamma under 1 keeps the weaker half of the evidence visible next to the strongest pixels
    strength = (np.clip(np.abs(heat) / top, 0, 1) ** 0.6)[..., None] if top > 0 else np.zeros((*heat.shape, 1), np.float32)
    base = (np.clip(np.asarray(digit, np.float32), 0, 1) * 90)[..., None] * np.ones(3, np.float32)
    colour = np.where((heat >= 0)[..., None], FOR_COLOUR, AGAINST_COLOUR)
    return np.rint(base * (1 - strength) + colour * strength).astype(np.uint8)


def rgb_qimage(rgb: np.ndarray) -> QImage:
    """An RGB888 QImage holding its own copy of a uint8 (H, W, 3) array."""
    array = np.ascontiguousarray(rgb, dtype=np.uint8)
    height, width, _ = array.shape
    return QImage(array.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
