"""The personal data set: digits the user drew and labelled ("teach it"), and drawings the user marked
"not a digit".

Each sample is one JSON file ``<id>.json`` in :func:`personal_dir` holding the drawing (its strokes,
pen width and canvas size), the label and the 28x28 network input (784 bytes, base64).  The label is a
digit 0-9, or `NOT_A_DIGIT` (10, the stroke models' eleventh class) for a drawing that is not a digit (a
negative; its drawing carries no label, a `Drawing`'s label being a digit).  What trains on the set as
digits takes `PersonalDataset.arrays` (the digits only: fine-tuning); `PersonalDataset.negatives` gives
the drawings that are not digits; `PersonalDataset.export_npz` writes both, the negatives labelled 10, and
`PersonalDataset.import_npz` adds such a file's samples (negatives included) to a set.  Files are
written with :func:`digitpad.atomic.atomic_write_text`, so a crash while saving leaves at most a
``<id>.json.part-<random>`` temporary file, which loading ignores and the next save (or Clear)
removes once it is stale; the sample set itself is never corrupted.

A sample file that cannot be used (damaged, not ours, nested, larger than :data:`MAX_SAMPLE_BYTES`,
not a regular file) is skipped with a one-line message naming it; every other sample stays usable.
A :class:`PersonalDataset` keeps the samples it has read, keyed by file name, size and modification
time, so that adding a sample or listing the set again reads only the files that are new or changed.

An exported file to import (`read_export`) is read like every file the product reads: a regular file of at
most :data:`MAX_EXPORT_BYTES`, a zip of exactly the arrays export writes, each array's type and shape read
from its header and checked (at most :data:`MAX_EXPORT_SAMPLES` samples, a drawing of at most
`MAX_DRAWING_BYTES`, no pickle) before it is read, labels 0-10, every drawing parsed and checked; any
problem is one :class:`FileFormatError` line naming the file, and nothing is added.
"""

from __future__ import annotations

import base64
import io
import json
import os
import struct
import time
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.atomic import atomic_write_bytes, atomic_write_text, remove_stale_parts
from digitpad.drawing.strokes import DRAWING_DEPTH, MAX_DRAWING_BYTES, Drawing
from digitpad.drawing.trajectory import NOT_A_DIGIT
from digitpad.errors import DigitpadError, FileFormatError, ImageError, printable
from digitpad.file_reading import read_json_object, regular_file
from digitpad.user_dirs import personal_dir

SAMPLE_FORMAT = "digitpad-personal-sample"
SAMPLE_VERSION = 1
MAX_SAMPLE_BYTES = MAX_DRAWING_BYTES + (8 << 10)
"""A sample is its drawing plus about 1 kB (the label and the base64 image); larger is not ours."""
SAMPLE_DEPTH = DRAWING_DEPTH + 1
"""The JSON nesting of a sample: the document holding a drawing."""
MAX_EXPORT_SAMPLES = 20_000
"""The most samples an exported file may hold: years of "teach it"; more is not an export of ours."""
MAX_EXPORT_BYTES = 64 << 20
"""The largest exported file imported (compressed: a sample takes about a kilobyte)."""
MAX_EXPORT_UNPACKED = 512 << 20
"""The most bytes its arrays may declare unpacked (the drawings are fixed-width text: the longest sets the width)."""
EXPORT_ARRAYS = ("images", "labels", "drawings", "not_a_digit_label")
_NPY_READERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}


def _is_label(label: object) -> bool:
    """A sample's label: a digit 0-9 or `NOT_A_DIGIT`."""
    return not isinstance(label, bool) and isinstance(label, (int, np.integer)) and 0 <= label <= NOT_A_DIGIT


@dataclass
class Sample:
    """One labelled drawing: its drawing (strokes), its 28x28 uint8 network input and the label (a digit,
    or `NOT_A_DIGIT`)."""

    id: str
    label: int
    image: np.ndarray            # uint8 (28, 28), ink = 255
    drawing: Drawing | None      # None for a digit that came from a picture file
    created: str = ""

    @property
    def not_a_digit(self) -> bool:
        """The user marked the drawing "not a digit" (label `NOT_A_DIGIT`)."""
        return self.label == NOT_A_DIGIT


Signature = tuple[int, int, int]
"""What tells that a file changed: its size, modification time (ns) and inode."""


