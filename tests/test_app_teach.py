"""Teach it in the app (issue 27, item 2): clicking the right digit adapts the chosen reader at once, in the
background (`Session.reteach`: the reader taught the personal data set, `Reader.teach`), with no fine-tuning
run; the status bar and My digits say what changed, measured on drawings not taught; Model → Read with my
handwriting turns it off (the untaught reading back) and is remembered; My digits' import and clear teach
again; all of it in French too."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digitpad.app import i18n
from digitpad.app.session import HANDWRITING, Session
from digitpad.app.widgets.canvas import CANVAS_SIZE, DEFAULT_PEN_WIDTH
from digitpad.app.windows.main_window import MainWindow
from digitpad.data import pendigits
from digitpad.data.pen_sets import CANVAS_SIZE as PEN_CANVAS
from digitpad.drawing.strokes import Drawing
from digitpad.drawing.trajectory import NOT_A_DIGIT
from digitpad.reading.reader import Reader, input_of
from test_app_canvas import draw, one

SLANT = 0.6   # one writer's consistent forward slant (tests/test_teach.py): a hand the shipped reader misreads
TEACHING_S = 60_000   # a teaching takes seconds; the bound leaves room for a busy machine


@pytest.fixture(scope="module")
def slanted(pendigits_dir) -> tuple[list[Drawing], np.ndarray]:
    """Validation writer 4 of the pen digits, every digit slanted, drawn on the app's canvas."""
    drawings, labels = [], []
    for d in pendigits.load_pendigits(pendigits_dir):
        if d.writer != 4:
            continue
        middle = float(np.concatenate(d.strokes)[:, 1].mean())
        scale = CANVAS_SIZE / PEN_CANVAS
        drawings.append(Drawing([(np.stack([s[:, 0] - SLANT * (s[:, 1] - middle), s[:, 1]], 1) * scale).astype(np.float32)
                                 for s in d.strokes], DEFAULT_PEN_WIDTH, CANVAS_SIZE))
        labels.append(d.label)
    return drawings, np.array(labels)


@pytest.fixture(scope="module")
def lesson(slanted) -> tuple[np.ndarray, list[int]]:
    """Two drawings per digit to teach, and the writer's other drawings that the shipped reader misreads
    and the reader taught those twenty reads right (the library's `Reader.teach`, as the app teaches)."""
    drawings, labels = slanted
    rng = np.random.default_rng(0)
    taught = np.concatenate([rng.choice(np.flatnonzero(labels == d), 2, replace=False) for d in range(10)])
    rest = np.setdiff1d(np.arange(len(labels)), taught)
    reader = Reader.default()
    before = [a.digit for a in reader.read([drawings[i] for i in rest])]
    after = [a.digit for a in reader.teach([drawings[i] for i in taught], labels[taught]).read([drawings[i] for i in rest])]
    fixed = [int(i) for i, b, a in zip(rest, before, after) if b != labels[i] and a == labels[i]]
    assert len(fixed) >= 3, fixed
    return taught, fixed


@pytest.fixture
def shipped(qtbot, app_env):
    """The main window in English, reading with the default reader (the shipped CNN and stroke model)."""
    i18n.install_language("en")
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 720)
    yield win
    win.session.shutdown()
    i18n.install_language("en")


def settle(qtbot, session: Session) -> None:
    qtbot.waitUntil(lambda: not session.teaching_busy, timeout=TEACHING_S)


def answer(win: MainWindow, drawing: Drawing):
    """The chosen reader's answer for ``drawing``, put on the canvas."""
    win.canvas.set_drawing(drawing)
    return win.session.last.answers[0]


def click(win: MainWindow, drawing: Drawing, label: int) -> None:
    """Draw ``drawing`` and click its right label under "Correct it" (Teach it)."""
    win.canvas.set_drawing(drawing)
    button = win.answers.not_a_digit_button if label == NOT_A_DIGIT else win.answers.correct_buttons[label]
    button.click()


