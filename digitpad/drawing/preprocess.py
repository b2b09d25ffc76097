"""Turn pictures of digits (files, arrays, the app's canvas) into MNIST-style 28x28 inputs.

MNIST's own normalisation (LeCun et al., "Gradient-based learning applied to document recognition",
1998, and the MNIST page): each digit was size-normalised to fit a 20x20 box keeping its aspect ratio,
with anti-aliasing, then placed in a 28x28 image so that its centre of mass lies at the centre.  On the
real training set the bounding box's long side is 20 px for every digit and the centre of mass, in
pixel-index coordinates, is (14.0, 14.0) with a standard deviation of 0.29 px per axis -- the spread of
a whole-pixel shift -- so `to_mnist` places the resized digit at the whole-pixel offset that brings its
centre of mass nearest to (14, 14).

Optional stroke-width normalisation (`normalize_stroke`) makes thin- and fat-pen drawings of the same
digit look alike: the ink is thinned to its skeleton (Zhang & Suen, "A fast parallel algorithm for
thinning digital patterns", CACM 27(3), 1984) and re-drawn around it with MNIST's typical stroke
thickness, measured on the training set with `stroke_thickness`.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from scipy import ndimage

from digitpad.errors import FileFormatError, ImageError
from digitpad.file_reading import regular_file

__all__ = [
    "MNIST_STROKE_THICKNESS",
    "NORMALIZE_STROKE_DEFAULT",
    "load_image",
    "skeletonize",
    "stroke_thickness",
    "to_mnist",
    "to_model_input",
    "normalize_digits",
    "fit_and_centre",
]

MNIST_SIZE = 28
MNIST_BOX = 20
MNIST_CENTRE = 14.0
# Median of `stroke_thickness` over the 60 000 MNIST training digits (28x28 pixels, scaled to [0, 1]);
# quartiles 2.22 and 3.31.
MNIST_STROKE_THICKNESS = 2.64
# Chosen by measurement on 400 MNIST-derived drawings (digitpad.data.drawn) on a 128-pixel canvas: the 28x28
# inputs of pens 2/8/16/32 px wide differ from those of a 4-px pen by 1 - cosine 0.06/0.05/0.09/0.25
# with normalisation against 0.15/0.18/0.33/0.46 without.
NORMALIZE_STROKE_DEFAULT = True
# Strokes thinner than MNIST's lower quartile are redrawn; thicker ones are kept as drawn.  Measured
# with the shipped MLP on 1000 drawn digits (128-px canvas, pens 2-16 px): accuracy spread over pen
# widths 0.9 points this way, against 5.3 redrawing every digit and 4.9 never redrawing.
THIN_STROKE = 2.22

# Ink below this fraction of the picture's contrast is noise (paper texture, JPEG ringing, faint fringes).
NOISE_LEVEL = 0.15
# Below this contrast (fraction of the full range) a picture is blank.
MIN_CONTRAST = 0.1
# A picture with less ink than this many full pixels (in the working image) is treated as empty.
MIN_INK_PIXELS = 5.0
# Ink at or above this level counts as stroke when binarising (skeletons, thickness).  It lies halfway
# between two 8-bit levels (102 and 103) so that float rounding never decides a pixel.
BINARY_LEVEL = 102.5 / 255
# Big pictures are block-averaged so that the whole picture fits this many pixels a side to find the
# digit, and the digit's own region is then re-read at up to FINE_SIDE pixels a side.
COARSE_SIDE = 1024
FINE_SIDE = 512
# Long side, in pixels, of the binary working image used for stroke normalisation (between half and
# all of this).
WORK_SIDE = 80
RESAMPLE = Image.Resampling.BOX
_STRIP_ELEMENTS = 1 << 22
# Calibration of `_normalise_stroke` so that its outputs' median `stroke_thickness` equals MNIST's.
_STROKE_GAIN = 0.98

_GREY_WEIGHTS = np.array([0.299, 0.587, 0.114], np.float32)  # ITU-R BT.601 luma, as Pillow's "L"


# --------------------------------------------------------------------------------------------------
# Reading files


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or exc.__class__.__name__


def load_image(path: str | Path) -> np.ndarray:
    """Read an image file as a 2-D grey array: uint8, uint16 for 16-bit files, float32 in [0, 1] for
    32-bit integer or float files (rescaled to their own range unless already in [0, 1]).

    Palette, RGB and CMYK images are converted to luma; an alpha channel is composited onto the
    background it implies (white behind dark ink, black behind light ink).  The EXIF orientation is
    applied.  Raises ImageError naming the file if it is missing, a folder, not a regular file (a FIFO
    would block forever), not an image, damaged, or larger than Pillow's decompression-bomb limit
    ``PIL.Image.MAX_IMAGE_PIXELS``.
    """
    try:
        path = regular_file(path, "file")
    except FileFormatError as exc:
        raise ImageError(str(exc)) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image = ImageOps.exif_transpose(image)
                return _pil_to_grey(image)
    except FileNotFoundError:
        raise ImageError(f"{path}: no such file") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(
            f"{path}: image is too large, over Pillow's decompression-bomb limit of "
            f"{Image.MAX_IMAGE_PIXELS:,} pixels (PIL.Image.MAX_IMAGE_PIXELS)"
        ) from None
    except UnidentifiedImageError:
        raise ImageError(f"{path}: not an image file Pillow can read") from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
        raise ImageError(f"{path}: damaged or unreadable image ({_one_line(exc)})") from None


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


def _validate(image: object) -> np.ndarray:
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


def _bounding_box(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """(row0, row1, col0, col1), half-open, of the True pixels; None if there are none."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def _ink_image(array: np.ndarray, background: str) -> np.ndarray | None:
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
    box = _bounding_box(ink > 0)
    if box is None:
        return None
    r0, r1, c0, c1 = box
    if factor > 1:
        region = array[
            max(0, (r0 - 1) * factor) : (r1 + 1) * factor, max(0, (c0 - 1) * factor) : (c1 + 1) * factor
        ]
        fine = _factor(region.shape, FINE_SIDE)
        ink, _ = _ink_from_grey(_grey(_block_mean(region, fine), scale), background, levels)
        box = _bounding_box(ink > 0)
        if box is None:
            return None
        r0, r1, c0, c1 = box
    return ink[r0:r1, c0:c1]


