"""Property-based fuzzing of the files in the user's folders: settings.json, the personal samples,
drawing files, the model cards beside models and the desktop manifest (issue 22).

Each case starts from a document as digitpad writes it and mutates it (a field replaced by any JSON
value, a field dropped, a value nested deeply, the bytes flipped, cut or replaced).  The property:
the reader returns something the product can use, or ignores/refuses the file in one line naming it
-- never another exception -- and uninstall never removes a path install did not write.

Example counts are small for CI; ``DIGITPAD_FUZZ_SCALE`` multiplies them (see ``fuzz/README.md``).
"""

from __future__ import annotations

import base64
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from digitpad import nn
from digitpad.app import i18n
from digitpad.commands import install_desktop
from digitpad.data.personal import SAMPLE_FORMAT, SAMPLE_VERSION, PersonalDataset
from digitpad.drawing.strokes import MAX_DRAWING_SIZE, Drawing
from digitpad.drawing.trajectory import NOT_A_DIGIT
from digitpad.errors import FileFormatError, ImageError
from digitpad.training.modelcard import (CARD_FIELDS, MODEL_HASH_KEY, build_card, card_paths, file_sha256,
                                         read_card, render_markdown, save_model_with_card)
from test_hardening_fuzz import fuzz, one_line_naming

_counter = itertools.count()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.sampled_from([10**400, -10**400])
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=16)


@st.composite
def mutated(draw, good: dict) -> bytes:
    """``good`` (a JSON document as digitpad writes it) mutated once or twice, as bytes."""
    doc = json.loads(json.dumps(good))
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(["value", "drop", "nest", "whole", "none"]))
        key = draw(st.sampled_from([*doc, "extra"])) if isinstance(doc, dict) and doc else "extra"
        if kind == "value" and isinstance(doc, dict):
            doc[key] = draw(json_values)
        elif kind == "drop" and isinstance(doc, dict):
            doc.pop(key, None)
        elif kind == "nest" and isinstance(doc, dict):
            value = doc.get(key)
            for _ in range(draw(st.sampled_from([1, 5, 31, 33, 200, 3000]))):
                value = [value]
            doc[key] = value
        elif kind == "whole":
            doc = draw(json_values)
    try:
        data = bytearray(json.dumps(doc).encode("utf-8", "surrogatepass"))
    except RecursionError:   # json.dumps itself cannot write 3000 levels: write them by hand
        data = bytearray(b"[" * 3000 + b"]" * 3000)
    damage = draw(st.sampled_from(["none", "none", "flip", "cut", "random"]))
    if damage == "flip" and data:
        data[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 255))
    elif damage == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "random":
        data = bytearray(draw(st.binary(max_size=64)))
    return bytes(data)


def fresh_dir(root: Path) -> Path:
    folder = root / f"case{next(_counter)}"
    folder.mkdir()
    return folder


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("user-files-fuzz")


# --- settings.json ---------------------------------------------------------------------------------


@fuzz(60)
@given(data=mutated({"language": "fr"}))
def test_settings_fuzz(root, monkeypatch_module, data):
    folder = fresh_dir(root)
    monkeypatch_module.setenv("DIGITPAD_CONFIG_DIR", str(folder))
    (folder / "settings.json").write_bytes(data)
    problem, language = i18n.settings_problem(), i18n.chosen_language()
    assert language in (None, *i18n.LANGUAGES)
    if problem is not None:
        assert language is None
        one_line_naming(FileFormatError(problem), str(folder / "settings.json"))
    i18n.save_language("en")   # a bad file is replaced by a good one
    assert i18n.chosen_language() == "en" and i18n.settings_problem() is None


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


# --- personal samples and drawings -----------------------------------------------------------------


def good_sample() -> dict:
    image = np.zeros((28, 28), np.uint8)
    image[4:24, 12:16] = 200
    drawing = json.loads(Drawing([[[10.5, 10], [10, 50]], [[3, 3]]], 8, 64, label=1).to_json())
    return {"format": SAMPLE_FORMAT, "version": SAMPLE_VERSION, "label": 1, "created": "2024-01-01 00:00:00",
            "image": base64.b64encode(image.tobytes()).decode("ascii"), "drawing": drawing}


@fuzz(120)
@given(data=st.one_of(mutated(good_sample()), mutated(good_sample()["drawing"]).map(
    lambda drawing: json.dumps({**good_sample(), "drawing": "@"}).encode().replace(b'"@"', drawing or b"null"))))
