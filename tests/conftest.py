"""Shared pytest fixtures for the digitpad test suite (add new shared fixtures here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


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
