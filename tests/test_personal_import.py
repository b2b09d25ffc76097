"""Issue 26, item 16: My digits imports what it exports (negatives included, nothing twice), refuses a bad
file in one line naming it and adds nothing; fine-tuning warns of a set too small, and measures on
personal digits it did not train on (or says it could not)."""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import pytest

from digitpad.app.windows.personal_window import PersonalWindow
from digitpad.data.personal import MAX_EXPORT_SAMPLES, PersonalDataset, read_export
from digitpad.drawing.strokes import Drawing
from digitpad.drawing.trajectory import NOT_A_DIGIT
from digitpad.errors import FileFormatError
from digitpad.training.fine_tune import FineTuneReport, fine_tune, hold_out, small_set, thin_digits


def plural(text: str) -> str:
    """``text`` as shown before the English plural file holds a new text ("3 drawing(s)") or after ("3
    drawings", "1 drawing"): the tests hold either."""
    return re.sub(r"(\d+ \w+?)\(s\)", lambda m: m.group(1) + ("" if m.group(1).startswith("1 ") else "s"), text)


def digit_image(value=200, column=12):
    image = np.zeros((28, 28), np.uint8)
    image[4:24, column:column + 4] = value
    return image


def exported(tmp_path) -> tuple[PersonalDataset, object]:
    """A set with a digit drawn, a digit from a picture and a negative, and its export."""
    data = PersonalDataset(tmp_path / "mine")
    data.add(digit_image(), 1, Drawing([[[10, 10], [10, 50]]], 8, 64, label=1))
    data.add(digit_image(90, 6), 7)
    data.add(digit_image(255, 18), NOT_A_DIGIT, Drawing([[[5, 5], [50, 50]], [[50, 5], [5, 50]]], 6, 64))
    path = tmp_path / "mine.npz"
    assert data.export_npz(path) == 3
    return data, path


def test_import_adds_what_export_wrote_negatives_included_and_nothing_twice(tmp_path):
    source, path = exported(tmp_path)
    other = PersonalDataset(tmp_path / "other")
    other.add(digit_image(30, 2), 4)
    assert other.import_npz(path) == (3, 0)
    samples, problems = other.load()
    assert problems == [] and sorted(s.label for s in samples) == [1, 4, 7, NOT_A_DIGIT]
    by_label = {s.label: s for s in samples}
    originals = {s.label: s for s in source.load()[0]}
    for label in (1, 7, NOT_A_DIGIT):
        assert np.array_equal(by_label[label].image, originals[label].image)
    assert by_label[1].drawing.label == 1 and by_label[7].drawing is None
    assert by_label[NOT_A_DIGIT].drawing.label is None and len(by_label[NOT_A_DIGIT].drawing.strokes) == 2
    assert [s.label for s in other.negatives()] == [NOT_A_DIGIT] and sorted(other.arrays()[1]) == [1, 4, 7]
    assert other.import_npz(path) == (0, 3)                       # the same file again: nothing twice
    assert len(other.load()[0]) == 4


def _npz(path, **arrays) -> None:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    path.write_bytes(buffer.getvalue())


def _bad_files(tmp_path):
    good = {"images": np.stack([digit_image()] * 2), "labels": np.array([1, 10]), "drawings": np.array(["", ""]),
            "not_a_digit_label": np.int64(10)}
    yield "empty", b"", "empty"
    yield "text", b"hello, not a zip", "not an export of My digits"
    yield "pickle", {**good, "images": np.array([object()] * 2, dtype=object)}, "not what an export"
    yield "no labels", {"images": good["images"]}, "not an export of My digits"
    yield "extra array", {**good, "weights": np.zeros(3)}, "not an export of My digits"
    yield "wrong shape", {**good, "images": np.zeros((2, 20, 20), np.uint8)}, "array images"
    yield "float images", {**good, "images": good["images"].astype(np.float32)}, "array images"
    yield "label 11", {**good, "labels": np.array([1, 11])}, "holds label 11"
    yield "label 10 unmarked", {k: v for k, v in good.items() if k != "not_a_digit_label"}, "holds label 10"
    yield "other marker", {**good, "not_a_digit_label": np.int64(99)}, "says label 99"
    yield "labels too few", {**good, "labels": np.array([1])}, "array labels"
    yield "bad drawing", {**good, "drawings": np.array(['{"format": "x"}', ""])}, "sample 1"
    yield "drawing label", {**good, "labels": np.array([1, 2]),
                            "drawings": np.array([Drawing([[[1, 1], [9, 9]]], 4, 64, label=7).to_json(), ""])}, \
        "labelled 1 but its drawing says 7"
    yield "too many", {**good, "images": np.zeros((MAX_EXPORT_SAMPLES + 1, 28, 28), np.uint8),
                       "labels": np.zeros(MAX_EXPORT_SAMPLES + 1, np.int64),
                       "drawings": np.array([""] * (MAX_EXPORT_SAMPLES + 1))}, "more than an export"


