"""Hostile and damaged files: pickles, absurd declarations, bombs, odd paths -- and the regression
tests for the bugs the hardening work found (each says which)."""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import struct
import tracemalloc
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from digitpad import nn
from digitpad.cli import main
from digitpad.data import mnist, mnist_idx
from digitpad.drawing.pictures import load_image
from digitpad.errors import ArchitectureError, DatasetError, ImageError, ModelFileError, TrainingError
from digitpad.nn.io import HEADER_KEY
from digitpad.training import architectures
from digitpad.training.config import TrainConfig
from digitpad.training.trainer import Trainer
from training_helpers import train_on


@contextmanager
def peak_memory():
    """The peak traced allocation of the block, in bytes, as ``.peak`` once the block has ended."""
    usage = SimpleNamespace(peak=None)
    tracemalloc.start()
    try:
        yield usage
        usage.peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()



def small_model() -> nn.Sequential:
    nn.manual_seed(0)
    return nn.Sequential([nn.Flatten(), nn.Dense(784, 16), nn.BatchNorm(16), nn.ReLU(), nn.Dense(16, 10)],
                         input_shape=(1, 28, 28))


@pytest.fixture
def model_path(tmp_path) -> Path:
    path = tmp_path / "model.npz"
    nn.save_model(small_model(), path)
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_zip(path: Path, content: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in content.items():
            zf.writestr(name, data)
    return path


def npy(array, allow_pickle=False) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=allow_pickle)
    return buffer.getvalue()


def npy_header_only(shape, descr="<f4", padding=1 << 16) -> bytes:
    """An .npy header declaring ``shape``, followed by far fewer data bytes (``padding``)."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False, "shape": shape})
    return buffer.getvalue() + b"\0" * padding


def header_of(path: Path) -> dict:
    with np.load(path) as archive:
        return json.loads(archive[HEADER_KEY].tobytes())


def with_header(path: Path, header: dict) -> Path:
    content = members(path)
    content[HEADER_KEY + ".npy"] = npy(np.frombuffer(json.dumps(header).encode(), np.uint8))
    return write_zip(path, content)


class Boom:
    """Unpickling this creates a marker file: proof that a pickle was executed."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


# --- pickles are refused, never executed ----------------------------------------------------------


@pytest.mark.parametrize("where", ["header-object-array", "weight-object-array", "raw-pickle-member", "whole-file"])
def test_pickles_anywhere_are_refused_not_executed(model_path, tmp_path, where):
    marker = tmp_path / "pwned"
    payload = Boom(marker)
    content = members(model_path)
    if where == "header-object-array":
        content[HEADER_KEY + ".npy"] = npy(np.array([payload], dtype=object), allow_pickle=True)
    elif where == "weight-object-array":
        content["1.W.npy"] = npy(np.array([payload], dtype=object), allow_pickle=True)
    elif where == "raw-pickle-member":  # a zip member that is a bare pickle, not an .npy
        content["1.W.npy"] = pickle.dumps(payload)
    if where == "whole-file":
        model_path.write_bytes(pickle.dumps(payload))
    else:
        write_zip(model_path, content)
    with pytest.raises(ModelFileError) as info:
        nn.load_model(model_path)
    assert str(model_path) in str(info.value) and "\n" not in str(info.value)
    assert not marker.exists()


@pytest.mark.parametrize("content, message", [
    (b"root:x:0:0:root:/root:/bin/bash\n", "not a digitpad model file (.npz)"),      # /etc/passwd
    (b"", "not a digitpad model file (.npz); the file is empty"),
    (pickle.dumps({"weights": [1, 2]}), "contains pickled Python objects, refused (model files hold plain arrays)"),
], ids=["text", "empty", "pickle"])
def test_a_text_file_is_not_called_a_pickle(tmp_path, content, message, capsys):
    path = tmp_path / "passwd"
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match=re.escape(f"{path}: {message}")):
        nn.load_model(path)
    assert main(["evaluate", str(path)]) == 2
    assert capsys.readouterr().err == f"digitpad: error: {path}: {message}\n"


