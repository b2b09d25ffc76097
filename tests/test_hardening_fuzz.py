"""Property-based fuzzing of everything that reads user input: IDX files, model files, JSON
architectures, arrays given to ``to_mnist`` and image files.

The property is always the same: the reader returns a valid result or raises the project's own
exception type (a :class:`~digitpad.errors.DigitpadError` subclass) with a one-line message naming the
file or value -- never another exception, a hang, NaN output, or a large allocation from a tiny file
(peak memory is measured with tracemalloc, which NumPy reports its buffers to).

Example counts are small so that the whole file runs in well under a minute in CI; set
``DIGITPAD_FUZZ_SCALE`` (a multiplier, e.g. 50) for a longer run -- see ``fuzz/README.md``.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import json
import os
import resource
import shutil
import tracemalloc
import zipfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

from digitpad import nn
from digitpad.data import mnist_idx
from digitpad.drawing.mnist_style import to_mnist
from digitpad.drawing.pictures import load_image
from digitpad.errors import ArchitectureError, DatasetError, ImageError, ModelFileError, printable
from digitpad.nn.module import LAYER_TYPES
from digitpad.training import architectures

SCALE = float(os.environ.get("DIGITPAD_FUZZ_SCALE", "1"))
_counter = itertools.count()


def fuzz(examples: int, deadline_ms: int | None = 10_000):
    """Hypothesis settings: ``examples`` (times DIGITPAD_FUZZ_SCALE), a generous deadline that only
    catches hangs (the machine may be busy), no health checks about slow data generation."""
    return settings(max_examples=max(1, int(examples * SCALE)), deadline=deadline_ms, derandomize=SCALE == 1,
                    database=None, suppress_health_check=list(HealthCheck))


def one_line_naming(exc: BaseException, *names: str) -> None:
    message = str(exc)
    assert message and "\n" not in message, repr(message)
    assert any(name in message for name in names), (names, message)


@contextmanager
def peak_memory(limit_bytes: int):
    """Fail if the block's peak traced allocation exceeds ``limit_bytes``."""
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= limit_bytes, f"peak allocation {peak:,} bytes > {limit_bytes:,}"


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def fresh(directory: Path, suffix: str) -> Path:
    return directory / f"case{next(_counter)}{suffix}"


# --- IDX files -----------------------------------------------------------------------------------

# Tiny specs whose content we control, so that a random file can also be *valid*.
def tiny_spec(images: bool, count: int, content: bytes) -> mnist_idx.MnistFile:
    return mnist_idx.MnistFile("tiny-idx", images, count, 0, "", "", hashlib.md5(content).hexdigest())


def idx_bytes(images: bool, count: int, body: bytes) -> bytes:
    header = np.array([mnist_idx.IMAGE_MAGIC if images else mnist_idx.LABEL_MAGIC, count] + ([28, 28] if images else []),
                      ">u4").tobytes()
    return header + body


@st.composite
def idx_cases(draw):
    images = draw(st.booleans())
    count = draw(st.integers(0, 3))
    size = count * (784 if images else 1)
    body = draw(st.binary(min_size=size, max_size=size))
    good = idx_bytes(images, count, body)
    spec = tiny_spec(images, count, good)
    data = bytearray(good)
    mutation = draw(st.sampled_from(["none", "flip", "truncate", "extend", "header", "random"]))
    if mutation == "flip" and data:
        for _ in range(draw(st.integers(1, 4))):
            data[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 255))
    elif mutation == "truncate":
        data = data[: draw(st.integers(0, max(len(data) - 1, 0)))]
    elif mutation == "extend":
        data += draw(st.binary(min_size=1, max_size=64))
    elif mutation == "header":  # absurd magic/dimensions, e.g. 10^9 images of 2^32-1 rows
        fields = draw(st.lists(st.sampled_from([0, 1, 28, 2049, 2051, 10**9, 2**31, 2**32 - 1]), min_size=2, max_size=4))
        data = bytearray(np.array(fields, ">u4").tobytes()) + data[len(fields) * 4:]
    elif mutation == "random":
        data = bytearray(draw(st.binary(max_size=200)))
    if draw(st.booleans()):
        data = bytearray(gzip.compress(bytes(data), mtime=0))
        if draw(st.booleans()) and len(data) > 10:  # damage the compressed stream itself
            data[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 255))
    return spec, bytes(data), bytes(good)