def teach_all(qtbot, win: MainWindow, drawings: list[Drawing], labels) -> None:
    """All but the last stored straight into My digits, the last taught through the window; settled."""
    for drawing, label in zip(drawings[:-1], labels[:-1]):
        win.session.personal.add(input_of(drawing), int(label), drawing)
    click(win, drawings[-1], int(labels[-1]))
    assert win.session.teaching_busy   # the click returns at once: the teaching runs in the background
    settle(qtbot, win.session)


def test_teach_it_changes_the_answer_on_a_similar_drawing_at_once(qtbot, shipped, slanted, lesson, app_env):
    drawings, labels = slanted
    taught, fixed = lesson
    session = shipped.session
    untaught = session.reader
    probe = drawings[fixed[0]]
    assert answer(shipped, probe).digit != labels[fixed[0]]
    models = sorted(p.name for p in app_env.iterdir())
    for i in taught:                     # twenty clicks, as a person corrects the reader
        click(shipped, drawings[i], int(labels[i]))
    settle(qtbot, session)
    assert answer(shipped, probe).digit == labels[fixed[0]]                     # read right now
    assert [answer(shipped, drawings[i]).digit for i in fixed] == [labels[i] for i in fixed]
    assert session.reader is not untaught and session.reader.taught == 20 and session.untaught is untaught
    assert sorted(p.name for p in app_env.iterdir()) == models                 # no model trained or saved
    assert session.teaching.why == "teach" and len(session.teaching.samples) == 20
    assert "your handwriting" in shipped.answers.panel.title.text()
    report = session.teaching.report
    assert shipped.statusBar().currentMessage() == (
        f"Taught 20 of your drawings: read right when each is left out of the teaching {report.right_before} → "
        f"{report.right_left_out} of 20; the reader now reads {len(report.changed)} of them differently.")


def test_the_report_is_measured_on_drawings_not_taught(qtbot, shipped, slanted, lesson, monkeypatch):
    """Every "after" reading of the report is a reader's that was not taught the drawing it reads: each
    reader taught in the worker is recorded with the drawings it was taught, and each reading with what it read."""
    drawings, labels = slanted
    taught, _ = lesson
    readers: list[tuple[Reader, frozenset]] = []   # every reader taught, and the drawings it was taught
    given: dict[int, list[int]] = {}               # a reader taught: the drawings it was given, in order
    reads: list[tuple[frozenset | None, list[int]]] = []
    teach, read, forgetting = Reader.teach, Reader.read, Reader.forgetting

    def recorded_teach(self, items, *args, **kwargs):
        reader = teach(self, items, *args, **kwargs)
        readers.append((reader, frozenset(map(id, items))))
        given[id(reader)] = list(map(id, items))
        return reader

    def recorded_forgetting(self, items):   # a fold's reader: the taught one, the fold forgotten
        reader = forgetting(self, items)
        order = given[id(self)]
        readers.append((reader, frozenset(order) - {order[i] for i in items}))
        return reader

    def recorded_read(self, items, *args, **kwargs):
        reads.append((next((ids for r, ids in readers if r is self), None), list(map(id, items))))
        return read(self, items, *args, **kwargs)

    monkeypatch.setattr(Reader, "teach", recorded_teach)
    monkeypatch.setattr(Reader, "read", recorded_read)
    monkeypatch.setattr(Reader, "forgetting", recorded_forgetting)
    teach_all(qtbot, shipped, [drawings[i] for i in taught], labels[taught])
    monkeypatch.undo()
    teaching = shipped.session.teaching
    report = teaching.report
    examples = {id(s.drawing) for s in teaching.samples}
    assert list(report.labels) == [s.label for s in teaching.samples] == list(labels[taught])
    folds = [(ids, read) for ids, read in reads if ids is not None and ids < examples and set(read) <= examples]
    assert len(folds) >= 2                                                      # cross-validated
    assert all(not ids & set(read) for ids, read in folds)                     # never read by a reader taught it
    assert set().union(*(read for _, read in folds)) == examples               # every drawing read so
    assert report.right_left_out == sum(d == label for d, label in zip(report.left_out, report.labels))
    assert report.before == [a.digit for a in Reader.default().read([s.drawing for s in teaching.samples])]
    assert report.changed == [i for i in range(len(examples)) if report.before[i] != report.now[i]]
    assert f"{report.right_before} → {report.right_left_out} of 20" in shipped.statusBar().currentMessage()