def test_checkpoint_with_pickle_is_refused_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    path = write_zip(tmp_path / "run.ckpt.npz", {"__header__.npy": npy(np.array([Boom(marker)], dtype=object), True)})
    with pytest.raises(TrainingError, match="run.ckpt.npz"):
        Trainer.resume(path)
    assert not marker.exists()


# --- regression tests: model files (digitpad/nn/serialization.py) ----------------------------------


@pytest.mark.parametrize("member, shape, descr", [
    (HEADER_KEY, (10**12,), "|u1"),        # was: MemoryError (numpy allocates the declared shape)
    ("1.W", (10**6, 10**6), "<f8"),        # was: MemoryError
    ("1.W", (10**4, 10**4), "<f8"),        # was: an 800 MB allocation before the read failed
])
def test_huge_declared_array_is_refused_before_allocating(model_path, member, shape, descr):
    content = members(model_path)
    content[member + ".npy"] = npy_header_only(shape, descr)
    write_zip(model_path, content)
    with peak_memory() as memory:
        with pytest.raises(ModelFileError, match="shape"):
            nn.load_model(model_path)
    assert memory.peak < 20 << 20


def _patch_zip_fields(path: Path, signature: bytes, offset: int, value: bytes) -> None:
    data = bytearray(path.read_bytes())
    start = 0
    while (start := data.find(signature, start)) != -1:
        data[start + offset : start + offset + len(value)] = value
        start += 4
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["unknown-compression", "encrypted"])
def test_exotic_zip_flags_give_model_file_error(model_path, damage):
    """Was: NotImplementedError / RuntimeError escaping load_model."""
    if damage == "unknown-compression":
        _patch_zip_fields(model_path, b"PK\x01\x02", 10, struct.pack("<H", 99))
    else:
        _patch_zip_fields(model_path, b"PK\x01\x02", 8, b"\x01")
    with pytest.raises(ModelFileError, match="damaged"):
        nn.load_model(model_path)


def test_bare_npy_is_not_a_model(tmp_path):
    """Was: TypeError ('numpy.ndarray' object does not support the context manager protocol)."""
    path = tmp_path / "weights.npy"
    np.save(path, np.zeros(3))
    with pytest.raises(ModelFileError, match="single .npy array"):
        nn.load_model(path)


def test_deeply_nested_header_json(model_path):
    """Was: RecursionError."""
    content = members(model_path)
    text = "[" * 100_000 + "]" * 100_000
    content[HEADER_KEY + ".npy"] = npy(np.frombuffer(text.encode(), np.uint8))
    write_zip(model_path, content)
    with pytest.raises(ModelFileError, match="unreadable header"):
        nn.load_model(model_path)


@pytest.mark.parametrize("metadata", [["a"], "text", 5])
def test_non_object_metadata_is_dropped(model_path, metadata):
    """Was: model.metadata became a list/str/int, which the model card and the app index as a dict."""
    header = header_of(model_path)
    header["metadata"] = metadata
    with_header(model_path, header)
    assert nn.load_model(model_path).metadata == {}


def test_finite_but_absurd_weights_are_refused(model_path):
    """Was: loaded fine, then every prediction was NaN (negative batch-norm variance)."""
    content = members(model_path)
    content["2.running_var.npy"] = npy(np.full(16, -5.0, np.float32))
    write_zip(model_path, content)
    with pytest.raises(ModelFileError, match="NaN or infinite outputs"):
        nn.load_model(model_path)


