"""Real interruptions: kill -9 while saving a model, while downloading MNIST and while training;
a full disk and a read-only folder.  The old files must stay intact and loadable, no half-written
file may look valid, and the next run must recover."""

from __future__ import annotations

import functools
import http.server
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from digitpad import nn
from digitpad.atomic import PART_MARKER
from digitpad.data import mnist, mnist_idx
from digitpad.errors import DatasetError, DigitpadError, ModelFileError, OutputFileError, TrainingError
from digitpad.training.config import TrainConfig
from digitpad.training.trainer import Trainer
from training_helpers import train_on

REPO = Path(__file__).resolve().parents[1]


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def start_child(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], env=child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition, timeout=60.0, interval=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    raise AssertionError("condition not reached in time")


def kill9(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


# --- kill -9 while saving a model --------------------------------------------------------------------

SAVER = """
    import sys
    from pathlib import Path
    from digitpad import nn
    path = Path(sys.argv[1])
    model = nn.Sequential([nn.Flatten(), nn.Dense(784, 2048), nn.ReLU(), nn.Dense(2048, 10)], input_shape=(1, 28, 28))  # 6.5 MB file
    i = 0
    while True:
        i += 1
        model.metadata = {"generation": i}
        nn.save_model(model, path)
        print(i, flush=True)
"""


def test_kill_9_while_saving_a_model_keeps_the_previous_file(tmp_path):
    path = tmp_path / "model.npz"
    rng = np.random.default_rng(0)
    proc = start_child(SAVER, str(path))
    try:
        generations = []
        for _ in range(8):
            proc.stdout.readline()  # at least one complete save exists
            time.sleep(float(rng.uniform(0, 0.3)))  # kill somewhere in a later save
            kill9(proc)
            model = nn.load_model(path)  # always the last complete file
            generations.append(model.metadata["generation"])
            for part in tmp_path.glob(f"*{PART_MARKER}*"):
                assert not part.name.endswith(".npz")  # never mistaken for a model by name
                try:
                    nn.load_model(part)  # a part file is either refused or a complete copy
                except ModelFileError:
                    pass
                part.unlink()
            proc = start_child(SAVER, str(path))
    finally:
        proc.kill()
        proc.wait()
    assert len(generations) == 8


# --- kill -9 while downloading MNIST -----------------------------------------------------------------


class SlowHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the MNIST folder; under /slow/ at about 1 MB/s in 16 kB chunks."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        slow = self.path.startswith("/slow/")
        name = self.path.rsplit("/", 1)[-1]
        file = Path(self.directory) / name
        if not file.is_file():
            self.send_error(404)
            return
        data = file.read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            for start in range(0, len(data), 16384):
                self.wfile.write(data[start : start + 16384])
                if slow:
                    time.sleep(0.015)
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextmanager
def mnist_server(directory: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SlowHandler, directory=str(directory)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


DOWNLOADER = """
    import sys
    from digitpad.data import mnist
    mnist.download_mnist(sys.argv[1], mirrors=[sys.argv[2]], timeout=10)
    print("done", flush=True)
"""


def test_kill_9_while_downloading_then_recover(tmp_path, mnist_dir):
    dest = tmp_path / "data"
    with mnist_server(mnist_dir) as base:
        for delay in (0.3, 1.5):  # early in the first file; later, maybe mid-file again
            proc = start_child(DOWNLOADER, str(dest), base + "/slow/")
            try:
                wait_for(lambda: any(p.stat().st_size > 0 for p in dest.glob(f"*{PART_MARKER}*")) if dest.exists() else False)
                time.sleep(delay)
            finally:
                kill9(proc)
            for spec in mnist_idx.ALL_FILES:  # under a real name: only complete, verified files
                final = dest / spec.gz_name
                if final.exists():
                    assert spec.gz_name not in mnist.check_mnist_dir(dest)
            partials = list(dest.glob(f"*{PART_MARKER}*"))
            assert partials  # killed mid-transfer: the partial data is only in a .part- file
            with pytest.raises(DatasetError, match="truncated"):  # and never parses as MNIST
                mnist_idx.load_idx_file(partials[0], mnist_idx.TRAIN_IMAGES)
        # the next run removes the leftovers, fetches what is missing and verifies everything
        proc = start_child(DOWNLOADER, str(dest), base + "/fast/")
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert mnist.check_mnist_dir(dest) == []
    assert not list(dest.glob(f"*{PART_MARKER}*"))
    mnist_idx._load_cached.cache_clear()
    images, labels = mnist.load_mnist("test", dest)
    assert images.shape == (10000, 28, 28) and labels.shape == (10000,)


# --- interrupted training ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def train_set(mnist_dir):
    images, labels = mnist.load_mnist("train", mnist_dir)
    return images[:1000], labels[:1000]


def test_cancel_mid_epoch_then_resume_from_checkpoint(train_set, tmp_path):
    images, labels = train_set
    checkpoint = tmp_path / "run.ckpt.npz"
    calls = {"n": 0}
    batches = 8  # 800 training images / 100

    def cancel():
        calls["n"] += 1
        return calls["n"] > batches + 3  # the 4th batch of epoch 2

    config = TrainConfig(model="mlp", epochs=3, batch_size=100, seed=0)
    result = train_on(Trainer(config, cancel=cancel, checkpoint_path=checkpoint), images, labels)
    assert result.status == "cancelled" and "epoch 2" in result.message
    resumed = Trainer.resume(checkpoint)
    assert resumed.start_epoch == 2 and len(resumed.history) == 1
    finished = train_on(resumed, images, labels)
    assert finished.status == "completed" and [h.epoch for h in finished.history] == [1, 2, 3]


TRAINER = """
    import sys
    from digitpad.data import mnist
    from digitpad.training.config import TrainConfig
    from digitpad.training.trainer import Trainer
    from digitpad.training.training_set import build_training_set
    images, labels = mnist.load_mnist("train", sys.argv[2])
    config = TrainConfig(model="mlp", epochs=1000, batch_size=50, limit=600, seed=0, patience=1000)
    Trainer(config, checkpoint_path=sys.argv[1]).fit(build_training_set(images, labels, config))
"""


def test_kill_9_during_training_then_resume(tmp_path, mnist_dir, train_set):
    checkpoint = tmp_path / "run.ckpt.npz"
    proc = start_child(TRAINER, str(checkpoint), str(mnist_dir))
    try:
        wait_for(checkpoint.exists, timeout=120)
        first = checkpoint.stat().st_mtime_ns
        wait_for(lambda: checkpoint.stat().st_mtime_ns != first, timeout=60)  # at least two epochs written
        time.sleep(0.05)  # somewhere inside a later epoch, maybe inside a checkpoint write
    finally:
        kill9(proc)
    trainer = Trainer.resume(checkpoint, epochs=None)
    done = trainer.start_epoch - 1
    assert done >= 2 and len(trainer.history) == done
    trainer.config.epochs = done + 1
    images, labels = train_set
    result = train_on(trainer, images[:600], labels[:600])
    assert result.status == "completed" and result.history[-1].epoch == done + 1


# --- disk full and read-only folders -----------------------------------------------------------------


@contextmanager
def tmpfs(path: Path, options: str):
    path.mkdir(exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); the monkeypatched test covers ENOSPC")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _model(width: int) -> nn.Sequential:
    return nn.Sequential([nn.Flatten(), nn.Dense(784, width), nn.ReLU(), nn.Dense(width, 10)], input_shape=(1, 28, 28))


def test_disk_full_while_saving_keeps_old_model(tmp_path):
    """A real 1 MB tmpfs: a 200 kB model fits, a 3 MB one does not."""
    with tmpfs(tmp_path / "small-disk", "size=1m") as disk:
        path = disk / "model.npz"
        nn.save_model(_model(64), path)
        before = path.read_bytes()
        with pytest.raises(ModelFileError, match=f"{path}: cannot save the model \\(No space left on device\\)"):
            nn.save_model(_model(1024), path)
        assert path.read_bytes() == before and nn.load_model(path)
        assert sorted(p.name for p in disk.iterdir()) == ["model.npz"]  # no half-written part file


def test_disk_full_simulated(tmp_path, monkeypatch):
    """ENOSPC injected at fsync (works without mount privileges)."""
    import errno

    from digitpad import atomic

    path = tmp_path / "model.npz"
    nn.save_model(_model(16), path)
    before = path.read_bytes()

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", no_space)
    with pytest.raises(ModelFileError, match="No space left on device"):
        nn.save_model(_model(16), path)
    trainer = Trainer(TrainConfig(model="mlp", epochs=1))
    with pytest.raises(TrainingError, match="cannot save the training checkpoint .No space left"):
        trainer.save_checkpoint(tmp_path / "run.ckpt.npz", 1)  # was: a raw OSError (traceback in the CLI)
    monkeypatch.undo()
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


def test_read_only_model_folder(tmp_path):
    """A read-only mount (chmod does not stop root, which runs this suite)."""
    with tmpfs(tmp_path / "ro", "size=4m") as folder:
        path = folder / "model.npz"
        nn.save_model(_model(16), path)
        before = path.read_bytes()
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        with pytest.raises(ModelFileError, match=f"{path}: cannot save the model \\(Read-only file system\\)"):
            nn.save_model(_model(16), path)
        assert path.read_bytes() == before and nn.load_model(path)
        with pytest.raises(TrainingError, match="Read-only file system"):
            Trainer(TrainConfig(model="mlp", epochs=1)).save_checkpoint(folder / "run.ckpt.npz", 1)
        assert sorted(p.name for p in folder.iterdir()) == ["model.npz"]


def test_train_and_save_into_full_disk_is_one_clear_error(tmp_path, mnist_dir, monkeypatch):
    """The model card write failing (disk full after the model) was a raw OSError."""
    import errno

    from digitpad.training import modelcard, run as training_run

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(modelcard, "atomic_write_text", full)
    out = tmp_path / "m.npz"
    with pytest.raises(OutputFileError, match="model card could not be written .No space left on device"):
        training_run.train_and_save(TrainConfig(model="mlp", epochs=1, limit=300, batch_size=100), out,
                                    data_dir=mnist_dir)
    assert isinstance(nn.load_model(out), nn.Sequential)
    assert issubclass(TrainingError, DigitpadError)