def test_read_with_my_handwriting_off_gives_back_the_untaught_reading(qtbot, shipped, slanted, lesson, app_env):
    drawings, labels = slanted
    taught, fixed = lesson
    probe = drawings[fixed[0]]
    untaught = Reader.default().read([probe])[0]
    teach_all(qtbot, shipped, [drawings[i] for i in taught], labels[taught])
    assert answer(shipped, probe).digit == labels[fixed[0]]
    shipped.handwriting_action.trigger()                                        # off
    session = shipped.session
    assert not session.handwriting and session.reader is session.untaught and session.reader.taught == 0
    off = answer(shipped, probe)
    assert off.digit == untaught.digit != labels[fixed[0]]
    np.testing.assert_allclose(off.probabilities, untaught.probabilities, atol=1e-6)
    assert "your handwriting" not in shipped.answers.panel.title.text()
    settings = json.loads((app_env.parent / "config" / "settings.json").read_text(encoding="utf-8"))
    assert settings[HANDWRITING] is False
    shipped.handwriting_action.trigger()                                        # on again: taught again
    assert session.handwriting and session.teaching_busy
    settle(qtbot, session)
    assert answer(shipped, probe).digit == labels[fixed[0]] and session.teaching.why == "option"


def test_the_choice_is_remembered(qtbot, app_env):
    first = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(first)
    assert first.session.handwriting and first.handwriting_action.isChecked()   # on by default
    first.set_handwriting(False)
    assert json.loads(i18n.settings_path().read_text(encoding="utf-8"))[HANDWRITING] is False
    second = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(second)
    assert not second.session.handwriting and not second.handwriting_action.isChecked()
    second.handwriting_action.trigger()
    assert json.loads(i18n.settings_path().read_text(encoding="utf-8"))[HANDWRITING] is True
    assert Session().handwriting
    # a value that is not true or false is ignored (said once), never fatal: the option is on
    i18n.settings_path().write_text(json.dumps({"language": "en", HANDWRITING: "no"}), encoding="utf-8")
    assert "is not true or false; ignored" in i18n.settings_problem() and Session().handwriting
    assert i18n.chosen_language() == "en"


def test_importing_and_clearing_in_my_digits_teach_again(qtbot, shipped, slanted, lesson, tmp_path, message_boxes):
    drawings, labels = slanted
    taught, fixed = lesson
    probe = drawings[fixed[0]]
    teach_all(qtbot, shipped, [drawings[i] for i in taught], labels[taught])
    session = shipped.session
    report = session.teaching.report
    window = shipped.open_personal()
    text = window.teaching_label.text()
    assert f"<b>{report.right_before} → {report.right_left_out}</b> of 20" in text and "left out" in text
    assert window.changed.count() == len(report.changed) and window.changed.isVisibleTo(window) == bool(report.changed)
    for row, i in enumerate(report.changed):
        assert window.changed.item(row).text() == f"{report.before[i]} → {report.now[i]}"
    exported = tmp_path / "mine.npz"
    assert session.personal.export_npz(exported) == 20
    window.clear()                                   # the confirmation is answered Yes
    assert session.teaching is None and session.reader is session.untaught and not session.teaching_busy
    assert answer(shipped, probe).digit != labels[fixed[0]]
    assert not window.teaching_label.isVisibleTo(window) and window.changed.count() == 0
    assert window.import_file(exported)
    assert session.teaching_busy and window.teaching_label.text() == "Teaching the reader your handwriting…"
    settle(qtbot, session)
    assert session.teaching.why == "personal" and session.reader.taught == 20
    assert answer(shipped, probe).digit == labels[fixed[0]]
    assert f"{session.teaching.report.right_before} → " in window.teaching_label.text()
    shipped.set_handwriting(False)
    assert window.teaching_label.text() == "Reading with your handwriting is off (Model → Read with my handwriting)."


