"""Pictures of digits -- image files and arrays -- read as grey values and cropped to their ink.

`load_image` reads a file with Pillow (palette, colour and CMYK images as luma, an alpha channel
composited onto the background the ink implies, the EXIF orientation applied).  `check_picture`
accepts a 2-D grey or 3-D RGB/RGBA array of any size; `picture_ink` turns it into ink strength in
[0, 1] (0 = background, faint noise dropped) cropped to the ink's bounding box, block-averaging a big
picture so that memory stays bounded.  `digitpad.drawing.mnist_style.to_mnist` makes the 28x28
digit from that ink.
"""

from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from digitpad.errors import FileFormatError, ImageError
from digitpad.file_reading import regular_file

__all__ = ["bounding_box", "check_picture", "load_image", "picture_ink"]

# Ink below this fraction of the picture's contrast is noise (paper texture, JPEG ringing, faint fringes).
NOISE_LEVEL = 0.15
# Below this contrast (fraction of the full range) a picture is blank.
MIN_CONTRAST = 0.1
# Big pictures are block-averaged so that the whole picture fits this many pixels a side to find the
# digit, and the digit's own region is then re-read at up to FINE_SIDE pixels a side.
COARSE_SIDE = 1024
FINE_SIDE = 512
_STRIP_ELEMENTS = 1 << 22

_GREY_WEIGHTS = np.array([0.299, 0.587, 0.114], np.float32)  # ITU-R BT.601 luma, as Pillow's "L"

READABLE_FORMATS = "PNG, JPEG, GIF, BMP, TIFF, WebP"   # the common ones, as a message names them


# --------------------------------------------------------------------------------------------------
# Reading files


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or exc.__class__.__name__


def load_image(path: str | Path) -> np.ndarray:
    """Read an image file as a 2-D grey array: uint8, uint16 for 16-bit files, float32 in [0, 1] for
    32-bit integer or float files (rescaled to their own range unless already in [0, 1]).

    Palette, RGB and CMYK images are converted to luma; an alpha channel is composited onto the
    background it implies (white behind dark ink, black behind light ink).  The EXIF orientation is
    applied.  Raises ImageError, one line naming the file and saying what is wrong with it in the
    user's words (never the image library's), if it is missing, a folder, not a regular file (a FIFO
    would block forever), empty, not an image, damaged, or larger than ``PIL.Image.MAX_IMAGE_PIXELS``
    (Pillow's decompression-bomb limit).
    """
    try:
        path = regular_file(path, "file")
        empty = path.stat().st_size == 0
    except FileFormatError as exc:
        raise ImageError(str(exc)) from None
    except OSError as exc:
        raise ImageError(f"{path}: cannot read this file ({exc.strerror or exc})") from None
    if empty:
        raise ImageError(f"{path}: the file is empty (0 bytes), not a picture")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image = ImageOps.exif_transpose(image)
                return _pil_to_grey(image)
    except FileNotFoundError:
        raise ImageError(f"{path}: no such file") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        size = re.search(r"\((\d+) pixels\)", str(exc))   # Pillow says "Image size (N pixels) exceeds ..."
        raise ImageError(
            f"{path}: the picture is too large{f' ({int(size[1]):,} pixels)' if size else ''}; digitpad reads "
            f"pictures of up to {Image.MAX_IMAGE_PIXELS:,} pixels"
        ) from None
    except UnidentifiedImageError:
        raise ImageError(f"{path}: not an image, or in a format digitpad cannot read "
                         f"(it reads {READABLE_FORMATS} and other common formats)") from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
        raise ImageError(f"{path}: damaged or unreadable picture ({_one_line(exc)})") from None