def test_personal_sample_fuzz(root, data):
    folder = fresh_dir(root)
    dataset = PersonalDataset(folder)
    kept = dataset.add(np.full((28, 28), 0.5), 7)
    (folder / "fuzzed.json").write_bytes(data)
    for reader in (dataset, PersonalDataset(folder)):   # the cached index and a fresh read agree
        samples, problems = reader.load()
        assert kept.id in [s.id for s in samples] and len(samples) + len(problems) == 2
        for problem in problems:
            one_line_naming(FileFormatError(problem), "fuzzed.json")
        for sample in samples:
            assert 0 <= sample.label <= NOT_A_DIGIT and sample.image.shape == (28, 28) and sample.image.dtype == np.uint8
            assert sample.drawing is None or sample.drawing.canvas_size <= MAX_DRAWING_SIZE
    assert dataset.arrays()[0].shape[1:] == (28, 28)


@fuzz(80)
@given(data=mutated(good_sample()["drawing"]))
def test_drawing_file_fuzz(root, data):
    path = fresh_dir(root) / "drawing.json"
    path.write_bytes(data)
    try:
        drawing = Drawing.load(path)
    except ImageError as exc:
        one_line_naming(exc, str(path))
    else:
        assert drawing.canvas_size <= MAX_DRAWING_SIZE and all(s.ndim == 2 and len(s) for s in drawing.strokes)


# --- model cards -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def carded_model(root) -> tuple[Path, dict]:
    model = nn.Sequential([nn.Flatten(), nn.Dense(784, 4), nn.ReLU(), nn.Dense(4, 10)], input_shape=(1, 28, 28))
    path = root / "model.npz"
    epoch = {"epoch": 1, "train_loss": 0.5, "train_accuracy": 0.9, "val_loss": 0.4, "val_accuracy": 0.91,
             "lr": 0.01, "seconds": 3.0}
    card = build_card("model", model, {"lr": 0.01}, [epoch], None, 12.5, {}, "digitpad train --out model.npz",
                      extra={"best_epoch": 1, "best_val_accuracy": 0.91})
    save_model_with_card(model, path, card)
    return path, {**card, MODEL_HASH_KEY: file_sha256(path)}


@fuzz(150)
@given(case=st.data())
def test_model_card_fuzz(carded_model, case):
    path, good = carded_model
    data = case.draw(mutated(good))
    json_path = card_paths(path)[0]
    json_path.write_bytes(data)
    card, problem = read_card(path)
    if card is None:
        assert problem is not None
        one_line_naming(FileFormatError(problem), str(json_path))
        return
    assert problem is None and set(card) <= set(CARD_FIELDS)
    assert all(CARD_FIELDS[key](value) == value for key, value in card.items())   # each field passed its check
    # what `average` and `export` do with an ingredient's card: sums, a JSON summary, the Markdown
    float(card.get("wall_time_s", 0)) + int(card.get("epochs_run", 0))
    json.dumps(card)
    render_markdown({**good, "ingredients": [{"path": str(path), **card}]})


# --- the desktop manifest --------------------------------------------------------------------------


def manifest_paths(home: Path, outside: Path) -> list[str]:
    ours = [str(p) for p in install_desktop.installed_paths(home).values()]
    return [*ours, str(home / "applications"), str(home / "icons" / "hicolor" / "scalable"), str(home),
            f"{home}/applications/../../outside", f"{home}/applications/../../outside/keep.txt",
            str(outside), str(outside / "empty"), str(outside / "keep.txt"), "/", "applications", "", "."]


@fuzz(80)
@given(case=st.data())
def test_desktop_manifest_fuzz(root, case):
    base = fresh_dir(root)
    home, outside = base / "data", base / "outside"
    (outside / "empty").mkdir(parents=True)
    (outside / "keep.txt").write_text("keep")
    written = install_desktop.install(home)
    manifest = home / install_desktop.MANIFEST
    paths = st.sampled_from(manifest_paths(home, outside))
    good = {"files": case.draw(st.lists(paths, max_size=6)), "folders": case.draw(st.lists(paths, max_size=6))}
    manifest.write_bytes(case.draw(mutated(good)))
    before = sorted(base.rglob("*"))
    try:
        removed = install_desktop.uninstall(home)
    except FileFormatError as exc:
        one_line_naming(exc, str(manifest))
        assert sorted(base.rglob("*")) == before   # nothing removed
    else:
        allowed = {*written, *(folder for path in written for folder in path.parents if home in folder.parents)}
        assert set(removed) <= allowed, set(removed) - allowed
    assert (outside / "keep.txt").read_text() == "keep" and (outside / "empty").is_dir() and home.is_dir()
