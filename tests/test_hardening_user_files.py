"""Hostile files in the user's folders (issue 22, items 4, 5, 8, 10's cards and 12): settings.json,
the personal samples, the model cards beside models, kill -9 between a model and its card, stale
temporaries, and the desktop manifest.  Every hostile file is built by the test; each must be ignored
or refused in one line naming it, never crash the app or the command, and never touch what is not ours.
"""

from __future__ import annotations

import base64
import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from digitpad import nn
from digitpad.app import i18n
from digitpad.app.windows.main_window import MainWindow
from digitpad.app.windows.personal_window import PersonalWindow
from digitpad.atomic import PART_MARKER, STALE_PART_SECONDS
from digitpad.cli import main
from digitpad.commands import install_desktop
from digitpad.data import personal
from digitpad.data.personal import MAX_SAMPLE_BYTES, PersonalDataset
from digitpad.drawing.strokes import MAX_DRAWING_BYTES, Drawing
from digitpad.errors import DigitpadError, ImageError, OutputFileError
from digitpad.training import modelcard
from digitpad.training.modelcard import (MODEL_HASH_KEY, build_card, card_paths, read_card, read_card_markdown,
                                         save_model_with_card)
from test_app_canvas import draw, one
from test_app_personal import digit_image
from test_hardening_fuzz import peak_memory
from test_hardening_interrupt import kill9, start_child, tmpfs

NESTED = "[" * 5000 + "]" * 5000   # RecursionError in json.loads before the depth bound


def one_line(message: str, *names: str) -> None:
    assert message and "\n" not in message and "\x1b" not in message, repr(message)
    assert all(name in message for name in names), (names, message)


def make_stale(path: Path) -> Path:
    """A temporary file of ours, left by a process killed more than a minute ago."""
    path.write_bytes(b"half a file")
    old = time.time() - STALE_PART_SECONDS - 60
    os.utime(path, (old, old))
    return path


# --- model cards (items 8 and 10) ------------------------------------------------------------------


def small_model(width: int = 8) -> nn.Sequential:
    return nn.Sequential([nn.Flatten(), nn.Dense(784, width), nn.ReLU(), nn.Dense(width, 10)], input_shape=(1, 28, 28))


def card_for(model: nn.Sequential, name: str) -> dict:
    return build_card(name, model, {"lr": 0.01}, [], None, 12.5, {}, f"digitpad train --out {name}.npz")


@pytest.fixture
def saved(tmp_path) -> Path:
    path = tmp_path / "m.npz"
    model = small_model()
    save_model_with_card(model, path, card_for(model, "m"))
    return path


def rewrite_card(model_path: Path, **fields) -> None:
    json_path = card_paths(model_path)[0]
    card = json.loads(json_path.read_text())
    json_path.write_text(json.dumps({**card, **fields}))


def test_a_saved_card_records_its_model_and_reads_back(saved):
    card, problem = read_card(saved)
    assert problem is None and card["name"] == "m" and card["wall_time_s"] == 12.5
    recorded = json.loads(card_paths(saved)[0].read_text())[MODEL_HASH_KEY]
    assert recorded == modelcard.file_sha256(saved)
    assert nn.load_model(saved).metadata["name"] == "m"
    assert read_card_markdown(saved).startswith("# Model card: m")


@pytest.mark.parametrize("value", ["abc", [1, 2], {"s": 1}, 10**400, -3, True, None])
def test_a_card_figure_of_the_wrong_type_is_treated_as_absent(saved, value):
    """`average` summed ``float(wall_time_s)``: "abc" or a list was a ValueError/TypeError traceback."""
    rewrite_card(saved, wall_time_s=value, epochs_run=value, test_accuracy=value, history=value,
                 test_per_class_accuracy=value, name=[value])
    card, problem = read_card(saved)
    assert problem is None
    for key in ("wall_time_s", "epochs_run", "test_accuracy", "history", "test_per_class_accuracy", "name"):
        assert key not in card, (key, card.get(key))
    assert card["command"] == "digitpad train --out m.npz"      # the good fields stay


def test_a_history_with_one_incomplete_epoch_is_dropped_whole(saved):
    epoch = {"epoch": 1, "train_loss": 0.5, "train_accuracy": 0.9, "val_loss": 0.4, "val_accuracy": 0.91,
             "lr": 0.01, "seconds": 3.0}
    rewrite_card(saved, history=[epoch, {**epoch, "epoch": 2}])
    assert read_card(saved).card["history"][1]["epoch"] == 2
    rewrite_card(saved, history=[epoch, {**epoch, "val_loss": "x"}])
    assert "history" not in read_card(saved).card


