"""Model files that must stop nothing (issue 22, items 2, 3, 6 and 9): one bounded reader for model
files and checkpoints, a listing that never fails, one check that a model fits the product, and only
regular files opened.

Every hostile file is built here.  Peak memory is the peak resident set size of a fresh subprocess that
opens the file, read inside it once it has refused the file (``VmHWM`` of ``/proc/self/status``: the
``ru_maxrss`` of ``getrusage`` would include the memory of the pytest process it was forked from); the
limit is :data:`PEAK_LIMIT_MB` (Python, NumPy and digitpad take about 50 MB of it).  Before the bounded
reader these files took up to 6 GB, or failed asking for 60 GB.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from digitpad import nn
from digitpad.cli import main
from digitpad.errors import DigitpadError, ModelFileError
from digitpad.nn.io import HEADER_KEY, read_header
from digitpad.nn.io.checks import MAX_ACTIVATIONS, MAX_FILE_BYTES, MAX_HEADER_BYTES, MAX_LAYERS
from digitpad.reading import store
from digitpad.reading.store import ModelEntry, list_models, open_model
from digitpad.training.config import TrainConfig
from digitpad.training.trainer import CHECKPOINT_HEADER, Trainer
from test_hardening_hostile import members, npy, npy_header_only, small_model, write_zip

ROOT = Path(__file__).resolve().parents[1]
PEAK_LIMIT_MB = 200
SUBPROCESS_MEMORY_CAP = 4 << 30   # address-space cap of the subprocesses: a regression fails, it does not swap


# --- hostile files, built here ------------------------------------------------------------------------


def header_bytes(header: object) -> bytes:
    return npy(np.frombuffer(json.dumps(header).encode(), np.uint8))


def model_header(layers: list, input_shape=(1, 28, 28), metadata=None) -> dict:
    return {"format": "digitpad-model", "version": 1, "metadata": metadata or {},
            "model": {"input_shape": list(input_shape), "layers": layers}}


def write_model(path: Path, header: object, arrays: dict[str, np.ndarray] | None = None) -> Path:
    content = {HEADER_KEY + ".npy": header_bytes(header) if not isinstance(header, bytes) else header}
    content.update({f"{key}.npy": npy(value) for key, value in (arrays or {}).items()})
    return write_zip(path, content)


def good_model(path: Path, metadata: dict | None = None) -> Path:
    model = small_model()
    model.metadata = metadata or {"test_accuracy": 0.5, "parameters": model.parameter_count()}
    nn.save_model(model, path)
    return path


def with_member(path: Path, source: Path, name: str, data: bytes) -> Path:
    content = members(source)
    content[name] = data
    return write_zip(path, content)


def patched_zip(path: Path, source: Path, offset: int, value: bytes) -> Path:
    """``source`` with ``value`` written at ``offset`` of every central-directory entry (8: the flags,
    10: the compression method)."""
    data = bytearray(source.read_bytes())
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        data[start + offset:start + offset + len(value)] = value
        start += 4
    path.write_bytes(bytes(data))
    return path


def raw_zip(path: Path, entries: list[tuple[str, int, bytes, int, int]]) -> Path:
    """A zip written field by field: (name, method, payload as stored, CRC-32, uncompressed size) each, so
    that one compressed payload can serve several members without compressing it again."""
    local, central = bytearray(), bytearray()
    for name, method, payload, crc, size in entries:
        encoded = name.encode()
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(payload), size,
                               len(encoded), 0, 0, 0, 0, 0, len(local)) + encoded
        local += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(payload), size,
                             len(encoded), 0) + encoded + payload
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))
    return path


def deflated_zeros_npy(values: int) -> tuple[bytes, int, int]:
    """An .npy of ``values`` float32 zeros, deflated: (raw deflate stream, CRC-32, uncompressed size).
    200 MB of zeros deflate to 200 kB."""
    header = npy_header_only((values,), "<f4", padding=0)
    compressor, chunk = zlib.compressobj(9, zlib.DEFLATED, -15), bytes(1 << 20)
    parts, crc = [compressor.compress(header)], zlib.crc32(header)
    for start in range(0, values * 4, len(chunk)):
        part = chunk[:min(len(chunk), values * 4 - start)]
        parts.append(compressor.compress(part))
        crc = zlib.crc32(part, crc)
    parts.append(compressor.flush())
    return b"".join(parts), crc, len(header) + values * 4


def directory_bomb(path: Path, members: int = 1_000_000) -> Path:
    """A 47 MB zip whose directory lists a million empty members (zipfile makes an object of each)."""
    entry = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0x21, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0) + b"a"
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0x21, 0, 0, 0, 1, 0) + b"a"
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, len(entry) * members, len(local), 0)
    path.write_bytes(local + entry * members + end)
    return path


def checkpoint(path: Path, architecture: dict | None = None) -> Path:
    """A real checkpoint of the small model (nothing trained), its architecture replaced if given."""
    trainer = Trainer(TrainConfig(epochs=2, seed=0), model=small_model())
    trainer.save_checkpoint(path, 1)
    if architecture is not None:
        content = members(path)
        header = json.loads(np.load(path)[CHECKPOINT_HEADER].tobytes())
        header["architecture"] = architecture
        content[CHECKPOINT_HEADER + ".npy"] = header_bytes(header)
        write_zip(path, content)
    return path


def checkpoint_bomb(path: Path, work: Path) -> Path:
    """A 2 MB checkpoint whose ten extra members each inflate to 200 MB (2 GB in all)."""
    source = members(checkpoint(work / "source.ckpt.npz"))
    entries = [(name, 0, data, zlib.crc32(data), len(data)) for name, data in source.items()]
    payload, crc, size = deflated_zeros_npy(50_000_000)
    entries += [(f"model.junk{i}.npy", 8, payload, crc, size) for i in range(10)]
    return raw_zip(path, entries)


HUGE_INPUT = [{"type": "MaxPool2D", "config": {"kernel_size": 2}}, {"type": "Flatten"}]
CONV_PADDING = [{"type": "Conv2D", "config": {"in_channels": 1, "out_channels": 1, "kernel_size": 1, "padding": 20_000}},
                {"type": "Flatten"}]
CONV_ARRAYS = {"0.W": np.ones((1, 1, 1, 1), np.float32), "0.b": np.zeros(1, np.float32)}


def build_hostile(name: str, path: Path, work: Path) -> Path:
    """One hostile model file or checkpoint of each kind the issue found."""
    good = good_model(work / "good.npz")
    if name == "S200-header":        # 3 MB; declares 16 M values of 200 bytes: 3.2 GB
        return with_member(path, good, HEADER_KEY + ".npy", npy_header_only((16_000_000,), "|S200", 3 << 20))
    if name == "S4000-header":       # declares 59.6 GiB
        return with_member(path, good, HEADER_KEY + ".npy", npy_header_only((16_000_000,), "|S4000"))
    if name == "huge-input-shape":   # architecture only: 400 M values per sample
        return write_model(path, model_header(HUGE_INPUT, input_shape=(1, 20_000, 20_000)))
    if name == "conv-padding":       # 1.6 G values per sample from two weights
        return write_model(path, model_header(CONV_PADDING), CONV_ARRAYS)
    if name == "header-bomb":        # a 3 MB JSON header: 170,000 layers
        return write_model(path, model_header([{"type": "Flatten"}] + [{"type": "ReLU"}] * 170_000))
    if name == "many-layers":        # under the header's size limit, far over the layers'
        return write_model(path, model_header([{"type": "Flatten"}] + [{"type": "ReLU"}] * 40_000))
    if name == "nested-header":
        return write_model(path, npy(np.frombuffer(("[" * 100_000 + "]" * 100_000).encode(), np.uint8)))
    if name == "nested-metadata":
        content = members(good)
        header = json.loads(np.load(good)[HEADER_KEY].tobytes())
        text = json.dumps(header).replace('"metadata": {', '"metadata": {"deep": ' + "[" * 50_000 + "]" * 50_000 + ", ")
        content[HEADER_KEY + ".npy"] = npy(np.frombuffer(text.encode(), np.uint8))
        return write_zip(path, content)
    if name == "encrypted":
        return patched_zip(path, good, 8, b"\x01")
    if name == "unknown-compression":
        return patched_zip(path, good, 10, struct.pack("<H", 99))
    if name == "directory-bomb":
        return directory_bomb(path)
    if name == "checkpoint-bomb":    # 2 MB that inflate to 2 GB
        return checkpoint_bomb(path, work)
    if name == "checkpoint-conv-padding":
        return checkpoint(path, model_header(CONV_PADDING)["model"])
    raise ValueError(name)


# (case, file name, how it is opened, the one-line message)
HOSTILE = [
    ("S200-header", "s200.npz", "load",
     r"malformed __digitpad__ header \(shape \(16000000,\), type \|S200; expected at most 1,048,576 bytes of uint8\)"),
    ("S4000-header", "s4000.npz", "load", r"malformed __digitpad__ header \(shape \(16000000,\), type \|S4000"),
    ("huge-input-shape", "wide.npz", "load",
     r"input_shape \[1, 20000, 20000\] is 400,000,000 values per sample, more than the 4,194,304"),
    ("conv-padding", "padded.npz", "load",
     r"layer 0 \(Conv2D\) outputs \(1, 40028, 40028\) per sample: its layers' outputs exceed the 4,194,304"),
    ("header-bomb", "bomb.npz", "load", r"malformed __digitpad__ header \(shape \(\d+,\), type \|u1; expected at most"),
    ("many-layers", "layers.npz", "load", r"40,001 layers, more than the 1,000 digitpad allows"),
    ("nested-header", "nested.npz", "load", r"unreadable header \(nested 100000 levels deep"),
    ("nested-metadata", "nested-meta.npz", "load", r"unreadable header \(nested 50002 levels deep"),
    ("encrypted", "encrypted.npz", "load", r"member '__digitpad__.npy' is encrypted; a model file never is"),
    ("unknown-compression", "method99.npz", "load",
     r"member '__digitpad__.npy' uses compression method 99; digitpad reads stored or deflated members"),
    ("directory-bomb", "directory.npz", "load",
     r"its zip directory declares 65,535 members in 47,000,000 bytes, more than a model file has \(8,000 arrays\)"),
    ("checkpoint-bomb", "bomb.ckpt.npz", "resume",
     rf"not a readable training checkpoint \(its members declare more than {MAX_FILE_BYTES:,} bytes uncompressed"),
    ("checkpoint-conv-padding", "padded.ckpt.npz", "resume",
     r"not a readable training checkpoint \(layer 0 \(Conv2D\) outputs \(1, 40028, 40028\) per sample"),
]

CHILD = """
import json, sys
from digitpad.errors import DigitpadError
operation, path = sys.argv[1:3]
message = None
try:
    if operation == "load":
        from digitpad.reading.store import open_model
        open_model(path)
    elif operation == "resume":
        from digitpad.training.trainer import Trainer
        Trainer.resume(path)
    else:
        from digitpad.commands.models import run
        run(None)