def test_tiny_file_declaring_a_big_model_is_refused_before_building(model_path):
    """Was: a 2 kB file declaring 40M parameters made load_model allocate ~300 MB before failing."""
    header = header_of(model_path)
    header["model"]["layers"][1]["config"]["out_features"] = 50_000
    header["model"]["layers"][2]["config"]["num_features"] = 50_000
    header["model"]["layers"][4]["config"]["in_features"] = 50_000
    write_zip(model_path, {HEADER_KEY + ".npy": npy(np.frombuffer(json.dumps(header).encode(), np.uint8))})
    with peak_memory() as memory:
        with pytest.raises(ModelFileError, match="declares .* parameters but the file has only"):
            nn.load_model(model_path)
    assert memory.peak < 20 << 20


# --- regression tests: architectures (serialization.build_model, architectures.describe) --------------


def spec(*layers):
    return {"input_shape": [1, 28, 28], "layers": list(layers)}


@pytest.mark.parametrize("layer, message", [
    ({"type": "Dense", "config": {"in_features": 784, "out_features": 1e9}}, "out_features must be int"),     # MemoryError
    ({"type": "Dense", "config": {"in_features": 784, "out_features": "1000000000"}}, "must be int"),         # MemoryError
    ({"type": "Conv2D", "config": {"in_channels": 1, "out_channels": 2, "kernel_size": 1e4}}, "kernel_size must be int"),  # 1.6 GB
    ({"type": "Conv2D", "config": {"in_channels": 1, "out_channels": 2, "kernel_size": 3, "stride": 0}}, "stride=0 is out of range"),  # ZeroDivisionError
    ({"type": "MaxPool2D", "config": {"kernel_size": 2, "stride": 0}}, "stride=0 is out of range"),           # ZeroDivisionError
    ({"type": "MaxPool2D", "config": {"kernel_size": 0}}, "kernel_size=0 is out of range"),                   # ZeroDivisionError
    ({"type": "Dropout", "config": {"p": "0.5"}}, "p must be float"),
    ({"type": "Dense", "config": {"in_features": 784, "out_features": 10, "init": 5}}, "init must be str"),
    ({"type": "Dropout", "config": {"rng": "x"}}, "rng must be None"),
])
def test_wrong_types_and_zero_sizes_in_specs(layer, message):
    with peak_memory() as memory:
        with pytest.raises(ArchitectureError, match=message):
            nn.build_model(spec({"type": "Flatten"} if layer["type"] == "Dense" else {"type": "ReLU"}, layer))
    assert memory.peak < 20 << 20


def test_padding_zero_and_named_architectures_still_build():
    assert nn.build_model(spec({"type": "Conv2D", "config": {"in_channels": 1, "out_channels": 2, "kernel_size": 3,
                                                             "padding": 0, "stride": 1}}))
    for name in architectures.ARCHITECTURES:
        architectures.build(name)


@pytest.mark.parametrize("text, reason", [
    ("[" * 100_000, "recursion"),                                                              # was: RecursionError
    ('{"layers": [{"type": "Dense", "config": {"in_features": ' + "9" * 5000 + "}}]}", "digits"),  # was: ValueError
    ("\udcff", "utf-8"),
])
def test_unreadable_json_architecture_files(tmp_path, text, reason):
    path = tmp_path / "arch.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(ArchitectureError, match="not a readable JSON architecture") as info:
        architectures.build(str(path))
    assert str(path) in str(info.value) and reason in str(info.value).lower()


def test_architecture_path_is_a_directory(tmp_path):
    folder = tmp_path / "arch.json"
    folder.mkdir()
    with pytest.raises(ArchitectureError, match="arch.json"):
        architectures.build(str(folder))


# --- regression tests: checkpoints (digitpad/training/trainer.py, Trainer.resume) -----------------------------


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory, mnist_dir) -> Path:
    images, labels = mnist.load_mnist("train", mnist_dir)
    path = tmp_path_factory.mktemp("ckpt") / "run.ckpt.npz"
    config = TrainConfig(model="mlp", epochs=1, limit=600, batch_size=100, seed=0)
    train_on(Trainer(config, checkpoint_path=path), images, labels)
    return path


