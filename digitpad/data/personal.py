"""The personal data set: digits the user drew and labelled ("teach it").

Each sample is one JSON file ``<id>.json`` in :func:`personal_dir` holding the drawing (its strokes,
pen width and canvas size), the label and the 28x28 network input (784 bytes, base64).  Files are
written with :func:`digitpad.atomic.atomic_write_text`, so a crash while saving leaves at most a
``<id>.json.part-<random>`` temporary file, which loading ignores; the sample set itself is never
corrupted.  A damaged sample file is skipped with a one-line message naming it.
"""

from __future__ import annotations

import base64
import io
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.atomic import atomic_write_bytes, atomic_write_text
from digitpad.drawing.strokes import Drawing
from digitpad.errors import DigitpadError, ImageError
from digitpad.user_dirs import personal_dir

SAMPLE_FORMAT = "digitpad-personal-sample"
SAMPLE_VERSION = 1


@dataclass
class Sample:
    """One labelled digit: its drawing (strokes), its 28x28 uint8 network input and the label."""

    id: str
    label: int
    image: np.ndarray            # uint8 (28, 28), ink = 255
    drawing: Drawing | None      # None for a digit that came from a picture file
    created: str = ""


class PersonalDataset:
    """The samples in one folder (default :func:`personal_dir`)."""

    def __init__(self, folder: str | os.PathLike | None = None):
        self.folder = Path(folder) if folder is not None else personal_dir()

    # --- writing ---------------------------------------------------------------------------------
    def add(self, image28: np.ndarray, label: int, drawing: Drawing | None = None) -> Sample:
        """Store a sample atomically and return it.  ``image28``: (28, 28) in [0, 1] float or uint8."""
        if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label <= 9:
            raise ValueError(f"label must be a digit 0-9, got {label!r}")
        image = _as_uint8_digit(image28)
        now_ns = time.time_ns()
        moment = time.localtime(now_ns // 1_000_000_000)
        # the file name sorts by creation time, to the nanosecond (several samples a second keep their order)
        key = f"{time.strftime('%Y%m%d-%H%M%S', moment)}-{now_ns % 1_000_000_000:09d}-{uuid.uuid4().hex[:6]}"
        sample = Sample(key, int(label), image, drawing, time.strftime("%Y-%m-%d %H:%M:%S", moment))
        doc = {"format": SAMPLE_FORMAT, "version": SAMPLE_VERSION, "label": sample.label,
               "created": sample.created, "image": base64.b64encode(image.tobytes()).decode("ascii"),
               "drawing": json.loads(drawing.to_json()) if drawing is not None else None}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.folder / f"{sample.id}.json", json.dumps(doc))
        except OSError as exc:
            raise DigitpadError(f"cannot save the sample in {self.folder}: {exc.strerror or exc}") from None
        return sample

    def clear(self) -> int:
        """Delete every sample (and leftover temporary files); returns how many samples were removed."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for path in self.folder.glob("*.json*"):
            if path.suffix == ".json" or ".json.part-" in path.name:
                removed += path.suffix == ".json"
                path.unlink(missing_ok=True)
        return removed

    # --- reading ---------------------------------------------------------------------------------
    def load(self) -> tuple[list[Sample], list[str]]:
        """All readable samples (oldest first) and a one-line message for each damaged file."""
        samples, problems = [], []
        if not self.folder.is_dir():
            return samples, problems
        for path in sorted(self.folder.glob("*.json")):
            try:
                samples.append(_read_sample(path))
            except ImageError as exc:
                problems.append(str(exc))
        return samples, problems

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Images uint8 (N, 28, 28) and labels int64 (N,) of the readable samples."""
        samples, _ = self.load()
        images = np.stack([s.image for s in samples]) if samples else np.zeros((0, 28, 28), np.uint8)
        return images, np.array([s.label for s in samples], np.int64)

    def export_npz(self, path: str | os.PathLike) -> int:
        """Write ``images`` (N,28,28 uint8), ``labels`` (N,) and ``drawings`` (N JSON strings, "" when
        a sample has no strokes) to an .npz that loads without pickle; returns N."""
        samples, _ = self.load()
        images = np.stack([s.image for s in samples]) if samples else np.zeros((0, 28, 28), np.uint8)
        labels = np.array([s.label for s in samples], np.int64)
        drawings = np.array([s.drawing.to_json() if s.drawing else "" for s in samples], dtype=np.str_)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, images=images, labels=labels, drawings=drawings)
        atomic_write_bytes(path, buffer.getvalue())
        return len(samples)


def _as_uint8_digit(image: np.ndarray) -> np.ndarray:
    array = np.asarray(image)
    if array.shape != (28, 28):
        raise ValueError(f"a personal sample is a 28x28 digit, got shape {array.shape}")
    if array.dtype == np.uint8:
        return array.copy()
    return np.rint(np.clip(array, 0, 1) * 255).astype(np.uint8)


def _read_sample(path: Path) -> Sample:
    """Parse one sample file; ImageError naming the file when it is damaged."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ImageError(f"{path.name}: damaged personal sample, skipped ({type(exc).__name__})") from None
    try:
        if doc.get("format") != SAMPLE_FORMAT or doc.get("version") != SAMPLE_VERSION:
            raise ValueError("not a digitpad personal sample")
        label = doc["label"]
        if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label <= 9:
            raise ValueError(f"bad label {label!r}")
        raw = base64.b64decode(doc["image"], validate=True)
        if len(raw) != 784:
            raise ValueError(f"image has {len(raw)} bytes, expected 784")
        image = np.frombuffer(raw, np.uint8).reshape(28, 28).copy()
        drawing = Drawing.from_json(json.dumps(doc["drawing"]), path.name) if doc.get("drawing") else None
    except (AttributeError, KeyError, TypeError, ValueError, ImageError) as exc:
        raise ImageError(f"{path.name}: damaged personal sample, skipped ({exc})") from None
    return Sample(path.stem, label, image, drawing, str(doc.get("created", "")))