def test_a_bad_file_is_one_line_naming_it_and_adds_nothing(tmp_path):
    data = PersonalDataset(tmp_path / "mine")
    data.add(digit_image(), 3)
    for name, content, reason in _bad_files(tmp_path):
        path = tmp_path / f"{name.replace(' ', '-')}.npz"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            _npz(path, **content) if name != "pickle" else np.savez(path, **content)
        with pytest.raises(FileFormatError) as caught:
            data.import_npz(path)
        message = str(caught.value)
        assert message.startswith(f"{path}: ") and "\n" not in message and reason in message, (name, message)
        assert [s.label for s in data.load()[0]] == [3], name
    with pytest.raises(FileFormatError, match="no such"):
        read_export(tmp_path / "missing.npz")
    with pytest.raises(FileFormatError, match="folder"):
        read_export(tmp_path)
    bomb = tmp_path / "bomb.npz"                                   # a small file declaring 600 MB of arrays
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("images.npy", b"\0" * (600 << 20))
        archive.writestr("labels.npy", b"")
    assert bomb.stat().st_size < (2 << 20)
    with pytest.raises(FileFormatError, match="unpacked"):
        data.import_npz(bomb)


def test_an_export_without_negatives_from_before_they_existed_imports(tmp_path):
    path = tmp_path / "old.npz"
    _npz(path, images=np.stack([digit_image(), digit_image(80)]), labels=np.array([2, 5]))
    data = PersonalDataset(tmp_path / "mine")
    assert data.import_npz(path) == (2, 0) and sorted(data.arrays()[1]) == [2, 5]


def test_the_window_imports_and_says_how_many(qtbot, tmp_path, message_boxes):
    _, path = exported(tmp_path)
    window = PersonalWindow(PersonalDataset(tmp_path / "other"))
    qtbot.addWidget(window)
    assert window.import_button.isEnabled() and window.thumbnails.count() == 0
    assert window.import_file(path)
    assert window.thumbnails.count() == 3
    assert plural(window.summary.text()).startswith(f"Imported 3 drawings from {path}.")
    assert window.import_file(path)
    again = plural(window.summary.text())
    assert again.startswith(f"Imported 0 drawings from {path}. 3 ") and "already here, not added twice." in again
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"nonsense")
    assert not window.import_file(bad)
    [(kind, title, text)] = message_boxes
    assert (kind, title) == ("warning", "Cannot import this file") and text.startswith(f"{bad}: ")
    assert window.thumbnails.count() == 3


def test_small_sets_and_the_digits_kept_aside():
    assert small_set(np.array([1])) and thin_digits(np.array([1])) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert small_set(np.array([5] * 12))                          # one digit only, however many
    enough = np.repeat(np.arange(10), 2)
    assert not small_set(enough) and thin_digits(enough) == []
    labels = np.array([1] * 10 + [7] * 3 + [4] * 2)
    mask = hold_out(labels)
    assert mask[labels == 1].sum() == 2 and mask[labels == 7].sum() == 1 and mask[labels == 4].sum() == 0
    assert np.array_equal(mask, hold_out(labels))                 # the same at every run
    assert not hold_out(np.array([1, 7, 7])).any()


def test_fine_tuning_measures_on_digits_it_did_not_train_on(app_env, tmp_path):
    data = PersonalDataset()
    for label in (1, 1, 1, 7, 7, 7):
        data.add(digit_image(200 - 10 * label, 12), label)
    report = fine_tune(app_env / "tiny.npz", app_env / "tiny-aside.npz", epochs=1, mnist_images=1000, dataset=data)
    assert report.held_out_count == 2 and report.personal_count == 4
    assert 0 <= report.held_out_before <= 1 and 0 <= report.held_out_after <= 1
    assert "kept aside (not trained on)" in report.summary()
    few = FineTuneReport("completed", "", None, 0.9, 0.9, 0.5, 1.0, 2)
    assert "too few to keep some aside" in few.summary()


def test_the_fine_tune_dialog_warns_of_a_small_set_and_says_where_it_measured(qtbot, window):
    data = window.session.personal
    data.add(digit_image(), 5)
    dialog = window.open_fine_tune()
    assert dialog.warning.isVisibleTo(dialog)
    assert "Only 1 digit to learn from." in plural(dialog.warning.text()) and "0, 1, 2, 3, 4, 5, 6, 7, 8, 9" in dialog.warning.text()
    dialog._on_done(FineTuneReport("completed", "", None, 0.9, 0.91, 0.0, 1.0, 1))
    assert "your 1 digit, the" in plural(dialog.result.text()) and "trained on (too few to keep some aside)" in dialog.result.text()
    dialog._on_done(FineTuneReport("completed", "", None, 0.9, 0.91, 0.5, 1.0, 8, 2, 0.5, 1.0))
    assert "your 2 digits kept aside, not trained on: 50.00% → 100.00%" in plural(dialog.result.text())
    dialog.close()
    for digit in range(10):
        for _ in range(2):
            data.add(digit_image(100 + digit), digit)
    dialog = window.open_fine_tune()
    assert not dialog.warning.isVisibleTo(dialog) and dialog.warning.text() == ""