def _rewrite_checkpoint(source: Path, target: Path, change) -> Path:
    content = members(source)
    change(content)
    return write_zip(target, content)


def _set_header(content, **changes):
    header = json.loads(np.load(io.BytesIO(content["__header__.npy"])).tobytes())
    header.update(changes)
    content["__header__.npy"] = npy(np.frombuffer(json.dumps(header).encode(), np.uint8))


@pytest.mark.parametrize("damage", [
    lambda c: _set_header(c, config={"bogus": 1}),              # was: TypeError
    lambda c: _set_header(c, history=[{"x": 1}]),              # was: TypeError
    lambda c: _set_header(c, rng={"state": 1}),                # was: ValueError/TypeError from numpy
    lambda c: _set_header(c, best_epoch=None) or c.pop("__header__.npy") and None,  # KeyError
    lambda c: c.update({"model.1.W.npy": npy(np.zeros(1, np.float32))}),   # was: silently broadcast into W
    lambda c: c.update({"optim.0.m.npy": npy(np.zeros((2, 2), np.float32))}),  # was: crash in the first step
    lambda c: c.update({"model.1.W.npy": npy_header_only((10**6, 10**6))}),    # was: MemoryError
    lambda c: c.update({"__header__.npy": npy(np.frombuffer(b"[" * 100_000, np.uint8))}),  # RecursionError
], ids=["config", "history", "rng", "no-header", "broadcast", "optim-shape", "huge-array", "deep-json"])
def test_damaged_checkpoint_gives_training_error(checkpoint, tmp_path, damage):
    path = _rewrite_checkpoint(checkpoint, tmp_path / "bad.ckpt.npz", damage)
    with pytest.raises(TrainingError) as info:
        Trainer.resume(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_checkpoint_byte_flips(checkpoint, tmp_path):
    data = checkpoint.read_bytes()
    rng = np.random.default_rng(1)
    for i in range(30):
        damaged = bytearray(data)
        for position in rng.integers(0, len(data), 3):
            damaged[position] ^= int(rng.integers(1, 256))
        path = tmp_path / f"flip{i}.ckpt.npz"
        path.write_bytes(bytes(damaged))
        try:
            Trainer.resume(path)
        except TrainingError as exc:  # ArchitectureError would name the file too, but is not expected here
            assert str(path) in str(exc)


# --- bombs ---------------------------------------------------------------------------------------


def _png_declaring(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose header declares ``width`` x ``height`` pixels (CRC fixed up)."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", zlib.crc32(bytes(data[ihdr : ihdr + 17])))
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("side", [20_000, 40_000])  # 400 M pixels (over the limit: warning), 1.6 G (over 2x: error)
def test_decompression_bomb_png_is_refused_with_pillows_limit(tmp_path, side):
    path = _png_declaring(tmp_path / "bomb.png", side, side)
    with peak_memory() as memory:
        with pytest.raises(ImageError, match="too large .* up to 89,478,485 pixels") as info:
            load_image(path)
    assert str(path) in str(info.value)
    assert memory.peak < 20 << 20


def test_gzip_bomb_posing_as_idx_file_reads_bounded(tmp_path):
    """A valid label header followed by 200 MB of zeros, gzipped to ~200 kB."""
    spec = mnist_idx.TEST_LABELS
    path = tmp_path / spec.gz_name
    header = struct.pack(">II", spec.magic, spec.count)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunks = [compressor.compress(header)] + [compressor.compress(bytes(1 << 20)) for _ in range(200)]
    path.write_bytes(b"".join(chunks) + compressor.flush())
    assert path.stat().st_size < 1 << 20
    mnist_idx._load_cached.cache_clear()
    with peak_memory() as memory:
        with pytest.raises(DatasetError, match="more data than MNIST's"):
            mnist_idx.load_idx_file(path, spec)
    assert memory.peak < 4 << 20


# --- odd paths -----------------------------------------------------------------------------------


def test_odd_paths_give_clear_errors(tmp_path, mnist_dir):
    """Directories, paths through a regular file, dangling symlinks and symlink loops."""
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    folder = tmp_path / "folder.npz"
    folder.mkdir()
    for path in (folder, plain / "model.npz", tmp_path / "dangling", tmp_path / "loop"):
        with pytest.raises(ModelFileError, match=str(path)):
            nn.load_model(path)
        with pytest.raises(ImageError, match=str(path)):
            load_image(path)
        mnist_idx._load_cached.cache_clear()
        with pytest.raises(DatasetError, match=str(path)):
            mnist_idx.load_idx_file(path, mnist_idx.TEST_LABELS)


def test_unreadable_files(tmp_path, monkeypatch):
    """Permission denied.  The suite runs as root here, where chmod 000 does not stop reads
    (CAP_DAC_OVERRIDE), so when running as root the denial is injected at ``open`` instead; as a
    normal user the real chmod is used.  Both go through the same except clauses."""
    model = tmp_path / "model.npz"
    nn.save_model(small_model(), model)
    image = tmp_path / "digit.png"
    Image.new("L", (8, 8)).save(image)
    labels = tmp_path / "labels"
    labels.write_bytes(b"\0" * 16)
    targets = {model, image, labels}
    if os.geteuid() == 0:
        import builtins

        real_open = builtins.open

        def denying_open(file, *args, **kwargs):
            if Path(os.fsdecode(file)) in targets if isinstance(file, (str, bytes, os.PathLike)) else False:
                raise PermissionError(13, "Permission denied", os.fsdecode(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", denying_open)
        monkeypatch.setattr(io, "open", denying_open)
    else:
        for path in targets:
            path.chmod(0)
    with pytest.raises(ModelFileError, match=f"(?i){model}.*permission denied"):
        nn.load_model(model)
    with pytest.raises(ImageError, match=f"{image}.*Permission denied"):
        load_image(image)
    mnist_idx._load_cached.cache_clear()
    with pytest.raises(DatasetError, match=f"{labels}.*Permission denied"):
        mnist_idx.load_idx_file(labels, mnist_idx.TEST_LABELS)


def test_png_chunk_declaring_2_gb_does_not_use_the_memory(tmp_path):
    """Found by fuzzing: Pillow asks for a buffer as large as a PNG chunk's declared length (here
    2 GB from a 100-byte file).  The pages are never touched, so resident memory does not grow, and
    where the request fails (no overcommit) MemoryError becomes an ImageError."""
    import resource

    buffer = io.BytesIO()
    Image.fromarray(np.zeros((24, 20), np.uint16)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    idat = data.index(b"IDAT")
    data[idat - 4 : idat] = struct.pack(">I", 0x7FFFFFF0)
    path = tmp_path / "chunk.png"
    path.write_bytes(bytes(data))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        picture = load_image(path)
    except ImageError as exc:
        assert str(path) in str(exc)
    else:
        assert picture.shape == (24, 20)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 64 << 10  # kB


def test_32_bit_integer_image_is_rescaled_into_0_1(tmp_path):
    """Found by fuzzing (a mutated TIFF): a mode "I" picture spanning most of the int32 range came
    back from load_image with a maximum of 1.0000001 (float32 rounding), which to_mnist then refused
    with the confusing "float image values must lie in [0, 1], got [0, 1]"."""
    from digitpad.drawing.mnist_style import to_mnist

    values = np.zeros((24, 20), np.int32)
    values[0, 0] = -2013265665
    values[4:20, 8:12] = 134217912
    path = tmp_path / "wide.tif"
    Image.fromarray(values).save(path)
    picture = load_image(path)
    assert picture.dtype == np.float32 and picture.min() >= 0 and picture.max() <= 1
    to_mnist(picture)  # no ImageError