@pytest.mark.parametrize("kind, says", [
    ("nested", "nested 5001 levels deep, more than a model card has (32); refused"),
    ("huge", "larger than 1,048,576 bytes, too large for a model card; refused"),
    ("list", "not a model card (expected a JSON object, found list)"),
    ("not utf-8", "not a readable model card"),
    ("folder", "is a folder, not a model card"),
    ("fifo", "is not a regular file")])
def test_a_card_that_is_not_ours_is_ignored_in_one_line(saved, kind, says):
    json_path = card_paths(saved)[0]
    json_path.unlink()
    if kind == "nested":
        json_path.write_text('{"name": ' + NESTED + "}")
    elif kind == "huge":
        json_path.write_text('{"name": "' + "x" * modelcard.MAX_CARD_BYTES + '"}')
    elif kind == "list":
        json_path.write_text("[1, 2]")
    elif kind == "not utf-8":
        json_path.write_bytes(b'{"name": "\xff\xfe"}')
    elif kind == "folder":
        json_path.mkdir()
    else:
        os.mkfifo(json_path)   # never opened: reading it would block forever
    card, problem = read_card(saved)
    assert card is None
    one_line(problem, f"{json_path}: {says}")
    assert read_card_markdown(saved) is None


def test_a_card_left_by_an_earlier_save_is_reported_stale(saved):
    """A crash between the model's save and its card's left the old card beside the new model: its
    figures (accuracy, command) were shown as the new model's."""
    nn.save_model(small_model(16), saved)   # the new model is in place, the card is the earlier one
    card, problem = read_card(saved)
    assert card is None
    assert problem == f"{card_paths(saved)[0]}: the card does not match the model (written for an earlier file); ignored"
    assert read_card_markdown(saved) is None   # About shows no card rather than the wrong one


def test_a_card_from_before_the_hash_is_taken_as_it_is():
    shipped = Path(__file__).resolve().parents[1] / "models" / "cnn.npz"
    card, problem = read_card(shipped)
    assert problem is None and card["name"] == "cnn" and 0.9 < card["test_accuracy"] <= 1


@pytest.mark.parametrize("blocked", [".card.json", ".md"])
def test_a_card_that_cannot_be_written_stops_the_save_before_the_model(tmp_path, blocked):
    """`average` whose card could not be saved left the model without its card."""
    path = tmp_path / "avg.npz"
    path.with_suffix(blocked).mkdir()
    with pytest.raises(OutputFileError, match="is a folder") as raised:
        save_model_with_card(small_model(), path, card_for(small_model(), "avg"))
    one_line(str(raised.value), blocked)
    assert not path.exists()