except DigitpadError as exc:
    message = str(exc)
with open("/proc/self/status") as status:
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"message": message, "peak_mb": peak_kb / 1024}))
"""


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (SUBPROCESS_MEMORY_CAP, SUBPROCESS_MEMORY_CAP))


def measured(operation: str, path: Path | str = "", env: dict | None = None) -> dict:
    """Open ``path`` in a fresh process: its one-line error (None if it opened) and its peak RSS in MB."""
    done = subprocess.run([sys.executable, "-c", CHILD, operation, str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=os.environ | (env or {}), preexec_fn=_cap_memory)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


def assert_one_line(message: str, path: Path) -> None:
    assert message.startswith(f"{path}: ") and "\n" not in message, message


@pytest.mark.parametrize("case, name, operation, expected", HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_model_files_are_refused_in_one_line_within_200_mb(tmp_path, case, name, operation, expected):
    path = build_hostile(case, tmp_path / name, tmp_path)
    result = measured(operation, path)
    assert result["message"] is not None, f"{case} was opened"
    assert_one_line(result["message"], path)
    assert re.search(expected, result["message"]), result["message"]
    assert result["peak_mb"] < PEAK_LIMIT_MB, result


def test_the_limits_leave_room_for_real_models():
    """The bounds are ten times what the shipped models need, or more."""
    for name in ("cnn", "mlp"):
        path = ROOT / "models" / f"{name}.npz"
        model = open_model(path)
        values = sum(int(np.prod(shape)) for shape in model.output_shapes())
        assert values * 10 < MAX_ACTIVATIONS and len(model.layers) * 10 < MAX_LAYERS
        assert path.stat().st_size * 10 < MAX_FILE_BYTES
        assert len(json.dumps(read_header(path))) * 10 < MAX_HEADER_BYTES


# --- listing never fails -------------------------------------------------------------------------------


BAD_KINDS = {   # file name -> what makes it bad; one of each kind the issue found
    "accuracy-overflow.npz": "test_accuracy = 10**400",
    "parameters-lots.npz": '"parameters": "lots"',
    "encrypted.npz": "encrypted member",
    "method99.npz": "unknown compression method",
    "nested.npz": "deeply nested header",
    "nested-meta.npz": "deeply nested metadata",
    "s4000.npz": "huge dtype (59.6 GiB)",
    "s200.npz": "|S200 header",
    "truncated.npz": "truncated",
    "text.npz": "a text file",
    "folder.npz": "a folder",
    "dangling.npz": "a symlink to nothing",
    "three-classes.npz": "loads, but has 3 outputs",
}


def write_bad_model_folder(folder: Path, work: Path) -> dict[str, Path]:
    """One model file of each bad kind in ``folder`` (the app's soak and start-up tests use it too)."""
    folder.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    good = good_model(work / "source.npz")
    header = json.loads(np.load(good)[HEADER_KEY].tobytes())
    paths = {}
    for name in BAD_KINDS:
        path = folder / name
        if name == "accuracy-overflow.npz":
            write_zip(path, {**members(good), HEADER_KEY + ".npy": npy(np.frombuffer(
                json.dumps(header).replace('"test_accuracy": 0.5', '"test_accuracy": 1' + "0" * 400).encode(), np.uint8))})
        elif name == "parameters-lots.npz":
            good_model(path, {"parameters": "lots", "test_accuracy": "high"})
        elif name in ("encrypted.npz", "method99.npz", "nested.npz", "nested-meta.npz", "s4000.npz", "s200.npz"):
            case = {"encrypted.npz": "encrypted", "method99.npz": "unknown-compression", "nested.npz": "nested-header",
                    "nested-meta.npz": "nested-metadata", "s4000.npz": "S4000-header", "s200.npz": "S200-header"}[name]
            build_hostile(case, path, work)
        elif name == "truncated.npz":
            path.write_bytes(good.read_bytes()[:1000])
        elif name == "text.npz":
            path.write_text("not a model\n")
        elif name == "folder.npz":
            path.mkdir()
        elif name == "dangling.npz":
            path.symlink_to(folder / "missing-target.npz")
        else:
            misfit_model(path, "three-classes")
        paths[name] = path
    return paths


@pytest.fixture
def bad_models(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "models"
    write_bad_model_folder(folder, tmp_path / "work")
    good_model(folder / "good.npz")
    monkeypatch.setenv("DIGITPAD_MODELS_DIR", str(folder))
    return folder


def test_listing_a_folder_of_bad_models_never_fails(bad_models):
    entries = {entry.path.name: entry for entry in list_models() if entry.kind == "user"}
    assert set(entries) == {*BAD_KINDS, "good.npz"}           # every file is listed, none vanishes
    for name, entry in entries.items():
        if entry.problem:
            assert_one_line(entry.problem, bad_models / name)
            assert entry.label == f"{entry.name} (unreadable)" and entry.metadata == {}
    readable = {name for name, entry in entries.items() if entry.problem is None}
    # the header is all a listing reads: a model that does not fit is listed, and refused when opened
    assert readable == {"good.npz", "accuracy-overflow.npz", "parameters-lots.npz", "three-classes.npz"}
    assert entries["good.npz"].test_accuracy == 0.5 and entries["good.npz"].parameters == small_model().parameter_count()
    assert entries["accuracy-overflow.npz"].test_accuracy is None          # was: OverflowError
    assert entries["parameters-lots.npz"].parameters is None and entries["parameters-lots.npz"].test_accuracy is None
    assert "is a folder" in entries["folder.npz"].problem
    assert "no such model file" in entries["dangling.npz"].problem
    assert "damaged or truncated model file" in entries["truncated.npz"].problem


def test_models_command_lists_unreadable_models_with_the_reason(bad_models):
    result = measured("models", env={"DIGITPAD_MODELS_DIR": str(bad_models)})
    assert result["peak_mb"] < PEAK_LIMIT_MB, result


def test_models_command_output(bad_models, capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\nencrypted +user +- +unreadable +- +\S+encrypted\.npz\n    \S+encrypted\.npz: member "
                     r"'__digitpad__\.npy' is encrypted", out), out
    assert re.search(r"\nparameters-lots +user +image +- +- ", out), out
    assert re.search(rf"\ngood +user +image +50\.00% +{small_model().parameter_count():,} ", out), out
    assert re.search(r"\nstrokes +shipped +strokes +\d+\.\d\d% +58,379 ", out), out


def test_unknown_model_name_lists_the_known_models(bad_models, tmp_path, capsys):
    assert main(["predict", "--model", "nonsense", str(tmp_path / "digit.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("digitpad: error: no model named 'nonsense' (known models: cnn, mlp, ") and err.count("\n") == 1
    assert "encrypted" in err and "good" in err


def test_robustness_without_models_skips_unreadable_shipped_ones(tmp_path, monkeypatch, capsys, mnist_dir):
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    shutil.copy(ROOT / "models" / "mlp.npz", shipped / "mlp.npz")
    (shipped / "cnn.npz").write_bytes(b"PK\x03\x04 damaged")
    monkeypatch.setattr(store, "shipped_dir", lambda: shipped)
    monkeypatch.setenv("DIGITPAD_MODELS_DIR", str(tmp_path / "none"))
    assert main(["robustness", "--n", "10", "--widths", "4", "--digits", "traced", "--data-dir", str(mnist_dir)]) == 0
    out, err = capsys.readouterr()
    assert f"note: skipping the shipped model cnn: {shipped / 'cnn.npz'}: damaged or truncated model file" in err
    assert f"models: mlp = {shipped / 'mlp.npz'}" in out


def test_a_model_that_cannot_be_read_for_permission_says_so(tmp_path, monkeypatch):
    """As root, chmod 000 does not stop reads, so the denial is also injected where the reader asks."""
    folder = tmp_path / "models"
    folder.mkdir()
    locked = good_model(folder / "locked.npz")
    locked.chmod(0)
    if os.geteuid() == 0:
        real_access = os.access
        monkeypatch.setattr("digitpad.file_reading.os.access",
                            lambda path, mode: False if Path(path) == locked else real_access(path, mode))
    monkeypatch.setenv("DIGITPAD_MODELS_DIR", str(folder))
    [entry] = [entry for entry in list_models() if entry.kind == "user"]
    assert entry.problem == f"{locked}: permission denied (cannot read this model file)"
    with pytest.raises(ModelFileError, match="permission denied"):
        open_model(locked)


# --- a model must fit the product ------------------------------------------------------------------------


def misfit_model(path: Path, kind: str) -> Path:
    """A model that loads but does not fit digitpad: another input, or other classes."""
    nn.manual_seed(0)
    if kind == "rgb-input":
        model = nn.Sequential([nn.Conv2D(3, 2, 3), nn.Flatten(), nn.Dense(2 * 26 * 26, 10)], input_shape=(3, 28, 28))
    elif kind == "vector-input":
        model = nn.Sequential([nn.Dense(784, 10)])
    else:
        classes = {"three-classes": 3, "thousand-classes": 1000}[kind]
        model = nn.Sequential([nn.Flatten(), nn.Dense(784, classes)], input_shape=(1, 28, 28))
    nn.save_model(model, path)
    return path


MISFITS = [
    ("rgb-input", "expects input (3, 28, 28); digitpad reads (1, 28, 28) images or (5, 64) pen trajectories"),
    ("vector-input", "expects input (784,); digitpad reads (1, 28, 28) images or (5, 64) pen trajectories"),
    ("three-classes", "has 3 outputs, not 10"),
    ("thousand-classes", "has 1000 outputs, not 10"),
]


@pytest.mark.parametrize("kind, message", MISFITS, ids=[kind for kind, _ in MISFITS])
def test_a_model_that_does_not_fit_is_refused_when_opened(tmp_path, kind, message):
    path = misfit_model(tmp_path / f"{kind}.npz", kind)
    assert nn.load_model(path)           # the library reads any model; the product refuses it
    with pytest.raises(ModelFileError) as info:
        open_model(path)
    assert str(info.value) == f"{path}: {message}"


@pytest.mark.parametrize("command", ["predict", "evaluate", "robustness", "train"])
def test_every_command_refuses_a_model_that_does_not_fit(tmp_path, capsys, mnist_dir, command):
    """Was: ValueError tracebacks, and ``predict`` printed "digit 395"."""
    path = misfit_model(tmp_path / "wide.npz", "thousand-classes")
    picture = tmp_path / "digit.png"
    from PIL import Image

    Image.new("L", (28, 28)).save(picture)
    arguments = {"predict": ["predict", "--model", str(path), str(picture)],
                 "evaluate": ["evaluate", str(path), "--data-dir", str(mnist_dir)],
                 "robustness": ["robustness", "--models", str(path), "--n", "10", "--data-dir", str(mnist_dir)],
                 "train": ["train", "--init", str(path), "--epochs", "1", "--out", str(tmp_path / "out.npz"),
                           "--data-dir", str(mnist_dir)]}[command]
    assert main(arguments) == 2
    assert capsys.readouterr().err == f"digitpad: error: {path}: has 1000 outputs, not 10\n"
    assert not (tmp_path / "out.npz").exists()


def test_resuming_a_checkpoint_that_does_not_fit_is_refused(tmp_path):
    path = checkpoint(tmp_path / "run.ckpt.npz", {"input_shape": [1, 28, 28],
                                                  "layers": [{"type": "Flatten"}, {"type": "Dense", "config": {
                                                      "in_features": 784, "out_features": 3}}]})
    with pytest.raises(DigitpadError) as info:
        Trainer.resume(path)
    assert str(info.value) == f"{path}: not a readable training checkpoint (has 3 outputs, not 10)"


def test_a_real_checkpoint_still_resumes(tmp_path):
    trainer = Trainer.resume(checkpoint(tmp_path / "run.ckpt.npz"))
    assert trainer.start_epoch == 2 and trainer.model.output_shapes()[-1] == (10,)


# --- only regular files are opened ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["image", "model"])
def test_a_fifo_is_refused_at_once(tmp_path, role):
    """Was: ``digitpad predict f.png`` and ``--model f.npz`` waited forever for a writer."""
    fifo = tmp_path / ("f.png" if role == "image" else "f.npz")
    os.mkfifo(fifo)
    picture = tmp_path / "digit.png"
    from PIL import Image

    Image.new("L", (28, 28)).save(picture)
    arguments = [str(fifo)] if role == "image" else ["--model", str(fifo), str(picture)]
    done = subprocess.run([sys.executable, "-m", "digitpad", "predict", *arguments], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    what = "file" if role == "image" else "model file"
    assert done.returncode == 2 and done.stderr == (f"digitpad: error: {fifo}: is not a regular file (a pipe, socket "
                                                    f"or device), not a {what}\n"), done.stderr


# --- the app ---------------------------------------------------------------------------------------------


def test_the_app_starts_with_one_bad_model_of_each_kind(qtbot, app_env, tmp_path, message_boxes):
    """Was: a crash at every start.  Unreadable models are listed greyed out, the reason as tooltip."""
    from PySide6.QtCore import Qt

    from digitpad.app.windows.main_window import MainWindow
    from test_app_canvas import draw, one

    write_bad_model_folder(app_env, tmp_path / "work")
    win = MainWindow()
    qtbot.addWidget(win)
    assert message_boxes == [] and win.session.model_path is not None
    combo = win.model_combo
    items = {combo.itemData(i): i for i in range(combo.count())}
    for name in BAD_KINDS:
        entry = next(e for e in win.session.entries if e.path == app_env / name)
        index = items[str(app_env / name)]
        assert combo.model().item(index).isEnabled() == (entry.problem is None), name
        if entry.problem:
            assert combo.itemText(index).strip() == f"{entry.name} (unreadable)"   # indented under its header
            assert combo.itemData(index, Qt.ItemDataRole.ToolTipRole) == f"This model cannot be used: {entry.problem}"
    draw(win.canvas, one())
    assert win.session.predictor.predict_now().probabilities[0] is not None


def test_the_app_refuses_a_model_that_does_not_fit_and_keeps_the_previous(qtbot, window, message_boxes, tmp_path):
    from test_app_canvas import draw

    path = misfit_model(tmp_path / "rgb.npz", "rgb-input")
    assert not window.select_model(path)
    assert message_boxes == [("critical", "Cannot use this model", f"This model cannot be used: {path}: expects input "
                                                                   "(3, 28, 28); digitpad reads (1, 28, 28) images or "
                                                                   "(5, 64) pen trajectories")]
    assert window.session.model_path.name == "tiny.npz"
    draw(window.canvas, [(60, 60), (100, 100)])            # the bars keep working
    assert window.session.predictor.predict_now().probabilities[0] is not None


def test_model_entry_reads_figures_without_trusting_them():
    entry = ModelEntry("x", Path("x.npz"), "user", {"test_accuracy": 10**400, "parameters": "lots"})
    assert entry.test_accuracy is None and entry.parameters is None and entry.label == "x (user)"


def test_a_model_name_with_control_characters_is_shown_escaped(qtbot, app_env):
    """Item 12: a file name from a hostile folder can neither break a line nor drive a terminal."""
    from digitpad.app.windows.main_window import MainWindow

    shutil.copy(app_env / "tiny.npz", app_env / "evil\x1b[31m\n.npz")
    win = MainWindow()
    qtbot.addWidget(win)
    labels = [win.model_combo.itemText(i) for i in range(win.model_combo.count())]
    assert any(label.strip().startswith("evil\\x1b[31m\\n (user") for label in labels), labels
    assert not any("\x1b" in label or "\n" in label for label in labels)