def test_one_drawing_taught_and_not_a_digit(qtbot, window):
    """One drawing cannot be left out of its own teaching: the status bar says to teach more, and no
    before → after.  A drawing marked "not a digit" is taught too (a reader without a stroke model keeps it
    but has nothing to learn from it)."""
    draw(window.canvas, one())
    window.session.predict_now()
    window.answers.correct_buttons[1].click()
    settle(qtbot, window.session)
    assert window.session.reader.taught == 1
    assert window.statusBar().currentMessage() == ("Taught your drawing; teach a few more to see how the reader reads "
                                                   "the ones it was not taught.")
    window.canvas.clear()
    draw(window.canvas, [(40, 40), (300, 60), (60, 280), (290, 300)])
    window.answers.not_a_digit_button.click()
    assert "You have 1 drawing marked so" in window.statusBar().currentMessage()
    settle(qtbot, window.session)
    assert [s.label for s in window.session.teaching.samples] == [1, NOT_A_DIGIT]
    assert window.statusBar().currentMessage().startswith("Taught 2 of your drawings")


def test_teaching_is_said_in_french(qtbot, app_env, slanted, lesson):
    from test_app_french import english_leftover

    drawings, labels = slanted
    taught, _ = lesson
    i18n.install_language("fr")
    try:
        win = MainWindow()
        qtbot.addWidget(win)
        assert win.handwriting_action.text().replace("&", "") == "Lire avec mon écriture"
        teach_all(qtbot, win, [drawings[i] for i in taught], labels[taught])
        report = win.session.teaching.report
        message = win.statusBar().currentMessage()
        assert message.startswith("20 de vos dessins appris") and english_leftover(message) is None, message
        assert f"{report.right_before} → {report.right_left_out} sur 20" in message
        assert "votre écriture" in win.answers.panel.title.text()
        window = win.open_personal()
        assert english_leftover(window.teaching_label.text()) is None, window.teaching_label.text()
        assert f"{report.right_before} → {report.right_left_out}" in window.teaching_label.text()
        win.set_handwriting(False)
        assert english_leftover(win.statusBar().currentMessage()) is None
        assert english_leftover(window.teaching_label.text()) is None
        win.session.shutdown()
    finally:
        i18n.install_language("en")


def test_taught_at_start_and_again_for_another_reader(qtbot, app_env, slanted, lesson):
    """Drawings already in My digits teach the reader at start (said nowhere: nothing was asked); another
    reader chosen is taught them too, reading untaught meanwhile; the compared reader stays untaught."""
    drawings, labels = slanted
    taught, fixed = lesson
    from digitpad.data.personal import PersonalDataset

    personal = PersonalDataset()
    for i in taught:
        personal.add(input_of(drawings[i]), int(labels[i]), drawings[i])
    i18n.install_language("en")
    win = MainWindow()
    qtbot.addWidget(win)
    session = win.session
    assert session.teaching_busy and session.reader is session.untaught
    settle(qtbot, session)
    assert session.teaching.why == "start" and session.reader.taught == 20
    assert not win.statusBar().currentMessage().startswith("Taught")
    assert answer(win, drawings[fixed[0]]).digit == labels[fixed[0]]
    other = next(o.choice for o in session.options() if o.choice and not o.problem and o.choice != session.choice
                 and len(o.choice.paths) == 2)
    session.set_compare(session.choice)
    session.set_comparing(True)
    assert session.compared is session.untaught and session.compared.taught == 0   # compared: untaught
    session.select(other)
    assert session.reader is session.untaught and session.teaching_busy
    settle(qtbot, session)
    assert session.teaching.choice == other and session.teaching.why == "reader" and session.reader.taught == 20
    assert session.readers()[1].taught == 0
    session.shutdown()