@fuzz(150)
@given(case=idx_cases())
def test_idx_reader_fuzz(fuzz_dir, case):
    spec, data, good = case
    path = fresh(fuzz_dir, ".idx")
    path.write_bytes(data)
    mnist_idx._load_cached.cache_clear()
    try:
        with peak_memory(len(good) * 4 + (1 << 20)):
            array = mnist_idx.load_idx_file(path, spec)
    except DatasetError as exc:
        one_line_naming(exc, str(path))
    else:
        assert array.dtype == np.uint8 and array.shape == spec.shape
        assert array.tobytes() == good[spec.header_size:]
    finally:
        path.unlink()


def unipen_texts():
    """The head of the real pen-digits file with lines dropped, doubled, swapped or rewritten."""
    lines = (Path(__file__).resolve().parents[2] / "shared" / "pendigits" / "pendigits-orig.tra").read_text().split("\n")[:400]
    junk = st.sampled_from([".PEN_DOWN", ".PEN_UP", ".SEGMENT DIGIT 9 ? \"3\"", ".COMMENT 3 2 1", ".COMMENT x y",
                            " 12 ", " 1 2 3", "-5 -7", " 99999999999999999999 1", "\x00", ".SEGMENT", "é"])
    edit = st.tuples(st.sampled_from(["drop", "double", "swap", "replace"]), st.integers(0, len(lines) - 1), junk)
    return st.lists(edit, min_size=1, max_size=6).map(lambda edits: _edited(lines, edits))


def _edited(lines, edits):
    lines = list(lines)
    for kind, at, text in edits:
        at %= len(lines)
        if kind == "drop":
            del lines[at]
        elif kind == "double":
            lines.insert(at, lines[at])
        elif kind == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        elif kind == "replace":
            lines[at] = text
    return "\n".join(lines)


@fuzz(60)
@given(text=unipen_texts())
def test_unipen_reader_fuzz(text):
    """Damaged pen-digit files: digits with labels, writers and finite strokes, or one DatasetError line."""
    from digitpad.data.pendigits import parse_unipen

    try:
        digits = parse_unipen(text, "fuzzed.tra")
    except DatasetError as exc:
        one_line_naming(exc, "fuzzed.tra")
    else:
        for digit in digits:
            assert 0 <= digit.label <= 9 and digit.writer >= 0 and digit.strokes
            assert all(s.ndim == 2 and s.shape[1] == 2 and len(s) and np.isfinite(s).all() for s in digit.strokes)


@fuzz(40)
@given(flips=st.lists(st.tuples(st.integers(0, 4541), st.integers(1, 255)), min_size=1, max_size=3),
       cut=st.one_of(st.none(), st.integers(0, 4541)))
def test_real_gz_labels_file_mutated(fuzz_dir, mnist_dir, flips, cut):
    """The real t10k labels .gz with flipped bytes or cut short: always a DatasetError, never garbage."""
    data = bytearray((mnist_dir / mnist_idx.TEST_LABELS.gz_name).read_bytes())
    for position, xor in flips:
        data[position] ^= xor
    if cut is not None:
        data = data[:cut]
    path = fresh(fuzz_dir, ".gz")
    path.write_bytes(bytes(data))
    mnist_idx._load_cached.cache_clear()
    try:
        with peak_memory(4 * mnist_idx.TEST_LABELS.idx_size + (1 << 20)):
            labels = mnist_idx.load_idx_file(path, mnist_idx.TEST_LABELS)
    except DatasetError as exc:
        one_line_naming(exc, str(path))
    else:  # a flip inside the gzip header's mtime/OS field changes nothing; the MD5 proved the content
        assert labels.shape == (10000,) and labels.max() <= 9
    finally:
        path.unlink()


# --- model files ---------------------------------------------------------------------------------


def _small_model() -> nn.Sequential:
    nn.manual_seed(0)
    return nn.Sequential([nn.Conv2D(1, 2, 3, stride=2), nn.BatchNorm(2), nn.PReLU(), nn.MaxPool2D(2),
                          nn.Flatten(), nn.Dropout(0.1), nn.Dense(2 * 6 * 6, 12), nn.ReLU(), nn.Dense(12, 10)],
                         input_shape=(1, 28, 28))


class Blob(bytes):
    """Bytes with a short repr (hypothesis prints strategy arguments on failure)."""

    def __repr__(self) -> str:
        return f"<{len(self)} bytes>"