# --------------------------------------------------------------------------------------------------
# Skeletons and stroke thickness


def _zhang_suen_tables() -> tuple[np.ndarray, np.ndarray]:
    """Deletion look-up tables for Zhang-Suen's two sub-iterations, indexed by the 8-neighbour code.

    Bit k-2 of the code is neighbour P_k, P2 = north, then clockwise (P3 = north-east, ..., P9 =
    north-west).  A pixel is deleted when 2 <= B <= 6 (B = number of ink neighbours), A == 1 (A = number
    of 0->1 transitions around P2..P9,P2) and P2*P4*P6 == 0 and P4*P6*P8 == 0 (first sub-iteration) or
    P2*P4*P8 == 0 and P2*P6*P8 == 0 (second).
    """
    codes = np.arange(256)
    p = {k: (codes >> (k - 2)) & 1 for k in range(2, 10)}
    ring = [p[k] for k in range(2, 10)] + [p[2]]
    a = sum((ring[i] == 0) & (ring[i + 1] == 1) for i in range(8))
    b = sum(p.values())
    common = (b >= 2) & (b <= 6) & (a == 1)
    first = common & (p[2] * p[4] * p[6] == 0) & (p[4] * p[6] * p[8] == 0)
    second = common & (p[2] * p[4] * p[8] == 0) & (p[2] * p[6] * p[8] == 0)
    return first, second


_ZS_TABLES = _zhang_suen_tables()
# (row, column) offsets of P2..P9 in the padded array.
_NEIGHBOURS = ((0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0), (1, 0), (0, 0))


def skeletonize(binary: np.ndarray) -> np.ndarray:
    """Thin a binary image (or a stack of them, shape (..., H, W)) to a one-pixel-wide skeleton.

    Zhang & Suen (1984): two parallel sub-iterations, each deleting the contour pixels whose
    8-neighbourhood says they are removable without breaking connectivity or shortening end points,
    repeated until nothing changes.  Each sub-iteration is vectorised over all pixels through a
    256-entry table of neighbourhood codes.  Non-zero input is foreground; returns a bool array.
    """
    image = np.asarray(binary)
    if image.ndim < 2:
        raise ValueError(f"skeletonize needs an array of at least 2 dimensions, got shape {image.shape}")
    pad = [(0, 0)] * (image.ndim - 2) + [(1, 1), (1, 1)]
    padded = np.pad(image != 0, pad).astype(np.uint8)
    height, width = image.shape[-2:]
    centre = padded[..., 1 : height + 1, 1 : width + 1]
    changed = True
    while changed:
        changed = False
        for table in _ZS_TABLES:
            code = np.zeros(centre.shape, np.uint8)
            for bit, (dr, dc) in enumerate(_NEIGHBOURS):
                code |= padded[..., dr : dr + height, dc : dc + width] << bit
            delete = table[code] & (centre == 1)
            if delete.any():
                centre[delete] = 0
                changed = True
    return centre.astype(bool)


