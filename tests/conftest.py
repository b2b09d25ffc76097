"""Shared pytest fixtures for the digitpad test suite (add new shared fixtures here)."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

# The app tests run without a display (pytest-qt); set before Qt is imported anywhere.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The directory with the real MNIST .gz files.

    ``$DIGITPAD_DATA_DIR`` if set, else ``shared/mnist`` next to the repository checkout.  Tests using
    it fail (with the reason shown) where the files are not available: they are real-data tests.
    """
    env = os.environ.get("DIGITPAD_DATA_DIR")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "mnist"
    if not (path / "train-images-idx3-ubyte.gz").is_file():
        pytest.fail(f"real MNIST files not found in {path} (set DIGITPAD_DATA_DIR)")
    return path


@pytest.fixture(scope="session")
def pendigits_dir() -> Path:
    """The folder with the real pen digits (``shared/pendigits`` next to the checkout)."""
    path = Path(__file__).resolve().parents[2] / "shared" / "pendigits"
    if not (path / "pendigits-orig.tra").is_file():
        pytest.fail(f"the real pen digits are not in {path}")
    return path


@pytest.fixture(scope="session")
def uji_dir() -> Path:
    """The folder with UJI Pen Characters (``shared/uji`` next to the checkout)."""
    path = Path(__file__).resolve().parents[2] / "shared" / "uji"
    if not (path / "UJIpenchars-w01.txt").is_file():
        pytest.fail(f"UJI Pen Characters not found in {path}")
    return path


@pytest.fixture(scope="session")
def omniglot_dir() -> Path:
    """The folder with Omniglot's strokes (``shared/omniglot`` next to the checkout)."""
    path = Path(__file__).resolve().parents[2] / "shared" / "omniglot"
    if not (path / "strokes_background_small1.zip").is_file():
        pytest.fail(f"Omniglot's strokes not found in {path}")
    return path


@pytest.fixture
def data_dir_with_pendigits(tmp_path, monkeypatch, mnist_dir, pendigits_dir) -> Path:
    """A data folder holding MNIST and the pen digits (links), as `digitpad download [--pendigits]`
    leaves one, set as ``$DIGITPAD_DATA_DIR``."""
    data = tmp_path / "data"
    data.mkdir()
    for source in [*mnist_dir.glob("*.gz"), pendigits_dir / "pendigits-orig.tra"]:
        (data / source.name).symlink_to(source)
    monkeypatch.setenv("DIGITPAD_DATA_DIR", str(data))
    return data


# --- desktop app (tests/test_app_*.py) ---------------------------------------------------------------


@pytest.fixture(scope="session")
def tiny_model_path(tmp_path_factory, mnist_dir) -> Path:
    """A small MLP trained for one epoch on 3000 MNIST images (a few seconds); about 85-90 % accurate."""
    from digitpad import nn
    from digitpad.data import mnist
    from digitpad.training.config import TrainConfig
    from digitpad.training.trainer import Trainer
    from training_helpers import train_on

    images, labels = mnist.load_mnist("train", mnist_dir)
    result = train_on(Trainer(TrainConfig(model="mlp", epochs=1, limit=3000, seed=0)), images, labels)
    path = tmp_path_factory.mktemp("tiny-model") / "tiny.npz"
    result.model.metadata = {"test_accuracy": 0.88}
    nn.save_model(result.model, path)
    return path


@pytest.fixture
def app_env(tmp_path, monkeypatch, mnist_dir, tiny_model_path) -> Path:
    """Private user-models, personal-data and settings folders (the tiny model installed as user model
    "tiny"; no data folder chosen, no language), and the real MNIST files.  Returns the user models folder."""
    import shutil

    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(tiny_model_path, models / "tiny.npz")
    monkeypatch.setenv("DIGITPAD_MODELS_DIR", str(models))
    monkeypatch.setenv("DIGITPAD_PERSONAL_DIR", str(tmp_path / "personal"))
    monkeypatch.setenv("DIGITPAD_CONFIG_DIR", str(tmp_path / "config"))   # never the user's own settings
    monkeypatch.setenv("DIGITPAD_DATA_DIR", str(mnist_dir))
    return models


@pytest.fixture
def message_boxes(monkeypatch) -> list[tuple[str, str, str]]:
    """Record QMessageBox.critical/warning/information/question calls instead of blocking on them.

    Each call appends (kind, title, text); ``question`` answers Yes."""
    from PySide6.QtWidgets import QMessageBox

    calls: list[tuple[str, str, str]] = []

    def recorder(kind, answer):
        def record(parent, title, text, *args, **kwargs):
            calls.append((kind, title, text))
            return answer
        return staticmethod(record)

    for kind in ("critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, kind, recorder(kind, QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", recorder("question", QMessageBox.StandardButton.Yes))
    return calls


@pytest.fixture
def window(qtbot, app_env):
    """The main window, shown, with the tiny user model selected."""
    from digitpad.app.windows.main_window import MainWindow

    win = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def server(tmp_path):
    """A local HTTP server over ``tmp_path / "www"``; yields its base URL."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