def _pil_to_grey(image: Image.Image) -> np.ndarray:
    """A loaded Pillow image as a 2-D grey array, alpha composited."""
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )
    if has_alpha:
        return _composite_alpha(image.convert("LA"))
    if image.mode.startswith("I;16"):
        return np.asarray(image).astype(np.uint16)
    if image.mode == "I":  # 32-bit integers of no fixed range
        return _rescale(np.asarray(image))
    if image.mode == "F":
        values = np.asarray(image, dtype=np.float32)
        if not np.isfinite(values).all():
            raise ValueError("float image contains NaN or infinite values")
        return values.copy() if values.min() >= 0 and values.max() <= 1 else _rescale(values)
    return np.asarray(image.convert("L")).copy()


def _rescale(values: np.ndarray) -> np.ndarray:
    """Min-max rescale to float32 [0, 1] (for integer or float images of unknown range)."""
    low, high = float(values.min()), float(values.max())
    scaled = (values.astype(np.float32) - np.float32(low)) / np.float32(max(high - low, 1e-12))
    # float32 rounding of big 32-bit integers can land just outside [0, 1] (1.0000001)
    return np.clip(scaled, 0, 1, out=scaled).astype(np.float32, copy=False)


def _composite_alpha(image: Image.Image) -> np.ndarray:
    """Composite an "LA" image onto white if its visible ink is dark, else onto black."""
    grey, alpha = image.split()
    thumb_grey = np.asarray(grey.reduce(max(1, max(image.size) // 256)), np.float32)
    thumb_alpha = np.asarray(alpha.reduce(max(1, max(image.size) // 256)), np.float32)
    weight = float(thumb_alpha.sum())
    dark_ink = weight == 0 or float((thumb_grey * thumb_alpha).sum()) / weight < 128
    background = Image.new("L", image.size, 255 if dark_ink else 0)
    return np.asarray(Image.composite(grey, background, alpha)).copy()


# --------------------------------------------------------------------------------------------------
# Validating and reducing arrays


def check_picture(image: object) -> np.ndarray:
    """Check that ``image`` is a usable 2-D grey or 3-D RGB/RGBA picture; return it as an ndarray."""
    try:
        array = np.asarray(image)
    except ValueError as exc:
        raise ImageError(f"image is not a rectangular array ({_one_line(exc)})") from None
    if array.dtype.kind not in "buf" or (array.dtype.kind == "u" and array.dtype.itemsize > 2):
        raise ImageError(
            f"image has unsupported dtype {array.dtype}; expected uint8, uint16, bool or float in [0, 1]"
        )
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        raise ImageError(
            f"image has shape {array.shape}; expected (height, width) grey or (height, width, 3|4) colour"
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ImageError(f"image is empty (shape {array.shape})")
    if array.dtype.kind == "f":
        low, high = float(array.min()), float(array.max())
        if not (math.isfinite(low) and math.isfinite(high)):
            raise ImageError("image contains NaN or infinite values")
        if low < 0 or high > 1:
            raise ImageError(f"float image values must lie in [0, 1], got [{low:g}, {high:g}]")
    return array


def _full_scale(dtype: np.dtype) -> float:
    """The value of full white: 255 for uint8, 65535 for uint16, 1 for bool and floats."""
    return {"u1": 255.0, "u2": 65535.0}.get(f"{dtype.kind}{dtype.itemsize}", 1.0)


def _block_mean(array: np.ndarray, factor: int) -> np.ndarray:
    """Average ``factor`` x ``factor`` blocks (partial blocks at the edges too) in float32.

    Works through strips of rows so that the float32 working copy stays small (about
    _STRIP_ELEMENTS values) however big the picture is.
    """
    if factor == 1:
        return array.astype(np.float32)
    height, width = array.shape[:2]
    cols = np.arange(0, width, factor)
    values_per_row = array[0].size
    strip = factor * max(1, _STRIP_ELEMENTS // (factor * values_per_row))
    parts = []
    for top in range(0, height, strip):
        chunk = array[top : top + strip]
        rows = np.arange(0, chunk.shape[0], factor)
        parts.append(np.add.reduceat(np.add.reduceat(chunk, rows, axis=0, dtype=np.float32), cols, axis=1))
    summed = np.concatenate(parts)
    row_counts = np.minimum(height - np.arange(0, height, factor), factor).astype(np.float32)
    col_counts = np.minimum(width - cols, factor).astype(np.float32)
    counts = row_counts[:, None] * col_counts[None, :]
    return summed / (counts[:, :, None] if summed.ndim == 3 else counts)


def _grey(array: np.ndarray, scale: float) -> np.ndarray:
    """2-D float32 grey in [0, 1] from a (reduced) grey, RGB or RGBA float array in [0, scale]."""
    if array.ndim == 2:
        return (array * np.float32(1.0 / scale)).astype(np.float32, copy=False)
    grey = array[:, :, :3] @ (_GREY_WEIGHTS / np.float32(scale))
    if array.shape[2] == 4:
        alpha = array[:, :, 3] * np.float32(1.0 / scale)
        # Composite onto the background the visible ink implies (see load_image).
        weight = float(alpha.sum())
        background = 1.0 if weight == 0 or float((grey * alpha).sum()) / weight < 0.5 else 0.0
        grey = grey * alpha + np.float32(background) * (1 - alpha)
    return np.clip(grey, 0, 1).astype(np.float32, copy=False)


def _factor(shape: tuple[int, ...], side: int) -> int:
    return max(1, math.ceil(max(shape[0], shape[1]) / side))


# --------------------------------------------------------------------------------------------------
# Finding the ink


def _border_level(grey: np.ndarray) -> float:
    """The background level: the median of the picture's outermost rows and columns."""
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    return float(np.median(border))


def _ink_from_grey(
    grey: np.ndarray, background: str, levels: tuple[float, float, float] | None = None
) -> tuple[np.ndarray, tuple[float, float, float]] | None:
    """Ink strength in [0, 1] (0 = background), noise below NOISE_LEVEL zeroed.

    ``levels`` = (background level, sign, contrast) from a previous call on the whole picture, so a
    region is converted exactly like the picture it was cut from.  Returns None for a blank picture.
    """
    if levels is None:
        level = _border_level(grey)
        if background == "auto":
            light = level >= 0.5
        else:
            light = background == "light"
            level = 1.0 if light else 0.0
        sign = -1.0 if light else 1.0
        contrast = float(grey.min()) if light else float(grey.max())
        contrast = (contrast - level) * sign
        if contrast < MIN_CONTRAST:
            return None
        levels = (level, sign, contrast)
    level, sign, contrast = levels
    ink = (grey - np.float32(level)) * np.float32(sign / contrast)
    ink[ink < NOISE_LEVEL] = 0
    np.minimum(ink, 1, out=ink)
    return ink, levels


def bounding_box(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """(row0, row1, col0, col1), half-open, of the True pixels; None if there are none."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def picture_ink(array: np.ndarray, background: str) -> np.ndarray | None:
    """The picture's ink at a working resolution, cropped to the ink's bounding box.

    Small pictures are used as they are.  A big one is first block-averaged to at most COARSE_SIDE
    pixels a side to find the ink; then only the ink's region is re-read, at up to FINE_SIDE pixels a
    side, so that memory stays bounded and a small digit in a huge picture keeps its detail.
    """
    scale = _full_scale(array.dtype)
    factor = _factor(array.shape, COARSE_SIDE)
    found = _ink_from_grey(_grey(_block_mean(array, factor), scale), background)
    if found is None:
        return None
    ink, levels = found
    box = bounding_box(ink > 0)
    if box is None:
        return None
    r0, r1, c0, c1 = box
    if factor > 1:
        region = array[
            max(0, (r0 - 1) * factor) : (r1 + 1) * factor, max(0, (c0 - 1) * factor) : (c1 + 1) * factor
        ]
        fine = _factor(region.shape, FINE_SIDE)
        ink, _ = _ink_from_grey(_grey(_block_mean(region, fine), scale), background, levels)
        box = bounding_box(ink > 0)
        if box is None:
            return None
        r0, r1, c0, c1 = box
    return ink[r0:r1, c0:c1]