def stroke_thickness(image: np.ndarray) -> float:
    """Mean stroke width in pixels: ink mass divided by skeleton length.

    ``image`` is a 2-D ink image with values in [0, 1] (ink bright), e.g. a 28x28 MNIST digit scaled
    to [0, 1].  The mass is the sum of the grey values; the skeleton is that of the pixels at or above
    BINARY_LEVEL of the brightest ink (a hair-thin line drawn large comes out faint once scaled down,
    and must still be measured along its whole length), its length the number of its pixels.
    Returns 0.0 when there is no stroke.
    """
    ink = np.asarray(image, np.float32)
    peak = float(ink.max()) if ink.size else 0.0
    if peak <= 0:
        return 0.0
    length = int(skeletonize(ink >= BINARY_LEVEL * peak).sum())
    return float(ink.sum()) / length if length else 0.0


def _working_binary(ink: np.ndarray) -> np.ndarray:
    """Binary version of a cropped ink image at WORK_SIDE/2..WORK_SIDE pixels on its long side.

    Larger crops are binarised first and then max-pooled, so that thin lines stay connected; smaller
    ones are enlarged by an integer factor (bilinear) before binarising, for a smoother skeleton.
    """
    side = max(ink.shape)
    if side > WORK_SIDE:
        factor = math.ceil(side / WORK_SIDE)
        binary = ink >= BINARY_LEVEL
        rows = np.arange(0, binary.shape[0], factor)
        cols = np.arange(0, binary.shape[1], factor)
        return np.logical_or.reduceat(np.logical_or.reduceat(binary, rows, axis=0), cols, axis=1)
    factor = max(1, math.ceil(WORK_SIDE / 2 / side))
    if factor > 1:
        size = (ink.shape[1] * factor, ink.shape[0] * factor)
        ink = np.asarray(Image.fromarray(np.ascontiguousarray(ink)).resize(size, Image.Resampling.BILINEAR))
    return ink >= BINARY_LEVEL


def _normalise_stroke(ink: np.ndarray) -> np.ndarray:
    """Redraw the digit's skeleton with MNIST's typical stroke thickness.

    The pen radius is chosen relative to the skeleton's extent so that, once the result is scaled to
    the 20-pixel box, strokes are MNIST_STROKE_THICKNESS pixels wide: with a skeleton ``L`` pixels
    long on its long side, the redrawn digit is ``L + 2r`` long, and ``2r * 20 / (L + 2r) = T``.  The
    new stroke profile is the anti-aliased ``clip(r + 0.5 - d, 0, 1)`` of the distance ``d`` to the
    skeleton (exact Euclidean distance transform).  _STROKE_GAIN corrects for what the formula
    leaves out (end caps, resampling), calibrated on MNIST-derived drawings.
    """
    skeleton = skeletonize(_working_binary(ink))
    box = _bounding_box(skeleton)
    if box is None:
        return ink
    r0, r1, c0, c1 = box
    skeleton = skeleton[r0:r1, c0:c1]
    length = max(skeleton.shape)
    radius = _STROKE_GAIN * MNIST_STROKE_THICKNESS * length / (MNIST_BOX - MNIST_STROKE_THICKNESS) / 2
    margin = math.ceil(radius) + 2
    distance = ndimage.distance_transform_edt(~np.pad(skeleton, margin))
    return np.clip(np.float32(radius + 0.5) - distance.astype(np.float32), 0, 1)


# --------------------------------------------------------------------------------------------------
# Size normalisation and centring


def _fit_box(ink: np.ndarray) -> np.ndarray:
    """Scale a cropped digit so its long side is MNIST_BOX pixels, keeping its aspect ratio.

    The short side is at least one pixel (a thin "1" is not widened further).  Area averaging
    (Pillow's BOX filter on a float image) anti-aliases when shrinking.
    """
    height, width = ink.shape
    scale = MNIST_BOX / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = Image.fromarray(np.ascontiguousarray(ink, np.float32)).resize(size, RESAMPLE)
    return np.clip(np.asarray(resized), 0, 1)


def _place_by_mass(digit: np.ndarray) -> np.ndarray:
    """Paste into 28x28 at the whole-pixel offset putting the centre of mass nearest (14, 14).

    The offset is clamped so that no ink is cut off (it only matters for digits whose mass sits very
    near one end of their box).
    """
    height, width = digit.shape
    mass = float(digit.sum())
    rows = np.arange(height, dtype=np.float32)
    cols = np.arange(width, dtype=np.float32)
    centre_row = float(digit.sum(axis=1) @ rows) / mass
    centre_col = float(digit.sum(axis=0) @ cols) / mass
    top = min(max(round(MNIST_CENTRE - centre_row), 0), MNIST_SIZE - height)
    left = min(max(round(MNIST_CENTRE - centre_col), 0), MNIST_SIZE - width)
    out = np.zeros((MNIST_SIZE, MNIST_SIZE), np.float32)
    out[top : top + height, left : left + width] = digit
    return out


