"""The main window: canvas, the network's 28x28 input, live probabilities, model choice and menus.

It builds the panes and menus on a `Session` and wires them: the state is the session's, which every
pane and tool window follows; the window adds file dialogs, message boxes and the status bar."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QFrame, QMainWindow, QMessageBox, QScrollArea, QVBoxLayout,
                               QWidget)

from digitpad.app import i18n
from digitpad.app.model_labels import no_model_text, reader_name
from digitpad.app.readers import ReaderChoice
from digitpad.app.session import Session
from digitpad.app.tool_windows import ToolWindows
from digitpad.app.widgets.drawing_pad import DrawingPad
from digitpad.app.widgets.drawing_row import DrawingRow
from digitpad.app.widgets.input_view import NetworkInputPane
from digitpad.app.widgets.model_chooser import ModelChooser
from digitpad.app.widgets.probabilities import AnswersPane
from digitpad.app.widgets.stroke_view import StrokeInputPane
from digitpad.app.widgets.why_view import WhyPanel
from digitpad.app.widgets.width_view import WidthPlot
from digitpad.app.windows.confusion_window import ConfusionWindow
from digitpad.app.windows.finetune_dialog import FineTuneDialog
from digitpad.app.windows.help_dialogs import HelpDialog, about_html, model_card_markdown, reading_html, shortcuts_html
from digitpad.app.windows.insides_window import InsidesWindow
from digitpad.app.windows.personal_window import PersonalWindow, teaching_summary
from digitpad.app.windows.preferences_dialog import PreferencesDialog
from digitpad.app.windows.robustness_window import RobustnessWindow
from digitpad.app.windows.training_dialog import TrainingDialog
from digitpad.atomic import atomic_write_bytes
from digitpad.data.personal import PersonalDataset
from digitpad.drawing.pictures import load_image
from digitpad.drawing.trajectory import NOT_A_DIGIT
from digitpad.errors import DigitpadError, printable
from digitpad.reading.store import reads_of


class MainWindow(QMainWindow):
    """``MainWindow(model)``: a new session that reads with that model file (or reader choice, or spec
    such as ``"cnn+strokes"``), else the default reader (the shipped CNN and stroke model), else the first
    usable one; ``MainWindow(session=s)``: a window on an existing session (View → Language)."""

    def __init__(self, model_path: ReaderChoice | Path | str | None = None, personal: PersonalDataset | None = None,
                 session: Session | None = None):
        super().__init__()
        self.setWindowTitle("digitpad")
        self.setObjectName("MainWindow")
        self.language = i18n.ensure_language()   # the language this window's texts are in
        self.setLocale(i18n.number_locale())     # and its numbers
        self.session = session or Session(personal)
        self.tools = ToolWindows()
        self._build_widgets()
        self._build_menus()
        self.session.picture_changed.connect(self._picture_changed)
        self.session.taught.connect(self._taught)
        self.session.teaching_changed.connect(self._teaching_changed)
        if session is None:
            for problem in self.session.start(model_path):
                self.models.unusable(problem)
        else:
            self.session.predict_now()   # this window's panes show the current answer
        if problem := i18n.settings_problem():   # settings.json is ignored: say why (the app goes on without it)
            self.statusBar().showMessage(self.tr("Your settings were not used: {0}").format(problem), 15000)

    # --- layout ----------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        session = self.session
        self.models, self.pad = ModelChooser(session), DrawingPad(session)
        self.input_pane, self.answers = NetworkInputPane(session), AnswersPane(session)
        self.stroke_pane = StrokeInputPane(session, side=self.input_pane.input_view.width())
        self.answers.correct.connect(self.teach)
        self.canvas, self.panel = self.pad.canvas, self.answers.panel   # the panes' widgets used most
        self.model_combo, self.compare_box, self.compare_combo = (self.models.model_combo, self.models.compare_box,
                                                                  self.models.compare_combo)

        # the canvas, what each model is shown (the 28x28 input and the pen's path) and the answers, scaled
        # together with the window
        self.row = DrawingRow(self.pad, self.input_pane, self.stroke_pane, self.answers)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(8)
        layout.addWidget(self.models)
        layout.addWidget(self.row, 1)
        self.setCentralWidget(central)

        self.why_panel = WhyPanel(session)
        self.width_plot = WidthPlot(session)
        self.why_dock = self._dock(self.tr("Why this digit?"), "why", _scrolling(self.why_panel))
        self.width_dock = self._dock(self.tr("Your drawing at every pen width"), "widths", self.width_plot)
        # The bottom panels' sizes set once: from now on they follow the window, not what the panels show
        # (Qt follows their size hints, which change with each answer, until sizes are set), so their split
        # and height stay put from one drawing to the next.  The pen-width plot halfway between its smallest
        # and its preferred width, the maps in the rest of the window's (room for the reader's name while two
        # are compared, and for an unsure answer's three maps a model in a large window); the two keep that
        # ratio as the window is resized.
        plot = (self.width_plot.minimumSizeHint().width() + self.width_plot.sizeHint().width()) // 2
        why = max(self.why_dock.widget().minimumWidth(), self.sizeHint().width() - plot)
        self.resizeDocks([self.why_dock, self.width_dock], [why, plot], Qt.Orientation.Horizontal)
        self.resizeDocks([self.why_dock], [self.why_dock.minimumSizeHint().height()], Qt.Orientation.Vertical)
        self.statusBar()   # there from the start: a first message does not make the window taller

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        """A panel under the drawing that the View menu shows and hides (and that can be undocked)."""
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        return dock

    def _build_menus(self) -> None:
        def action(menu, text, slot, shortcuts=()):
            item = QAction(text, self)
            item.setShortcuts([QKeySequence(s) for s in shortcuts])
            item.triggered.connect(lambda _=False: slot())
            menu.addAction(item)
            return item

        canvas = self.canvas
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        action(file_menu, self.tr("&Open image…"), self.open_image_dialog, [QKeySequence.StandardKey.Open])
        action(file_menu, self.tr("&Save drawing as PNG…"), self.save_drawing_dialog, [QKeySequence.StandardKey.Save])
        file_menu.addSeparator()
        action(file_menu, self.tr("&Quit"), self.close, [QKeySequence.StandardKey.Quit])
        edit = self.menuBar().addMenu(self.tr("&Edit"))
        action(edit, self.tr("&Undo stroke"), canvas.undo, [QKeySequence.StandardKey.Undo])
        action(edit, self.tr("&Clear"), canvas.clear, [QKeySequence(Qt.Key.Key_Escape), QKeySequence(Qt.Key.Key_Delete)])
        edit.addSeparator()
        action(edit, self.tr("&Thinner pen"), lambda: self.pad.change_pen(-2), ["["])
        action(edit, self.tr("T&hicker pen"), lambda: self.pad.change_pen(+2), ["]"])
        edit.addSeparator()
        action(edit, self.tr("&Preferences…"), self.open_preferences, [QKeySequence.StandardKey.Preferences])
        view = self.menuBar().addMenu(self.tr("&View"))
        for dock, keys in ((self.why_dock, "Ctrl+Y"), (self.width_dock, "Ctrl+Shift+W")):
            toggle = dock.toggleViewAction()
            toggle.setShortcut(QKeySequence(keys))
            view.addAction(toggle)
        view.addSeparator()
        language_menu = view.addMenu(self.tr("&Language"))
        self.language_group = QActionGroup(self)
        for code, name in i18n.LANGUAGES.items():
            item = action(language_menu, name, lambda c=code: self.set_language(c))
            item.setCheckable(True)
            item.setChecked(code == self.language)
            item.setData(code)
            self.language_group.addAction(item)
        model = self.menuBar().addMenu(self.tr("&Model"))
        action(model, self.tr("&Open model file…"), self.open_model_dialog)
        action(model, self.tr("&Train new model…"), self.open_training)
        action(model, self.tr("&Fine-tune on my digits…"), self.open_fine_tune)
        action(model, self.tr("&My digits…"), self.open_personal)
        model.addSeparator()
        self.handwriting_action = QAction(self.tr("Read with my &handwriting"), self)
        self.handwriting_action.setCheckable(True)
        self.handwriting_action.setChecked(self.session.handwriting)
        self.handwriting_action.setToolTip(self.tr("Read your drawings with a reader taught every drawing in My "
                                                   "digits; off: the reader as it was trained"))
        self.handwriting_action.toggled.connect(self.set_handwriting)
        model.addAction(self.handwriting_action)
        model.setToolTipsVisible(True)
        tools = self.menuBar().addMenu(self.tr("&Tools"))
        action(tools, self.tr("&Inside the network…"), self.open_insides, ["Ctrl+I"])
        action(tools, self.tr("Stroke &robustness…"), self.open_robustness)
        action(tools, self.tr("Honest &answers…"), self.open_honesty)
        action(tools, self.tr("&Confusion matrix…"), self.open_confusion)
        action(tools, self.tr("Confusion on real &pen digits…"), lambda: self.open_confusion("pen"))
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        action(help_menu, self.tr("&Keyboard shortcuts"), self.show_shortcuts, [QKeySequence.StandardKey.HelpContents])
        action(help_menu, self.tr("&How to read this window"), self.show_reading_guide)
        action(help_menu, self.tr("&About digitpad"), self.show_about)

    # --- models ----------------------------------------------------------------------------------
    def select_model(self, model: ReaderChoice | Path | str) -> bool:
        """Read with the model file at ``path`` (or a reader choice, or a spec such as ``"cnn+strokes"``);
        on a bad file say why and keep the current reader."""
        return self.models.select(model)

    def open_model_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a digitpad model"), "", self.tr("digitpad models (*.npz *.onnx)"))
        if path:
            self.select_model(Path(path))

    def model_added(self, path: Path) -> None:
        """A training or fine-tuning run saved a model: list it at once.  A new stroke model beside the
        current image network: offer to read with the two."""
        self.session.refresh_models()
        self.statusBar().showMessage(self.tr("New model “{0}” is in the model list.").format(printable(path.stem)), 8000)
        image = self.session.image_path
        if reads_of(Path(path)) != "strokes" or image is None:
            return
        both = ReaderChoice.of(image, path)
        answer = QMessageBox.question(self, self.tr("Read with the new stroke model?"),
                                      self.tr("Read your drawings with {0} (the picture) and the new stroke model {1} "
                                              "(the path of the pen) together?").format(printable(image.stem),
                                                                                       printable(Path(path).stem)))
        if answer == QMessageBox.StandardButton.Yes:
            self.select_model(both)

    # --- files -----------------------------------------------------------------------------------
    def open_image_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a picture of a digit"), "",
                                              self.tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp)"))
        if path:
            self.open_image(Path(path))

    def open_image(self, path: Path) -> bool:
        """Classify a picture file; it replaces the drawing on screen until the next stroke."""
        try:
            opened = self.session.open_picture(load_image(path))
        except DigitpadError as exc:
            QMessageBox.warning(self, self.tr("Cannot open this picture"), str(exc))
            return False
        if not opened:
            QMessageBox.information(self, self.tr("No digit found"),
                                    self.tr("{0}: the picture looks blank (no ink found).").format(path.name))
            return False
        self.statusBar().showMessage(self.tr("Showing {0}; draw, undo or clear to return to your drawing.").format(printable(path.name)))
        return True

    def open_test_picture(self, pixels, name: str) -> bool:
        """Read an image chosen in the confusion window as an opened picture, "Why this digit?" shown."""
        if not self.session.open_picture(pixels):
            return False
        self.why_dock.show()
        self.statusBar().showMessage(self.tr("Showing {0}; draw, undo or clear to return to your drawing.").format(name))
        self.raise_()
        self.activateWindow()
        return True

    def _picture_changed(self) -> None:
        if self.session.picture is None:
            self.statusBar().clearMessage()

    def save_drawing_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the drawing"), "digit.png", self.tr("PNG image (*.png)"))
        if path:
            self.save_drawing(Path(path))

    def save_drawing(self, path: Path) -> bool:
        buffer = io.BytesIO()
        Image.fromarray(self.canvas.image()).save(buffer, format="PNG")
        try:
            atomic_write_bytes(path, buffer.getvalue())
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Cannot save the drawing"), f"{path}: {exc.strerror or exc}")
            return False
        self.statusBar().showMessage(self.tr("Saved {0}").format(printable(str(path))), 5000)
        return True

    # --- teach it --------------------------------------------------------------------------------
    def teach(self, label: int) -> bool:
        """Store the current input with the right ``label`` in the personal data set: a digit, or
        `NOT_A_DIGIT` (the "Not a digit" button: the drawing is kept as a negative)."""
        negative = label == NOT_A_DIGIT
        try:
            count = self.session.teach(label)
        except DigitpadError as exc:
            QMessageBox.warning(self, self.tr("Cannot store the drawing") if negative else self.tr("Cannot store the digit"),
                                str(exc))
            return False
        if count is None:
            self.statusBar().showMessage(self.tr("Draw a digit first, then click the digit it really is."), 5000)
            return False
        learning = self.session.handwriting and self.session.reader is not None
        if negative:
            text = (self.tr("Stored as “not a digit”. You have %n drawing(s) marked so (Model → My digits…); the "
                            "reader is learning your handwriting…", "", count) if learning else
                    self.tr("Stored as “not a digit”. You have %n drawing(s) marked so (Model → My digits…); "
                            "fine-tuning, which teaches digits, leaves them out.", "", count))
            self.statusBar().showMessage(text, 8000)
            return True
        text = (self.tr("Stored as a {0}. You have {1} digit(s); the reader is learning your handwriting…", "", count)
                if learning else self.tr("Stored as a {0}. You have {1} digit(s); Model → Fine-tune on my digits… "
                                         "teaches them to the model.", "", count))
        self.statusBar().showMessage(text.format(label, i18n.number(count)), 8000)
        return True

    def set_handwriting(self, on: bool) -> None:
        """Model → Read with my handwriting: read with the reader taught your drawings, or as it was trained
        (remembered; a setting that cannot be saved is said in a message box, and the choice still holds)."""
        if self.handwriting_action.isChecked() != on:
            self.handwriting_action.setChecked(on)   # toggled: comes back here
            return
        try:
            self.session.set_handwriting(on)
        except DigitpadError as exc:
            QMessageBox.warning(self, self.tr("Cannot remember this choice"),
                                self.tr("{0}\nThe choice holds until you quit.").format(exc))
        if not on:
            self.statusBar().showMessage(self.tr("Reading as the reader was trained, without your handwriting."), 8000)
        elif not self.session.teaching_busy and self.session.teaching is None:
            self.statusBar().showMessage(self.tr("No drawings of yours to learn from yet: when the reader is wrong, "
                                                 "click the right digit under “Correct it”."), 8000)

    def _taught(self, teaching) -> None:
        """A taught reader reads now: say what the teaching changed (not at start: nothing was asked)."""
        if teaching.why not in ("start", "mode"):   # said when the user taught, imported, changed reader
            self.statusBar().showMessage(teaching_summary(teaching.report), 15000)

    def _teaching_changed(self) -> None:
        self.handwriting_action.setChecked(self.session.handwriting)
        if problem := self.session.teaching_problem:
            self.statusBar().showMessage(self.tr("Could not teach the reader your handwriting: {0}").format(problem),
                                         15000)

    # --- tool windows ----------------------------------------------------------------------------
    def open_insides(self) -> InsidesWindow:
        """Every layer's output for the current drawing, following the pen and the model choice."""
        return self.tools.single("insides", lambda: InsidesWindow(self.session, self))

    def open_training(self) -> TrainingDialog:
        def make():
            dialog = TrainingDialog(self)
            dialog.model_saved.connect(self.model_added)
            return dialog

        return self.tools.single("training", make, keep=True)

    def open_fine_tune(self) -> FineTuneDialog | None:
        entry = self.session.current_entry()
        if entry is None:
            QMessageBox.information(self, self.tr("No model"), no_model_text())
            return None
        if self.session.model is None:
            QMessageBox.information(self, self.tr("No image network"),
                                    self.tr("Fine-tuning teaches your digits to an image network: choose a reader "
                                            "with one (Picture and pen, or Picture only)."))
            return None
        dialog = FineTuneDialog(entry, self.session.personal, self)
        dialog.model_saved.connect(self.model_added)
        return self.tools.show(dialog)

    def open_personal(self) -> PersonalWindow:
        return self.tools.show(PersonalWindow(self.session.personal, self, session=self.session))

    def open_robustness(self) -> RobustnessWindow:
        """The pen-width study of the app's reader and of the image networks (a stroke model alone is not
        studied: no pen width changes the path it reads), and the honest answers of the app's reader."""
        readable = [entry for entry in self.session.entries if entry.reads == "image"]
        path = self.session.image_path
        return self.tools.show(RobustnessWindow(readable, path and path.stem, self, combined=self.session.reader))

    def open_honesty(self) -> RobustnessWindow:
        """The robustness window on its Honest answers tab: how honest the app's reader is (its reliability
        diagram, sure and wrong, not a digit) on writers and drawings it was not trained on."""
        window = self.open_robustness()
        window.tabs.setCurrentIndex(RobustnessWindow.HONESTY)
        return window

    def open_confusion(self, dataset: str = "mnist") -> ConfusionWindow | None:
        """The confusion matrix of the current reader on MNIST's test set or (``"pen"``) on the real pen
        digits of the writers no model is trained on (read as drawings: strokes and all)."""
        choice = self.session.choice if self.session.reader is not None else None
        if choice is None:
            QMessageBox.information(self, self.tr("No model"), no_model_text())
            return None
        if self.session.model is None and dataset != "pen":
            QMessageBox.information(self, self.tr("A stroke model reads drawings"),
                                    self.tr("MNIST's test set is pictures, which a stroke model alone cannot read: "
                                            "use Tools → Confusion on real pen digits, or a reader with an image network."))
            return None
        window = ConfusionWindow(reader_name(choice), choice, parent=self, dataset=dataset)
        window.picture_chosen.connect(self.open_test_picture)
        if not window.start():   # the data is missing and the user cancelled
            window.deleteLater()
            return None
        return self.tools.show(window)

    def open_preferences(self) -> PreferencesDialog:
        """The data folder every window reads data from: shown, changed, or back to the default folders."""
        dialog = self.tools.single("preferences", lambda: PreferencesDialog(self))
        dialog.refresh()   # a folder chosen in another window's prompt since it opened
        return dialog

    # --- help and language -----------------------------------------------------------------------
    def show_shortcuts(self) -> HelpDialog:
        return self.tools.show(HelpDialog(self.tr("Keyboard shortcuts"), shortcuts_html(self), parent=self))

    def show_reading_guide(self) -> HelpDialog:
        return self.tools.show(HelpDialog(self.tr("How to read this window"), reading_html(), parent=self))

    def show_about(self) -> HelpDialog:
        card = model_card_markdown(self.session.model_path)
        return self.tools.show(HelpDialog(self.tr("About digitpad"), about_html(card), card, parent=self))

    def set_language(self, language: str) -> "MainWindow":
        """Switch the interface to ``language`` now and remember it (a setting that cannot be saved is said
        in a message box; the language still changes): a new window in that language on the same session
        and at the same place on screen (tool windows close)."""
        try:
            i18n.save_language(language)
        except DigitpadError as exc:
            QMessageBox.warning(self, self.tr("Cannot remember the language"),
                                self.tr("{0}\nThe language changes for this session only.").format(exc))
        if language == self.language:
            return self
        i18n.install_language(language)
        twin = MainWindow(session=self.session)
        twin.restoreState(self.saveState())
        twin.setGeometry(self.geometry())
        QCoreApplication.instance().setProperty("digitpad_window", twin)
        if self.isVisible():
            twin.show()
        self.close()
        self.deleteLater()
        return twin

    def closeEvent(self, event) -> None:
        """Stop every background job (training, evaluation…) before the window goes."""
        self.why_panel.shutdown()
        self.width_plot.shutdown()
        self.tools.close_all()
        super().closeEvent(event)


def _scrolling(panel: QWidget) -> QScrollArea:
    """``panel`` in a frameless scroll area at least as tall as the panel needs: squeezed by a small
    screen, the panel keeps its layout (its captions under its maps, never overlapped by them) and
    scrolls."""
    area = QScrollArea()
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(panel)
    area.setMinimumHeight(panel.minimumSizeHint().height())
    # and as wide as the panel's maps of a sure answer (more maps scroll): the bottom panels' split never
    # leaves it too narrow for them
    area.setMinimumWidth(panel.minimumSizeHint().width() + area.verticalScrollBar().sizeHint().width())
    return area