def test_a_card_write_failing_after_the_model_says_so(saved, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(modelcard, "atomic_write_text", disk_full)
    with pytest.raises(OutputFileError) as raised:
        save_model_with_card(small_model(16), saved, card_for(small_model(16), "m"))
    one_line(str(raised.value), "m.npz was saved but its model card could not be written", "No space left")
    monkeypatch.undo()
    assert "does not match the model" in read_card(saved).problem   # and the old card is not believed


CARD_SAVER = """
    import sys
    from pathlib import Path
    from digitpad import nn
    from digitpad.training.modelcard import build_card, save_model_with_card
    path = Path(sys.argv[1])
    model = nn.Sequential([nn.Flatten(), nn.Dense(784, 512), nn.ReLU(), nn.Dense(512, 10)], input_shape=(1, 28, 28))
    i = 0
    while True:
        i += 1
        card = build_card(f"gen{i}", model, {}, [], None, float(i), {}, f"generation {i}")
        save_model_with_card(model, path, card)
        print(i, flush=True)
"""


def test_kill_9_between_a_model_and_its_card_is_detected(tmp_path):
    """kill -9 during `train --out X.npz`: 3 of 30 left the new model with the old card.  Now the card
    beside a model is either that model's or reported as stale."""
    path = tmp_path / "X.npz"
    rng = np.random.default_rng(1)
    outcomes = []
    for _ in range(8):
        with start_child(CARD_SAVER, str(path)) as proc:   # the pipes are closed on leaving
            try:
                proc.stdout.readline()   # one complete save at least
                time.sleep(float(rng.uniform(0, 0.3)))
                kill9(proc)
            finally:
                proc.kill()
        card, problem = read_card(path)
        if card is None:
            one_line(problem, "does not match the model")
            outcomes.append("stale")
        else:
            assert card["name"] == nn.load_model(path).metadata["name"]
            outcomes.append("consistent")
    assert len(outcomes) == 8


def test_stale_temporaries_go_when_the_models_folder_is_next_written(tmp_path):
    old_model = make_stale(tmp_path / f"X.npz{PART_MARKER}0123abcd")
    old_card = make_stale(tmp_path / f"X.card.json{PART_MARKER}4567cdef")
    fresh = tmp_path / f"Y.npz{PART_MARKER}89abcdef"   # another process may be writing it right now
    fresh.write_bytes(b"in progress")
    not_ours = make_stale(tmp_path / f"notes{PART_MARKER}draft.txt")
    save_model_with_card(small_model(), tmp_path / "Z.npz", card_for(small_model(), "Z"))
    assert not old_model.exists() and not old_card.exists()
    assert fresh.exists() and not_ours.exists()


# --- settings.json (item 4) ------------------------------------------------------------------------


@pytest.fixture
def config_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv("DIGITPAD_CONFIG_DIR", str(folder))
    return folder


BAD_SETTINGS = {
    "language a list": '{"language": ["fr"]}',
    "language an object": '{"language": {}}',
    "unknown language": '{"language": "tlh"}',
    "nested": NESTED,
    "a list": '["fr"]',
    "not json": '{"language": "fr"',
    "huge": '{"language": "fr", "x": "' + "x" * i18n.MAX_SETTINGS_BYTES + '"}',
}


@pytest.mark.parametrize("text", BAD_SETTINGS.values(), ids=BAD_SETTINGS.keys())
def test_settings_of_the_wrong_shape_are_ignored_and_said_once(qtbot, app_env, config_dir, text):
    """These crashed the app at every start (TypeError: unhashable list, RecursionError)."""
    (config_dir / "settings.json").write_text(text)
    assert i18n.chosen_language() is None and i18n.current_language() in i18n.LANGUAGES
    win = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(win)
    message = win.statusBar().currentMessage()
    one_line(message, f"Your settings were not used: {config_dir / 'settings.json'}: ")


def test_settings_json_as_a_folder_is_ignored_and_language_says_it_cannot_save(qtbot, app_env, config_dir,
                                                                               message_boxes):
    (config_dir / "settings.json").mkdir()
    win = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(win)
    one_line(win.statusBar().currentMessage(), "is a folder")
    english = next(a for a in win.language_group.actions() if a.text() == i18n.LANGUAGES[win.language])
    english.trigger()   # View → Language: was an uncaught exception in the menu handler
    assert [(kind, title) for kind, title, _ in message_boxes] == [("warning", "Cannot remember the language")]
    assert "settings.json: is a folder" in message_boxes[0][2]
    assert (config_dir / "settings.json").is_dir()


def test_an_unwritable_config_folder_is_a_message_box(qtbot, app_env, tmp_path, monkeypatch, message_boxes):
    blocker = tmp_path / "a-file"
    blocker.write_text("the config folder cannot be made under a file")
    monkeypatch.setenv("DIGITPAD_CONFIG_DIR", str(blocker / "digitpad"))
    win = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(win)
    assert win.set_language(win.language) is win
    assert message_boxes[0][0] == "warning" and "cannot save the settings (Not a directory)" in message_boxes[0][2]


def test_a_read_only_config_folder_is_a_message_box(qtbot, app_env, tmp_path, monkeypatch, message_boxes):
    """A read-only mount (chmod does not stop root, which runs this suite)."""
    import subprocess

    with tmpfs(tmp_path / "ro", "size=1m") as folder:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        monkeypatch.setenv("DIGITPAD_CONFIG_DIR", str(folder))
        win = MainWindow(app_env / "tiny.npz")
        qtbot.addWidget(win)
        win.set_language(win.language)
        assert message_boxes[0][0] == "warning" and "Read-only file system" in message_boxes[0][2]


def test_saving_a_language_replaces_an_ignored_settings_file(config_dir):
    (config_dir / "settings.json").write_text('{"language": ["fr"]}')
    i18n.save_language("fr")
    assert i18n.chosen_language() == "fr" and i18n.settings_problem() is None


# --- personal samples (item 5) ---------------------------------------------------------------------


def sample_doc(**changes) -> dict:
    """A valid sample document (as `PersonalDataset.add` writes it) with ``changes``."""
    image = base64.b64encode(digit_image().tobytes()).decode("ascii")
    return {"format": personal.SAMPLE_FORMAT, "version": personal.SAMPLE_VERSION, "label": 3, "created": "",
            "image": image, "drawing": None, **changes}


def hostile_samples(folder: Path) -> dict[str, str]:
    """Writes one bad sample of each kind into ``folder``; returns file name -> what the message says."""
    folder.mkdir(parents=True, exist_ok=True)
    drawing = json.loads(Drawing([[[1, 1], [5, 5]]], 2, 28).to_json())
    (folder / "a-nested.json").write_text('{"format": "digitpad-personal-sample", "drawing": '
                                          + "[" * 100_000 + "]" * 100_000 + "}")   # 200 kB
    with open(folder / "b-huge.json", "wb") as handle:   # 36 MB (sparse: the test's disk is spared)
        handle.write(b'{"label": 3, "image": "')
        handle.truncate(36 << 20)
    (folder / "c-folder.json").mkdir()
    os.mkfifo(folder / "d-fifo.json")
    (folder / "e-loop.json").symlink_to(folder / "e-loop.json")
    (folder / "f-big-canvas.json").write_text(json.dumps(sample_doc(drawing={**drawing, "size": 10**9})))
    (folder / "g-strokes.json").write_text(json.dumps(sample_doc(drawing={**drawing, "strokes": "x"})))
    (folder / "h-label.json").write_text(json.dumps(sample_doc(label=[3])))
    (folder / "i-\x1b[31mred\n.json").write_text("{")
    return {"a-nested.json": "nested 100001 levels deep", "b-huge.json": "too large for a personal sample",
            "c-folder.json": "is a folder", "d-fifo.json": "is not a regular file",
            "e-loop.json": "cannot read this personal sample", "f-big-canvas.json": "a canvas of 1000000000 pixels",
            "g-strokes.json": "'strokes' must be a list", "h-label.json": "bad label [3]",
            "i-\\x1b[31mred\\n.json": "not a readable personal sample"}


def test_bad_samples_are_named_and_skipped_and_the_others_stay(tmp_path):
    """A deeply nested sample raised RecursionError and made every other sample unreachable."""
    data = PersonalDataset(tmp_path / "personal")
    kept = [data.add(digit_image(), label).id for label in (1, 2)]
    expected = hostile_samples(data.folder)
    kept.append(data.add(digit_image(), 9).id)
    fresh = PersonalDataset(data.folder)    # as the next start of the app reads them
    for dataset in (data, fresh):
        samples, problems = dataset.load()
        assert [s.id for s in samples] == sorted(kept)
        assert len(problems) == len(expected)
        for problem, (name, says) in zip(problems, sorted(expected.items())):
            one_line(problem, name, says)


def test_a_36_mb_sample_is_refused_without_reading_it_whole(tmp_path):
    data = PersonalDataset(tmp_path)
    data.add(digit_image(), 4)
    with open(tmp_path / "huge.json", "wb") as handle:
        handle.truncate(36 << 20)
    limit = 2 * MAX_SAMPLE_BYTES + (1 << 20)   # what the bounded read may hold, never the 36 MB
    with peak_memory(limit):
        samples, problems = PersonalDataset(tmp_path).load()
    assert [s.label for s in samples] == [4] and "too large" in problems[0]


def test_teaching_reads_no_stored_sample_again(tmp_path, monkeypatch):
    """Every Teach click re-read the whole set (5 s and 1.3 GB with one 36 MB sample).  Now a load
    reads only the files that are new or changed since the last one."""
    data = PersonalDataset(tmp_path)
    for label in range(10):
        data.add(digit_image(), label)
    with open(tmp_path / "huge.json", "wb") as handle:
        handle.truncate(36 << 20)
    reads = []
    real = personal.read_json_object
    monkeypatch.setattr(personal, "read_json_object", lambda path, *a: reads.append(Path(path).name) or real(path, *a))
    fresh = PersonalDataset(tmp_path)
    assert len(fresh.load()[0]) == 10 and len(reads) == 11      # a new dataset reads each file once
    for label in range(5):                                       # five Teach clicks: add, then count
        fresh.add(digit_image(), label)
        assert len(fresh.load()[0]) == 11 + label
    assert len(reads) == 11
    other = PersonalDataset(tmp_path).add(digit_image(), 8)      # another app process adds one
    assert len(fresh.load()[0]) == 16 and reads[-1] == f"{other.id}.json" and len(reads) == 12


def test_teach_and_my_digits_with_bad_samples(qtbot, app_env, message_boxes):
    win = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(win)
    win.show()
    expected = hostile_samples(win.session.personal.folder)
    draw(win.canvas, one())
    win.session.predictor.predict_now()
    win.answers.correct_buttons[7].click()
    assert message_boxes == []
    assert "You have 1 digit;" in win.statusBar().currentMessage()
    window = win.open_personal()
    assert isinstance(window, PersonalWindow) and window.thumbnails.count() == 1
    text = window.summary.text()
    assert f"Skipped {len(expected)} files that cannot be used" in text and "i-\\x1b[31mred\\n.json" in text and "\x1b" not in text
    window.clear()
    assert message_boxes[-1][0] == "question" and window.thumbnails.count() == 0
    # a folder and a FIFO are not sample files: not ours to delete
    assert sorted(p.name for p in win.session.personal.folder.iterdir()) == ["c-folder.json", "d-fifo.json"]


def test_clear_removes_stale_temporaries(tmp_path):
    data = PersonalDataset(tmp_path)
    data.add(digit_image(), 1)
    stale = make_stale(tmp_path / f"20240101-000000-000000000-abcdef.json{PART_MARKER}0badf00d")
    assert data.clear() == 1 and not stale.exists() and list(tmp_path.iterdir()) == []


def test_adding_a_sample_removes_stale_temporaries(tmp_path):
    stale = make_stale(tmp_path / f"x.json{PART_MARKER}0badf00d")
    PersonalDataset(tmp_path).add(digit_image(), 1)
    assert not stale.exists()


def test_a_drawing_too_long_to_store_is_refused_before_writing(tmp_path):
    points = np.random.default_rng(0).uniform(0, 336, (150_000, 2))
    with pytest.raises(DigitpadError, match="too many points to store .150,000"):
        PersonalDataset(tmp_path).add(digit_image(), 1, Drawing([points], 20, 336))
    assert not any(tmp_path.iterdir())


def test_a_drawing_file_is_bounded_before_reading(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(36 << 20)
    with peak_memory(2 * MAX_DRAWING_BYTES), pytest.raises(ImageError, match="too large for a drawing"):
        Drawing.load(path)


# --- the desktop manifest (item 12) ----------------------------------------------------------------


@pytest.fixture
def installed(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    install_desktop.install(home)
    return home


def manifest_of(home: Path) -> Path:
    return home / install_desktop.MANIFEST


def test_uninstall_never_leaves_the_folders_install_wrote(installed, tmp_path):
    """A manifest listing `…/../../elsewhere` made uninstall delete a folder outside the data folder."""
    elsewhere, absolute = tmp_path / "elsewhere", tmp_path / "absolute"
    elsewhere.mkdir()
    absolute.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("keep")
    outside = tmp_path / "outside-icons"
    (outside / "hicolor" / "scalable").mkdir(parents=True)
    manifest = json.loads(manifest_of(installed).read_text())
    manifest["folders"] += [f"{installed}/applications/../../elsewhere", str(absolute), str(tmp_path),
                            f"{installed}/icons/hicolor/scalable"]
    manifest["files"] += [f"{installed}/applications/../../precious.txt", str(precious)]
    manifest_of(installed).write_text(json.dumps(manifest))
    # the icons folder replaced by a link to somewhere else: its folders are not the ones install made
    (installed / "icons" / "hicolor" / "scalable" / "apps" / "digitpad.svg").unlink()
    (installed / "icons" / "hicolor" / "scalable" / "apps").rmdir()
    (installed / "icons" / "hicolor" / "scalable").rmdir()
    (installed / "icons" / "hicolor" / "scalable").symlink_to(outside / "hicolor" / "scalable")
    install_desktop.uninstall(installed)
    assert elsewhere.is_dir() and absolute.is_dir() and precious.read_text() == "keep"
    assert (outside / "hicolor" / "scalable").is_dir()
    assert not (installed / "applications" / "digitpad.desktop").exists()


BAD_MANIFESTS = {
    "nested": '{"files": ' + NESTED + "}",
    "huge": '{"files": ["' + "x" * install_desktop.MAX_MANIFEST_BYTES + '"]}',
    "files a string": '{"files": "applications/digitpad.desktop", "folders": []}',
    "numbers": '{"files": [1, 2], "folders": []}',
    "a list": "[]",
}


@pytest.mark.parametrize("text", BAD_MANIFESTS.values(), ids=BAD_MANIFESTS.keys())
def test_a_manifest_that_is_not_ours_is_one_line_and_nothing_is_removed(installed, capsys, text):
    manifest_of(installed).write_text(text)
    before = sorted(installed.rglob("*"))
    assert main(["install-desktop", "--uninstall"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    one_line(err.strip(), str(manifest_of(installed)), "nothing was removed")
    assert sorted(installed.rglob("*")) == before


def test_names_with_control_characters_are_printed_escaped(tmp_path, monkeypatch, capsys):
    home = tmp_path / "da\x1b[2Jta\nhome"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    assert main(["install-desktop"]) == 0
    assert main(["install-desktop", "--uninstall"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "da\\x1b[2Jta\\nhome" in out
    assert all(line.startswith(("wrote ", "removed ", "digitpad is in")) for line in out.splitlines())