@pytest.fixture(scope="module")
def model_file(tmp_path_factory) -> Blob:
    path = tmp_path_factory.mktemp("model") / "small.npz"
    model = _small_model()
    model.metadata = {"name": "small", "test_accuracy": 0.5}
    nn.save_model(model, path)
    return Blob(path.read_bytes())


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=False)
    return buffer.getvalue()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20)
    | st.sampled_from([0, 1, -1, 28, 784, 10**5, 10**5 + 1, 10**9, 2**63, 10**30])
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
    | st.sampled_from(sorted(LAYER_TYPES)),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    | st.dictionaries(st.sampled_from(["type", "config", "layers", "input_shape", "in_features", "out_features",
                                       "in_channels", "out_channels", "kernel_size", "stride", "padding", "p",
                                       "num_features", "eps", "k", "init", "format", "version", "model"]),
                      children, max_size=4),
    max_leaves=12)


def _paths(node, prefix=()):
    """Every location in a JSON tree, as a key path."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _set(node, path, value):
    if not path:
        return value
    *parents, last = path
    target = node
    for key in parents:
        target = target[key]
    target[last] = value
    return node


@st.composite
def model_mutations(draw, original: bytes):
    kind = draw(st.sampled_from(["flip", "truncate", "header", "array", "drop", "compress"]))
    if kind == "flip":
        data = bytearray(original)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 255))
        return kind, bytes(data)
    if kind == "truncate":
        return kind, original[: draw(st.integers(0, len(original) - 1))]
    members = _members(original)
    header_name = nn.io.HEADER_KEY + ".npy"
    if kind == "header":
        header = json.loads(np.load(io.BytesIO(members[header_name])).tobytes())
        for _ in range(draw(st.integers(1, 3))):
            locations = list(_paths(header))
            where = draw(st.sampled_from(locations))
            header = _set(header, where, draw(json_values))
        text = json.dumps(header).encode("utf-8")
        members[header_name] = _npy(np.frombuffer(text, np.uint8))
    elif kind == "array":
        name = draw(st.sampled_from(sorted(members)))
        dtype = draw(st.sampled_from(["f4", "f8", "f2", "i4", "u1", "c8", "b1", "U3"]))
        shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, max_side=6))
        array = draw(hnp.arrays(np.dtype(dtype), shape))
        members[name] = _npy(array)
    elif kind == "drop":
        members.pop(draw(st.sampled_from(sorted(members))))
        names = st.text(alphabet="abcxyz0129._", min_size=1, max_size=8)
        members.update(draw(st.dictionaries(names, st.binary(max_size=40), max_size=2)))
    return kind, _zip(members, draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])))


@fuzz(150)
@given(data=st.data())
def test_model_loader_fuzz(fuzz_dir, model_file, data):
    kind, mutated = data.draw(model_mutations(model_file))
    path = fresh(fuzz_dir, ".npz")
    path.write_bytes(mutated)
    try:
        # Loading builds the model (a few times its weights) and reads each array once: bounded by the
        # file's own size, never by what a header claims.
        with peak_memory(40 * len(mutated) + (2 << 20)):
            model = nn.load_model(path)
    except ModelFileError as exc:
        one_line_naming(exc, str(path))
    else:
        probs = model.predict_proba(np.full((2, *model.input_shape), 0.5, np.float32))
        assert np.all(np.isfinite(probs)), kind
        assert isinstance(model.metadata, dict)
    finally:
        path.unlink()


# --- JSON architecture files ---------------------------------------------------------------------


layer_entries = st.fixed_dictionaries(
    {"type": st.sampled_from([*sorted(LAYER_TYPES), "Teleport", "__init__"]) | st.text(max_size=6)},
    optional={"config": st.dictionaries(
        st.sampled_from(["in_features", "out_features", "in_channels", "out_channels", "kernel_size", "stride",
                         "padding", "p", "num_features", "eps", "momentum", "alpha", "k", "num_parameters",
                         "init", "rng", "bogus"]),
        st.sampled_from([0, 1, 2, 3, 10, 28, 784, -1, 10**5 + 1, 10**9, 2**63, 10**30, 0.5, 1e300, -0.0,
                         float("nan"), float("inf"), "he_uniform", "784", "", None, True, [1], {"a": 1}]),
        max_size=4)})

architecture_docs = st.one_of(
    json_values,
    st.fixed_dictionaries({"layers": st.lists(layer_entries, max_size=6)},
                          optional={"input_shape": st.sampled_from([[1, 28, 28], [784], [28, 28], [0], [1, 28, 28, 1],
                                                                    "1x28x28", None, [1.5, 28, 28]])}),
)


@fuzz(250)
@given(doc=architecture_docs, encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_architecture_file_fuzz(fuzz_dir, doc, encoding):
    path = fresh(fuzz_dir, ".json")
    try:
        path.write_bytes(json.dumps(doc).encode(encoding, errors="replace"))
    except (UnicodeEncodeError, ValueError):
        assume(False)
    try:
        with peak_memory(64 << 20):
            model = architectures.build(str(path), seed=0)
    except ArchitectureError as exc:
        one_line_naming(exc, str(path))
    else:
        assert model.output_shapes()[-1] == (10,)
        out = model.predict_proba(np.full((1, 1, 28, 28), 0.5, np.float32))
        assert out.shape == (1, 10) and np.all(np.isfinite(out))
    finally:
        path.unlink()


@fuzz(30)
@given(depth=st.integers(900, 200_000), opener=st.sampled_from(["[", '{"a":']),
       digits=st.integers(4000, 20_000))
def test_architecture_absurd_nesting_and_numbers(fuzz_dir, depth, opener, digits):
    for text in (opener * depth, '{"layers": [{"type": "Dense", "config": {"in_features": ' + "9" * digits + "}}]}"):
        path = fresh(fuzz_dir, ".json")
        path.write_text(text)
        with pytest.raises(ArchitectureError) as info:
            architectures.build(str(path))
        one_line_naming(info.value, str(path))


# --- arrays given to to_mnist --------------------------------------------------------------------


DTYPES = ["u1", "u2", "u4", "u8", "i1", "i2", "i4", "i8", "f2", "f4", "f8", "b1", "c8", "U2", "O", "M8[s]"]


@st.composite
def pictures(draw):
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    shape = draw(st.one_of(
        st.tuples(st.integers(0, 40), st.integers(0, 40)),
        st.tuples(st.integers(0, 24), st.integers(0, 24), st.sampled_from([1, 2, 3, 4, 5])),
        hnp.array_shapes(min_dims=0, max_dims=5, min_side=0, max_side=5)))
    if dtype.kind == "O":
        return np.full(shape, None, dtype=object)
    if dtype.kind == "f" and draw(st.booleans()):  # in-range floats, the meaningful case
        return draw(hnp.arrays(dtype, shape, elements=st.floats(0, 1, width=dtype.itemsize * 8)))
    array = draw(hnp.arrays(dtype, shape))
    if dtype.kind in "ui" and array.ndim >= 2 and array.size and draw(st.booleans()):  # a stroke: some give digits
        array = array.copy()
        array[array.shape[0] // 4 : array.shape[0] * 3 // 4, array.shape[1] // 3] = np.iinfo(dtype).max
    return array


@fuzz(300)
@given(image=pictures(), normalize=st.booleans(), background=st.sampled_from(["auto", "dark", "light"]))
def test_to_mnist_fuzz(image, normalize, background):
    try:
        digit = to_mnist(image, normalize_stroke=normalize, background=background)
    except ImageError as exc:
        message = str(exc)
        assert message and "\n" not in message
        assert any(word in message for word in ("dtype", "shape", "empty", "NaN", "[0, 1]", "rectangular")), message
    else:
        if digit is not None:
            assert digit.shape == (28, 28) and digit.dtype == np.float32
            assert np.all(np.isfinite(digit)) and digit.min() >= 0 and digit.max() <= 1 and digit.max() > 0


@fuzz(20)
@given(value=st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e300, -1.0, 2.0]),
       dtype=st.sampled_from(["f2", "f4", "f8"]), where=st.tuples(st.integers(0, 9), st.integers(0, 9)))
def test_to_mnist_single_bad_float_names_the_problem(value, dtype, where):
    image = np.zeros((10, 10), dtype)
    image[where] = value
    with pytest.raises(ImageError, match=r"NaN|\[0, 1\]"):
        to_mnist(image)


# --- image files ---------------------------------------------------------------------------------


def _seed_images() -> dict[str, bytes]:
    """Small valid images in the formats people use, with a digit-like stroke."""
    grey = np.full((24, 20), 255, np.uint8)
    grey[4:20, 9:12] = 0
    out = {}
    for fmt, mode in [("PNG", "L"), ("PNG", "RGBA"), ("PNG", "I;16"), ("JPEG", "L"), ("JPEG", "RGB"), ("GIF", "P"),
                      ("BMP", "RGB"), ("TIFF", "F"), ("TIFF", "I"), ("WEBP", "RGB"), ("PPM", "L")]:
        image = Image.fromarray(grey).convert(mode) if mode not in ("I;16", "F", "I") else Image.fromarray(
            grey.astype({"I;16": np.uint16, "F": np.float32, "I": np.int32}[mode]))
        buffer = io.BytesIO()
        try:
            image.save(buffer, fmt)
        except (OSError, KeyError, ValueError):
            continue
        out[f"{fmt}-{mode}"] = buffer.getvalue()
    return out


SEED_IMAGES = _seed_images()


@st.composite
def image_files(draw):
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))
    data = bytearray(SEED_IMAGES[draw(st.sampled_from(sorted(SEED_IMAGES)))])
    mutation = draw(st.sampled_from(["flip", "flip-header", "truncate", "splice"]))
    if mutation == "flip":
        for _ in range(draw(st.integers(1, 6))):
            data[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 255))
    elif mutation == "flip-header":  # dimensions, chunk lengths, markers
        for _ in range(draw(st.integers(1, 3))):
            data[draw(st.integers(0, min(len(data), 64) - 1))] = draw(st.integers(0, 255))
    elif mutation == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    else:
        start = draw(st.integers(0, len(data)))
        data[start:start] = draw(st.binary(min_size=1, max_size=32))
    return bytes(data)


@fuzz(250)
@given(data=image_files())
def test_image_opener_fuzz(fuzz_dir, data):
    path = fresh(fuzz_dir, ".img")
    path.write_bytes(data)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        # Not tracemalloc here: Pillow asks for a buffer as big as a PNG chunk's declared length (up to
        # 2 GB from a 100-byte file) but never touches it, so resident memory is what counts.
        picture = load_image(path)
    except ImageError as exc:
        one_line_naming(exc, str(path))
    else:
        assert picture.ndim == 2 and picture.size > 0
        assert picture.dtype in (np.uint8, np.uint16, np.float32)
        if picture.dtype == np.float32:
            assert np.all(np.isfinite(picture)) and picture.min() >= 0 and picture.max() <= 1
        digit = to_mnist(picture)
        assert digit is None or np.all(np.isfinite(digit))
    finally:
        path.unlink()
    # Pictures up to Pillow's decompression-bomb limit are legitimate (a 30-megapixel photo), so the
    # bound follows the size the file declares: 16 bytes a pixel for decoding and conversion.
    try:
        with Image.open(io.BytesIO(data)) as declared:
            pixels = min(declared.size[0] * declared.size[1], Image.MAX_IMAGE_PIXELS * 2)
    except Exception:  # noqa: BLE001 - only sizing the bound; load_image's behaviour was checked above
        pixels = 0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < (64 << 10) + pixels * 16 // 1024  # kB


# --- the model-folder listing ----------------------------------------------------------------------------


@st.composite
def model_folders(draw, original: bytes):
    """The files of a user models folder: models intact or mutated (as `model_mutations` does), random
    bytes as .npz or .onnx, checkpoints, cards and notes, under a few names that may collide."""
    files = {}
    for _ in range(draw(st.integers(1, 5))):
        stem = draw(st.sampled_from(["cnn", "a", "b", "c\nd", "x y"]))
        suffix = draw(st.sampled_from([".npz", ".npz", ".onnx", ".ckpt.npz", ".card.json", ".md"]))
        if suffix == ".card.json":
            data = json.dumps({"test_accuracy": draw(json_values | st.just(10**400))}).encode()
        elif suffix == ".md" or draw(st.integers(0, 4)) == 0:
            data = draw(st.binary(max_size=64))
        elif draw(st.booleans()):
            data = original
        else:
            data = draw(model_mutations(original))[1]
        files[stem + suffix] = Blob(data)
    return files


@fuzz(60)
@given(data=st.data())
def test_model_listing_fuzz(fuzz_dir, model_file, monkeypatch, data):
    from digitpad.reading.store import list_models

    files = data.draw(model_folders(model_file))
    folder = fresh(fuzz_dir, "-models")
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
    monkeypatch.setenv("DIGITPAD_MODELS_DIR", str(folder))
    list_models()   # first imports (the onnx package) are not the listing's memory
    with peak_memory(40 * sum(map(len, files.values())) + (4 << 20)):
        entries = [entry for entry in list_models() if entry.kind == "user"]
    stems = {Path(name).stem: name for name in sorted(files, key=lambda n: n.endswith(".npz"))
             if name.endswith((".npz", ".onnx")) and not name.endswith(".ckpt.npz")}   # an .npz hides its .onnx
    assert sorted(entry.path.name for entry in entries) == sorted(stems.values())
    for entry in entries:
        assert entry.label and isinstance(entry.metadata, dict)
        assert entry.test_accuracy is None or 0 <= entry.test_accuracy <= 1
        if entry.problem is not None:
            assert "\n" not in entry.problem and entry.problem.startswith(printable(str(entry.path)))
            assert entry.metadata == {}
        elif files[entry.path.name] == model_file:
            assert entry.metadata == {"name": "small", "test_accuracy": 0.5}
    shutil.rmtree(folder)