class PersonalDataset:
    """The samples in one folder (default :func:`personal_dir`)."""

    def __init__(self, folder: str | os.PathLike | None = None):
        self.folder = Path(folder) if folder is not None else personal_dir()
        # file name -> (signature, its sample or why it was skipped): what has been read already
        self._index: dict[str, tuple[Signature, Sample | str]] = {}

    # --- writing ---------------------------------------------------------------------------------
    def add(self, image28: np.ndarray, label: int, drawing: Drawing | None = None) -> Sample:
        """Store a sample atomically and return it.  ``image28``: (28, 28) in [0, 1] float or uint8;
        ``label``: the digit 0-9 it shows, or `NOT_A_DIGIT` for a drawing that is not a digit."""
        if not _is_label(label):
            raise ValueError(f"label must be a digit 0-9 or NOT_A_DIGIT ({NOT_A_DIGIT}), got {label!r}")
        image = _as_uint8_digit(image28)
        now_ns = time.time_ns()
        moment = time.localtime(now_ns // 1_000_000_000)
        # the file name sorts by creation time, to the nanosecond (several samples a second keep their order)
        key = f"{time.strftime('%Y%m%d-%H%M%S', moment)}-{now_ns % 1_000_000_000:09d}-{uuid.uuid4().hex[:6]}"
        sample = Sample(key, int(label), image, drawing, time.strftime("%Y-%m-%d %H:%M:%S", moment))
        doc = {"format": SAMPLE_FORMAT, "version": SAMPLE_VERSION, "label": sample.label,
               "created": sample.created, "image": base64.b64encode(image.tobytes()).decode("ascii"),
               "drawing": json.loads(drawing.to_json()) if drawing is not None else None}
        text = json.dumps(doc)
        if len(text) > MAX_SAMPLE_BYTES:  # never write what loading would refuse
            raise DigitpadError(f"this drawing has too many points to store ({sum(map(len, drawing.strokes)):,}); "
                                f"clear it and draw it again")
        path = self.folder / f"{sample.id}.json"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, text)
            self._index[path.name] = (_signature(os.stat(path)), sample)
        except OSError as exc:
            raise DigitpadError(f"cannot save the sample in {self.folder}: {exc.strerror or exc}") from None
        return sample

    def clear(self) -> int:
        """Delete every sample file and the stale temporary files of interrupted saves; returns how
        many sample files were removed.  :class:`DigitpadError` naming a file that cannot be deleted."""
        removed = 0
        for name, _ in self._entries():
            path = self.folder / name
            try:
                if path.is_symlink() or path.is_file():
                    path.unlink(missing_ok=True)
                    removed += 1
            except OSError as exc:
                raise DigitpadError(f"{path}: cannot delete this sample ({exc.strerror or exc})") from None
        self._index.clear()
        remove_stale_parts(self.folder)
        return removed

    # --- reading ---------------------------------------------------------------------------------
    def load(self) -> tuple[list[Sample], list[str]]:
        """All readable samples (oldest first) and a one-line message naming each file skipped.  Only
        the files that are new or changed since the last call are read."""
        samples, problems, index = [], [], {}
        for name, signature in self._entries():
            known = self._index.get(name)
            if known is not None and signature is not None and known[0] == signature:
                found = known[1]
            else:
                found = _read_sample(self.folder / name)
            if signature is not None:
                index[name] = (signature, found)
            (samples if isinstance(found, Sample) else problems).append(found)
        self._index = index
        return samples, problems

    def _entries(self) -> list[tuple[str, Signature | None]]:
        """The ``*.json`` names in the folder, sorted (oldest sample first), with their signatures
        (None where the entry cannot be stat'ed, e.g. a broken link)."""
        try:
            entries = [entry for entry in os.scandir(self.folder) if entry.name.endswith(".json")]
        except OSError:  # no folder yet, or not a folder
            return []
        found = []
        for entry in sorted(entries, key=lambda e: e.name):
            try:
                found.append((entry.name, _signature(entry.stat())))
            except OSError:
                found.append((entry.name, None))
        return found

    def digits(self) -> list[Sample]:
        """The readable samples that are digits (label 0-9), oldest first."""
        return [s for s in self.load()[0] if not s.not_a_digit]

    def negatives(self) -> list[Sample]:
        """The readable samples the user marked "not a digit" (label `NOT_A_DIGIT`), oldest first: for
        what learns to say "not a digit" (a stroke model's eleventh class), never for a digit reader."""
        return [s for s in self.load()[0] if s.not_a_digit]

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Images uint8 (N, 28, 28) and labels int64 (N,) of the readable **digits** (labels 0-9 only):
        what trains or is measured as digits (fine-tuning).  The drawings marked "not a digit" are
        left out: `negatives` gives them."""
        samples = self.digits()
        images = np.stack([s.image for s in samples]) if samples else np.zeros((0, 28, 28), np.uint8)
        return images, np.array([s.label for s in samples], np.int64)

    def export_npz(self, path: str | os.PathLike) -> int:
        """Write every readable sample to an .npz that loads without pickle and return how many: ``images``
        (N,28,28 uint8), ``labels`` (N, int64: the digit, or `NOT_A_DIGIT` = 10 for a drawing marked "not
        a digit"), ``drawings`` (N JSON strings, "" when a sample has no strokes) and ``not_a_digit_label``
        (the scalar 10, so that the file says which label means "not a digit").  Whoever reads it as
        digits keeps ``labels < 10``."""
        samples, _ = self.load()
        images = np.stack([s.image for s in samples]) if samples else np.zeros((0, 28, 28), np.uint8)
        labels = np.array([s.label for s in samples], np.int64)
        drawings = np.array([s.drawing.to_json() if s.drawing else "" for s in samples], dtype=np.str_)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, images=images, labels=labels, drawings=drawings,
                            not_a_digit_label=np.int64(NOT_A_DIGIT))
        atomic_write_bytes(path, buffer.getvalue())
        return len(samples)

    def import_npz(self, path: str | os.PathLike) -> tuple[int, int]:
        """Add the samples of a file `export_npz` wrote (`read_export`: checked whole before anything is
        added), digits and drawings marked "not a digit" alike; returns (added, already there): a sample
        the set holds already (same label, image and drawing) is not added twice.  :class:`FileFormatError`
        (one line naming the file) for a file that is not such an export; :class:`DigitpadError` when a
        sample cannot be saved."""
        imported = read_export(path)
        have = {_sample_key(s.label, s.image, s.drawing) for s in self.load()[0]}
        added = 0
        for label, image, drawing in imported:
            key = _sample_key(label, image, drawing)
            if key in have:
                continue
            self.add(image, label, drawing)
            have.add(key)
            added += 1
        return added, len(imported) - added


def _sample_key(label: int, image: np.ndarray, drawing: Drawing | None) -> tuple:
    return int(label), image.tobytes(), drawing.to_json() if drawing is not None else ""


def read_export(path: str | os.PathLike) -> list[tuple[int, np.ndarray, Drawing | None]]:
    """The samples of an .npz written by `PersonalDataset.export_npz`: (label, uint8 (28, 28) image, drawing
    or None) each, checked as the module says; :class:`FileFormatError`, one line naming the file, when
    it is not such a file.  Files exported before "not a digit" existed (no ``not_a_digit_label``, no
    ``drawings``) are read too."""
    what = "export of My digits"
    path = regular_file(path, what)

    def fail(message: str):
        raise FileFormatError(printable(f"{path}: {message}"))

    try:
        size = path.stat().st_size
        if size == 0:
            fail("the file is empty (0 bytes), not an export of My digits")
        if size > MAX_EXPORT_BYTES:
            fail(f"{size:,} bytes, more than an export of My digits holds ({MAX_EXPORT_BYTES:,}); refused")
        with open(path, "rb") as handle:
            start = handle.read(6)
            handle.seek(max(0, size - (1 << 16) - 22))
            tail = handle.read()
        if not start.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            fail("not an export of My digits (an .npz archive written by My digits → Export…)")
        end = tail.rfind(b"PK\x05\x06")   # the zip's end record, read before zipfile reads the whole directory
        if end >= 0 and len(tail) - end >= 22 and struct.unpack_from("<H", tail, end + 10)[0] > len(EXPORT_ARRAYS):
            fail("not an export of My digits (its zip holds more arrays than an export has)")
        with zipfile.ZipFile(path) as archive:
            arrays = _export_arrays(archive, fail)
    except FileFormatError:
        raise
    except PermissionError:
        fail("permission denied (cannot read this file)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, zlib.error,
            NotImplementedError, RuntimeError) as exc:
        fail(f"damaged or truncated export of My digits ({type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:160]})")
    images, labels = arrays["images"], arrays["labels"]
    drawings = arrays.get("drawings")
    marker = arrays.get("not_a_digit_label")
    highest = NOT_A_DIGIT if marker is not None else 9
    if marker is not None and int(marker) != NOT_A_DIGIT:
        fail(f"says label {int(marker)} means “not a digit”; digitpad's is {NOT_A_DIGIT}")
    if len(labels) and (labels.min() < 0 or labels.max() > highest):
        bad = int(labels[(labels < 0) | (labels > highest)][0])
        fail(f"holds label {bad}; labels are digits 0-9" + (f" and {NOT_A_DIGIT} for “not a digit”" if marker is not None else ""))
    samples = []
    for i, (image, label) in enumerate(zip(images, labels)):
        label, drawing = int(label), None
        text = str(drawings[i]) if drawings is not None else ""
        if text:
            try:
                drawing = Drawing.from_json(text, f"sample {i + 1}")
            except ImageError as exc:
                fail(str(exc))
            own = None if label == NOT_A_DIGIT else label   # a negative's drawing carries no label
            if drawing.label is not None and drawing.label != own:
                fail(f"sample {i + 1} is labelled {label} but its drawing says {drawing.label}")
            drawing.label = own
        samples.append((label, np.array(image, np.uint8), drawing))
    return samples


def _export_arrays(archive: zipfile.ZipFile, fail) -> dict[str, np.ndarray]:
    """The arrays of an export, each header checked before the array is read."""
    infos = archive.infolist()
    names = [info.filename for info in infos]
    expected = {f"{name}.npy" for name in EXPORT_ARRAYS}
    if len(infos) > len(EXPORT_ARRAYS) or not set(names) <= expected or not {"images.npy", "labels.npy"} <= set(names):
        fail("not an export of My digits (it should hold the arrays images, labels, drawings and "
             "not_a_digit_label, and holds " + (", ".join(sorted(n.removesuffix('.npy') for n in names))[:160] or "none") + ")")
    if sum(info.file_size for info in infos) > MAX_EXPORT_UNPACKED:
        fail(f"its arrays declare more than {MAX_EXPORT_UNPACKED:,} bytes unpacked, more than an export of My digits holds; refused")
    headers = {}
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            fail(f"member {info.filename} is encrypted or compressed in a way exports never are (damaged or foreign file)")
        with archive.open(info) as member:
            if member.read(6) != b"\x93NUMPY":
                fail(f"member {info.filename} is not a .npy array (damaged or foreign file)")
            version = tuple(member.read(2))
            if version not in _NPY_READERS:
                fail(f"array {info.filename} is in .npy format {'.'.join(map(str, version))}, not 1.0 or 2.0")
            shape, _, dtype = _NPY_READERS[version](member)
        headers[info.filename.removesuffix(".npy")] = (tuple(shape), dtype, info)
    count = headers["images"][0][0] if headers["images"][0] else 0
    if count > MAX_EXPORT_SAMPLES:
        fail(f"{count:,} samples, more than an export of My digits holds ({MAX_EXPORT_SAMPLES:,}); refused")
    wanted = {"images": ((count, 28, 28), "u"), "labels": ((count,), "iu"), "drawings": ((count,), "U"),
              "not_a_digit_label": ((), "iu")}
    for name, (shape, dtype, info) in headers.items():
        want_shape, kinds = wanted[name]
        if dtype.hasobject or dtype.kind not in kinds or (name == "images" and dtype.itemsize != 1) \
                or (dtype.kind in "iu" and dtype.itemsize > 8) or shape != want_shape:
            fail(f"array {name} is {dtype.str} of shape {shape}, not what an export of My digits holds "
                 f"({count:,} samples; damaged or foreign file)")
        if name == "drawings" and dtype.itemsize // 4 > MAX_DRAWING_BYTES:
            fail(f"its drawings are up to {dtype.itemsize // 4:,} characters long, more than a drawing has "
                 f"({MAX_DRAWING_BYTES:,}); refused")
        if int(np.prod(shape, dtype=np.int64)) * dtype.itemsize > info.file_size:
            fail(f"array {name} declares more bytes than its member holds (damaged or truncated)")
    arrays = {}
    for name, (_, _, info) in headers.items():
        with archive.open(info) as member:
            arrays[name] = np.lib.format.read_array(member, allow_pickle=False)
    return arrays


def _as_uint8_digit(image: np.ndarray) -> np.ndarray:
    array = np.asarray(image)
    if array.shape != (28, 28):
        raise ValueError(f"a personal sample is a 28x28 digit, got shape {array.shape}")
    if array.dtype == np.uint8:
        return array.copy()
    return np.rint(np.clip(array, 0, 1) * 255).astype(np.uint8)


def _signature(info: os.stat_result) -> Signature:
    return info.st_size, info.st_mtime_ns, info.st_ino


def _read_sample(path: Path) -> Sample | str:
    """The sample in one file, or a one-line message naming the file and saying why it is skipped."""
    try:
        doc = read_json_object(path, MAX_SAMPLE_BYTES, "personal sample", SAMPLE_DEPTH)
    except FileFormatError as exc:
        return str(exc)
    try:
        if doc.get("format") != SAMPLE_FORMAT or doc.get("version") != SAMPLE_VERSION:
            raise ValueError("not a digitpad personal sample")
        label = doc["label"]
        if not isinstance(label, int) or not _is_label(label):
            raise ValueError(f"bad label {label!r}")
        raw = base64.b64decode(doc["image"], validate=True)
        if len(raw) != 784:
            raise ValueError(f"image has {len(raw)} bytes, expected 784")
        image = np.frombuffer(raw, np.uint8).reshape(28, 28).copy()
        drawing = Drawing.from_doc(doc["drawing"], path.name) if doc.get("drawing") else None
    except (KeyError, TypeError, ValueError, ImageError) as exc:
        return printable(f"{path}: damaged personal sample, skipped ({exc})")
    created = doc.get("created")
    return Sample(path.stem, label, image, drawing, created if isinstance(created, str) else "")
