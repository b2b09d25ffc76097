"""The CLI never shows a traceback for a user mistake: ``python -m digitpad ...`` in a subprocess
with bad inputs prints exactly one line on stderr, starting with ``digitpad: error:``, and exits
non-zero (argparse's own usage errors excepted: they print usage, still without a traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image


REPO = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env_extra: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "digitpad", *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


def assert_one_line_error(done: subprocess.CompletedProcess, *fragments: str) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("digitpad: error: "), done.stderr
    assert done.returncode != 0
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def assert_one_line_error_after_progress(done: subprocess.CompletedProcess, *fragments: str) -> None:
    """`train` writes its progress to stderr; the error is then its last line, and the only error line."""
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if "error" in line.lower()]
    assert done.returncode != 0 and len(errors) == 1, done.stderr
    assert done.stderr.strip().splitlines()[-1] == errors[0] and errors[0].startswith("digitpad: error: ")
    for fragment in fragments:
        assert fragment in errors[0], (fragment, errors[0])


@pytest.fixture(scope="module")
def files(tmp_path_factory, tiny_model_path) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("cli")
    f = {"model": tiny_model_path, "dir": root / "folder", "missing": root / "missing.npz"}
    f["dir"].mkdir()
    f["corrupt_model"] = root / "corrupt.npz"
    f["corrupt_model"].write_bytes(tiny_model_path.read_bytes()[:5000])
    f["npy_model"] = root / "array.npy"
    np.save(f["npy_model"], np.zeros(3))
    f["text_model"] = root / "notes.npz"
    f["text_model"].write_text("hello")
    f["bad_json"] = root / "bad.json"
    f["bad_json"].write_text('{"layers": [')
    f["deep_json"] = root / "deep.json"
    f["deep_json"].write_text("[" * 50_000)
    f["absurd_json"] = root / "absurd.json"
    f["absurd_json"].write_text(json.dumps({"layers": [{"type": "Flatten"},
                                                      {"type": "Dense", "config": {"in_features": 784, "out_features": 1e9}}]}))
    f["unknown_json"] = root / "unknown.json"
    f["unknown_json"].write_text(json.dumps({"layers": [{"type": "Teleport"}]}))
    f["not_image"] = root / "notes.png"
    f["not_image"].write_text("not an image")
    f["truncated_png"] = root / "cut.png"
    image = np.full((40, 40), 255, np.uint8)
    image[10:30, 18:22] = 0
    Image.fromarray(image).save(f["truncated_png"])
    f["truncated_png"].write_bytes(f["truncated_png"].read_bytes()[:60])
    f["good_png"] = root / "one.png"
    Image.fromarray(image).save(f["good_png"])
    return f


CASES = [
    ("predict", "--model", "{model}", "{missing}.png"),
    ("predict", "--model", "{model}", "{dir}"),
    ("predict", "--model", "{model}", "{not_image}"),
    ("predict", "--model", "{model}", "{truncated_png}"),
    ("predict", "--model", "{missing}", "{good_png}"),
    ("predict", "--model", "{dir}", "{good_png}"),
    ("predict", "--model", "{corrupt_model}", "{good_png}"),
    ("predict", "--model", "{npy_model}", "{good_png}"),
    ("predict", "--model", "{text_model}", "{good_png}"),
    ("evaluate", "{corrupt_model}"),
    ("evaluate", "{missing}"),
    ("evaluate", "no-such-model-name"),
    ("train", "--model", "{bad_json}"),
    ("train", "--model", "{deep_json}"),
    ("train", "--model", "{absurd_json}"),
    ("train", "--model", "{unknown_json}"),
    ("train", "--model", "{missing}.json"),
    ("train", "--model", "no-such-preset"),
    ("train", "--lr", "nan"),
    ("train", "--lr", "-1"),
    ("train", "--epochs", "0"),
    ("train", "--batch-size", "0"),
    ("train", "--dropout", "1.5"),
    ("train", "--val-fraction", "2"),
    ("train", "--optimizer", "magic"),
    ("train", "--resume", "{missing}"),
    ("train", "--resume", "{model}"),
    ("train", "--resume", "{dir}"),
    ("train", "--out", "{not_image}/model.npz", "--model", "mlp", "--limit", "1000"),
    ("download", "--dir", "{not_image}"),
]
# Each `python -m digitpad` start costs about a second on this machine, so a representative subset
# runs as real subprocesses; the rest call `digitpad.cli.main` in-process, where an exception escaping
# main is exactly what would have printed a traceback.
IN_SUBPROCESS = {0, 2, 6, 7, 11, 13, 14, 18, 26, 29}


@pytest.mark.parametrize("index", range(len(CASES)), ids=[" ".join(case)[:60] for case in CASES])
def test_user_mistakes_are_one_line(files, mnist_dir, index, capsys, monkeypatch):
    args = [part.format(**files) for part in CASES[index]]
    if args[0] == "train":
        args += ["--data-dir", str(mnist_dir), "--epochs" if "--epochs" not in args else "--seed", "1"]
        if "--out" not in args:
            args += ["--out", str(files["dir"] / "never.npz")]
    if args[0] == "evaluate":
        args += ["--data-dir", str(mnist_dir)]
    if index in IN_SUBPROCESS:
        done = run_cli(*args, env_extra={"DIGITPAD_MODELS_DIR": str(files["dir"])})
    else:
        from digitpad import cli

        monkeypatch.setenv("DIGITPAD_MODELS_DIR", str(files["dir"]))
        status = cli.main(args)
        captured = capsys.readouterr()
        done = subprocess.CompletedProcess(args, status, captured.out, captured.err)
    assert_one_line_error(done)
    assert not (files["dir"] / "never.npz").exists()


def test_bad_numbers_are_argparse_usage_errors_without_traceback(capsys):
    from digitpad import cli

    done = run_cli("train", "--epochs", "abc")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("digitpad train: error: argument --epochs")
    for args in (["train", "--lr", "1e"], ["train", "--limit", "3.5"], ["train", "--val-size", "x"]):
        with pytest.raises(SystemExit) as exit_info:
            cli.main(args)
        assert exit_info.value.code == 2
        assert capsys.readouterr().err.strip().splitlines()[-1].startswith("digitpad train: error: argument")


def test_predict_works_and_reports_each_image(files, capsys):
    from digitpad import cli

    assert cli.main(["predict", "--model", str(files["model"]), str(files["good_png"])]) == 0
    assert "one.png" in capsys.readouterr().out


def test_cli_divergence_is_one_line_and_writes_no_model(tmp_path, mnist_dir):
    out = tmp_path / "diverged.npz"
    # batch norm keeps the numbers finite (loss ~1e34) here: was trained to the end and saved
    done = run_cli("train", "--model", "mlp", "--lr", "1e6", "--optimizer", "sgd", "--schedule", "constant",
                   "--epochs", "1", "--limit", "1000", "--data-dir", str(mnist_dir),
                   "--out", str(out), timeout=300)
    assert_one_line_error_after_progress(done, "diverged", "lower learning rate than 1e+06")
    assert done.stdout == "" or "saved" not in done.stdout
    assert not out.exists()
    assert not list(tmp_path.glob("*.part-*"))


@pytest.mark.parametrize("images, labels, message", [
    (np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.int64), "empty"),
    (np.zeros((1, 28, 28), np.uint8), np.zeros(1, np.int64), "single image"),
    (np.zeros((50, 28, 28), np.uint8), np.full(50, 4, np.int64), "single class"),
    (np.zeros((50, 28, 28), np.uint8), np.arange(50) % 11, "digits 0-9"),
    (np.zeros((50, 28, 28), np.uint8), -(np.arange(50) % 3), "digits 0-9"),
    (np.zeros((50, 28, 28), np.uint8), np.full(50, 255, np.uint8), "digits 0-9"),
    (np.zeros((50, 28, 28), np.uint8), np.arange(49) % 10, "labels"),
    (np.zeros((50, 784), np.uint8), np.arange(50) % 10, "(N, 28, 28)"),
])
def test_bad_datasets_are_clear_training_errors(images, labels, message):
    from digitpad.errors import TrainingError
    from digitpad.training.config import TrainConfig
    from digitpad.training.trainer import Trainer
    from training_helpers import train_on

    with pytest.raises(TrainingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        train_on(Trainer(TrainConfig(model="mlp", epochs=1)), images, labels)