def to_mnist(
    image: np.ndarray,
    *,
    normalize_stroke: bool = NORMALIZE_STROKE_DEFAULT,
    background: str = "auto",
) -> np.ndarray | None:
    """Normalise a picture of one digit the way MNIST was made; float32 (28, 28) in [0, 1], ink = 1.

    ``image``: 2-D grey or 3-D RGB/RGBA array of any size, uint8, uint16, bool or float in [0, 1].
    ``background``: "auto" (the median colour of the picture's border is the background), "dark"
    (light ink on dark, like the app's canvas) or "light" (dark ink on paper).
    ``normalize_stroke``: when the strokes come out thinner than almost all of MNIST's (a fine pen,
    a big drawing), redraw them with MNIST's typical thickness (see `_normalise_stroke`).  Thick
    strokes are left alone: thinning a fat pen's filled loops would turn an 8 into a 1.

    Steps: ink = distance from the background colour, scaled by the picture's contrast, with faint
    noise (< NOISE_LEVEL) dropped; crop to the ink's bounding box; scale the long side to 20 pixels
    with area averaging; paste so the centre of mass is at (14, 14).  Returns None when the picture
    holds (almost) no ink.  Raises ImageError for arrays that are not pictures.
    """
    if background not in ("auto", "dark", "light"):
        raise ValueError(f"background must be 'auto', 'dark' or 'light', got {background!r}")
    ink = _ink_image(_validate(image), background)
    if ink is None or float(ink.sum()) < MIN_INK_PIXELS:
        return None
    digit = _fit_box(ink)
    if normalize_stroke and stroke_thickness(digit) < THIN_STROKE:
        digit = _fit_box(_normalise_stroke(ink))
    return _place_by_mass(digit)


def fit_and_centre(ink: np.ndarray) -> np.ndarray | None:
    """MNIST's last two steps on an ink image (float in [0, 1], ink bright): crop to the ink, scale the
    long side to 20 pixels with area averaging, paste so the centre of mass is at (14, 14).  None
    when there is no ink."""
    box = _bounding_box(np.asarray(ink) > 0)
    if box is None:
        return None
    r0, r1, c0, c1 = box
    return _place_by_mass(_fit_box(ink[r0:r1, c0:c1]))


def to_model_input(images28: np.ndarray | list[np.ndarray]) -> np.ndarray:
    """Stack 28x28 digits as the models' input: float32 (N, 1, 28, 28) in [0, 1].

    Accepts one (28, 28) digit, an (N, 28, 28) or (N, 1, 28, 28) array, or a list of (28, 28) digits;
    uint8 values are scaled by 1/255, floats must already lie in [0, 1].
    """
    if isinstance(images28, (list, tuple)):
        if any(item is None for item in images28):
            raise ImageError("to_model_input got None (an empty drawing?) among the digits")
        images28 = np.stack([np.asarray(item) for item in images28]) if images28 else np.zeros((0, 28, 28))
    array = np.asarray(images28)
    if array.ndim == 2:
        array = array[None]
    if array.ndim == 3:
        array = array[:, None]
    if array.ndim != 4 or array.shape[1:] != (1, MNIST_SIZE, MNIST_SIZE):
        raise ImageError(f"digits must be 28x28 (optionally stacked), got shape {np.shape(images28)}")
    if array.dtype == np.uint8:
        return array.astype(np.float32) * np.float32(1 / 255)
    if array.dtype.kind not in "fb":
        raise ImageError(f"digits must be uint8 or float in [0, 1], got dtype {array.dtype}")
    array = array.astype(np.float32)
    if array.size and not (np.isfinite(array).all() and array.min() >= 0 and array.max() <= 1):
        raise ImageError("digit values must be finite and lie in [0, 1]")
    return array


def normalize_digits(images: np.ndarray) -> np.ndarray:
    """MNIST-style digits (N, 28, 28) uint8 passed through `to_mnist` with stroke normalisation, as the
    app prepares a drawing: training on them makes a model see what drawings will look like.

    A data-preparation step run once before training (one `to_mnist` call per digit, about half a
    millisecond each); an image with no ink stays blank.
    """
    out = np.zeros(images.shape, np.uint8)
    for i, image in enumerate(images):
        digit = to_mnist(image, normalize_stroke=True, background="dark")
        if digit is not None:
            out[i] = np.round(digit * 255)
    return out
