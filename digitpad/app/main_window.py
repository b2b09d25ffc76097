"""The main window: canvas, the network's 28x28 input, live probabilities, model choice and menus."""

from __future__ import annotations

import io
import statistics
from pathlib import Path

import numpy as np

from PIL import Image
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDockWidget, QFileDialog, QFrame, QGridLayout, QHBoxLayout,
                               QLabel, QMainWindow, QMessageBox, QPushButton, QSlider, QVBoxLayout, QWidget)

from digitpad import nn
from digitpad.app import i18n
from digitpad.app.canvas import MAX_PEN_WIDTH, MIN_PEN_WIDTH, DrawingCanvas
from digitpad.app.help_dialogs import HelpDialog, about_html, model_card_markdown, reading_html, shortcuts_html
from digitpad.app.input_view import InputView
from digitpad.app.insides_window import InsidesWindow
from digitpad.app.model_labels import model_label
from digitpad.app.prediction import LivePredictor, Prediction
from digitpad.app.probabilities import PredictionPanel
from digitpad.app.why_view import WhyPanel
from digitpad.app.width_view import WidthPlot
from digitpad.atomic import atomic_write_bytes
from digitpad.data.personal import PersonalDataset
from digitpad.drawing.network_input import DEFAULT_MODE, drawing_to_input
from digitpad.drawing.preprocess import load_image, to_mnist
from digitpad.drawing.strokes import Drawing
from digitpad.errors import DigitpadError, printable
from digitpad.training.model_store import ModelEntry, default_model_path, list_models, open_model

MUTED = "#6b7280"


def no_model_text() -> str:
    return QCoreApplication.translate("MainWindow", "No model yet: use Model → Train new model…")


def _section(text: str) -> QLabel:
    label = QLabel(text.upper())
    label.setStyleSheet(f"color: {MUTED}; font-size: 8pt; font-weight: 700; letter-spacing: 1px;")
    return label


class MainWindow(QMainWindow):
    """``MainWindow(model_path)``: starts with that model, else the default CNN, else the first model found."""

    def __init__(self, model_path: Path | None = None, personal: PersonalDataset | None = None):
        super().__init__()
        self.setWindowTitle("digitpad")
        self.setObjectName("MainWindow")
        self.language = i18n.active_language()   # the language this window's texts are in
        self.personal = personal or PersonalDataset()
        self.loaded: dict[Path, nn.Sequential] = {}
        self.entries: list[ModelEntry] = []
        self.model_path: Path | None = None
        self.compare_path: Path | None = None
        self.picture = None                   # an opened picture shown instead of the drawing
        self.last: Prediction | None = None
        self.tool_windows: list[QWidget] = []
        self.canvas = DrawingCanvas()
        self.input_mode = DEFAULT_MODE         # what the network sees of a drawing (drawing_to_input)
        self.predictor = LivePredictor(self.network_input, self)
        self.predictor.updated.connect(self._show_prediction)
        self._build_widgets()
        self._build_menus()
        self.canvas.changed.connect(self.predictor.request)
        self.canvas.picture_dismissed.connect(self._picture_dismissed)
        self.canvas.pen_width_changed.connect(self._pen_width_shown)
        self.refresh_models()
        self._start_model(model_path)
        self._report_settings_problem()

    # --- layout ----------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.model_combo = QComboBox()
        self.model_combo.setMinimumContentsLength(28)
        self.model_combo.activated.connect(lambda _: self._model_chosen())
        self.compare_box = QCheckBox(self.tr("Compare with"))
        self.compare_box.toggled.connect(self._compare_toggled)
        self.compare_combo = QComboBox()
        self.compare_combo.setMinimumContentsLength(28)
        self.compare_combo.setEnabled(False)
        self.compare_combo.activated.connect(lambda _: self._compare_chosen())
        models_row = QHBoxLayout()
        models_row.addWidget(QLabel(self.tr("Model")))
        models_row.addWidget(self.model_combo)
        models_row.addSpacing(16)
        models_row.addWidget(self.compare_box)
        models_row.addWidget(self.compare_combo)
        models_row.addStretch(1)

        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame_layout = QVBoxLayout(frame)
        frame_layout.setContentsMargins(1, 1, 1, 1)
        frame_layout.addWidget(self.canvas)
        self.pen_slider = QSlider(Qt.Orientation.Horizontal)
        self.pen_slider.setRange(MIN_PEN_WIDTH, MAX_PEN_WIDTH)
        self.pen_slider.setValue(int(self.canvas.pen_width))
        self.pen_slider.setToolTip(self.tr("Pen width ([ thinner, ] thicker)"))
        self.pen_slider.valueChanged.connect(self.canvas.set_pen_width)
        self.pen_label = QLabel()
        self.pen_label.setMinimumWidth(48)
        undo = QPushButton(self.tr("Undo"))
        undo.setToolTip(self.tr("Remove the last stroke (Ctrl+Z)"))
        undo.clicked.connect(self.canvas.undo)
        clear = QPushButton(self.tr("Clear"))
        clear.setToolTip(self.tr("Start again (Esc or Delete)"))
        clear.clicked.connect(self.canvas.clear)
        pen_row = QHBoxLayout()
        pen_row.addWidget(QLabel(self.tr("Pen")))
        pen_row.addWidget(self.pen_slider, 1)
        pen_row.addWidget(self.pen_label)
        pen_row.addWidget(undo)
        pen_row.addWidget(clear)
        left = QVBoxLayout()
        left.addWidget(_section(self.tr("Draw")))
        left.addWidget(frame)
        left.addLayout(pen_row)
        left.addStretch(1)

        self.input_view = InputView(cell=6)
        self.latency_label = QLabel(self.tr("canvas → probabilities:") + "\n–")
        self.latency_label.setStyleSheet(f"color: {MUTED};")
        self.latency_label.setFixedWidth(self.input_view.width())
        self.latency_label.setWordWrap(True)
        self.latency_label.setToolTip(self.tr("Time from canvas to probabilities: drawing_to_input (to_mnist for a picture) + predict_proba"))
        self.input_mode_combo = QComboBox()
        self.input_mode_combo.addItem(self.tr("Strokes redrawn"), "strokes")
        self.input_mode_combo.addItem(self.tr("Your pen as drawn"), "image")
        self.input_mode_combo.setToolTip(self.tr(
            "What the network sees of a drawing: its strokes redrawn as thick as MNIST's digits, whatever the pen "
            "(a fat pen no longer fills loops), or the pixels of your pen, thin strokes thickened"))
        self.input_mode_combo.setFixedWidth(self.input_view.width())
        self.input_mode_combo.activated.connect(lambda _: self.set_input_mode(self.input_mode_combo.currentData()))
        middle = QVBoxLayout()
        middle.addWidget(_section(self.tr("Network input")))
        middle.addWidget(self.input_view)
        middle.addWidget(self.input_mode_combo)
        middle.addWidget(self.latency_label)
        middle.addStretch(1)

        self.panel = PredictionPanel()
        self.compare_panel = PredictionPanel()
        self.compare_panel.hide()
        panels = QHBoxLayout()
        panels.setSpacing(24)
        panels.addWidget(self.panel, 1)
        panels.addWidget(self.compare_panel, 1)
        right = QVBoxLayout()
        right.addWidget(_section(self.tr("Prediction")))
        right.addLayout(panels)

        self.correct_buttons = []
        correct_row = QHBoxLayout()
        correct_row.addWidget(QLabel(self.tr("Wrong? Correct it:")))
        for digit in range(10):
            button = QPushButton(str(digit))
            button.setFixedWidth(36)
            button.setToolTip(self.tr("This is a {0}: store the drawing in my digits").format(digit))
            button.clicked.connect(lambda _=False, d=digit: self.teach(d))
            self.correct_buttons.append(button)
            correct_row.addWidget(button)
        correct_row.addStretch(1)
        right.addLayout(correct_row)
        right.addStretch(1)

        body = QGridLayout()
        body.setHorizontalSpacing(24)
        body.addLayout(left, 0, 0)
        body.addLayout(middle, 0, 1)
        body.addLayout(right, 0, 2)
        body.setColumnStretch(2, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(12)
        layout.addLayout(models_row)
        layout.addLayout(body, 1)
        self.setCentralWidget(central)
        self._pen_width_shown(self.canvas.pen_width)

        self.why_panel = WhyPanel()
        self.width_plot = WidthPlot()
        self.why_dock = self._dock(self.tr("Why this digit?"), "why", self.why_panel)
        self.width_dock = self._dock(self.tr("Your drawing at every pen width"), "widths", self.width_plot)

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        """A panel under the drawing that the View menu shows and hides (and that can be undocked)."""
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.visibilityChanged.connect(lambda _: self._explain(self.last))
        return dock

    def _build_menus(self) -> None:
        def action(menu, text, slot, shortcuts=()):
            item = QAction(text, self)
            item.setShortcuts([QKeySequence(s) for s in shortcuts])
            item.triggered.connect(lambda _=False: slot())
            menu.addAction(item)
            return item

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        action(file_menu, self.tr("&Open image…"), self.open_image_dialog, [QKeySequence.StandardKey.Open])
        action(file_menu, self.tr("&Save drawing as PNG…"), self.save_drawing_dialog, [QKeySequence.StandardKey.Save])
        file_menu.addSeparator()
        action(file_menu, self.tr("&Quit"), self.close, [QKeySequence.StandardKey.Quit])
        edit = self.menuBar().addMenu(self.tr("&Edit"))
        action(edit, self.tr("&Undo stroke"), self.canvas.undo, [QKeySequence.StandardKey.Undo])
        action(edit, self.tr("&Clear"), self.canvas.clear, [QKeySequence(Qt.Key.Key_Escape), QKeySequence(Qt.Key.Key_Delete)])
        edit.addSeparator()
        action(edit, self.tr("&Thinner pen"), lambda: self.change_pen(-2), ["["])
        action(edit, self.tr("T&hicker pen"), lambda: self.change_pen(+2), ["]"])
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
        tools = self.menuBar().addMenu(self.tr("&Tools"))
        action(tools, self.tr("&Inside the network…"), self.open_insides, ["Ctrl+I"])
        action(tools, self.tr("Stroke &robustness…"), self.open_robustness)
        action(tools, self.tr("&Confusion matrix…"), self.open_confusion)
        action(tools, self.tr("Confusion on real &pen digits…"), lambda: self.open_confusion("pen"))
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        action(help_menu, self.tr("&Keyboard shortcuts"), self.show_shortcuts, [QKeySequence.StandardKey.HelpContents])
        action(help_menu, self.tr("&How to read this window"), self.show_reading_guide)
        action(help_menu, self.tr("&About digitpad"), self.show_about)

    # --- models ----------------------------------------------------------------------------------
    def refresh_models(self) -> None:
        """Re-read the shipped and user models into both selectors, keeping the current choices.  A model
        file that cannot be read is listed greyed out, with the reason as its tooltip."""
        self.entries = list_models()
        known = {entry.path for entry in self.entries}
        extra = [p for p in (self.model_path, self.compare_path) if p is not None and p not in known]
        for combo, current in ((self.model_combo, self.model_path), (self.compare_combo, self.compare_path)):
            combo.blockSignals(True)
            combo.clear()
            for entry in self.entries:
                combo.addItem(model_label(entry), str(entry.path))
                if entry.problem:
                    combo.model().item(combo.count() - 1).setEnabled(False)
                    combo.setItemData(combo.count() - 1, self.tr("This model cannot be used: {0}").format(entry.problem),
                                      Qt.ItemDataRole.ToolTipRole)
            for path in extra:
                combo.addItem(self.tr("{0} (file)").format(path.stem), str(path))
            if current is not None:
                combo.setCurrentIndex(combo.findData(str(current)))
            combo.blockSignals(False)

    def _start_model(self, model_path: Path | None) -> None:
        candidates = [model_path] if model_path else [default_model_path()]
        candidates += [entry.path for entry in self.entries if not entry.problem]
        for path in candidates:
            if path is not None and self.select_model(Path(path), quiet=model_path is None):
                break
        else:
            self._apply_models()  # no usable model: say so, and still show the network input
        other = next((e.path for e in self.entries if e.path != self.model_path and not e.problem), None)
        if other is not None:
            self.compare_path = other
            self.compare_combo.setCurrentIndex(self.compare_combo.findData(str(other)))

    def _load(self, path: Path) -> nn.Sequential:
        if path not in self.loaded:
            self.loaded[path] = open_model(path)
        return self.loaded[path]

    def select_model(self, path: Path, quiet: bool = False) -> bool:
        """Predict with the model at ``path``; on a bad file say why and keep the current model."""
        try:
            self._load(Path(path))
        except DigitpadError as exc:
            if not quiet:
                QMessageBox.critical(self, self.tr("Cannot use this model"), self.tr("This model cannot be used: {0}").format(exc))
            self.refresh_models()
            return False
        self.model_path = Path(path)
        self.refresh_models()
        self._apply_models()
        return True

    def _model_chosen(self) -> None:
        data = self.model_combo.currentData()
        if data and Path(data) != self.model_path:
            self.select_model(Path(data))

    def _compare_chosen(self) -> None:
        data = self.compare_combo.currentData()
        if not data:
            return
        try:
            self._load(Path(data))
        except DigitpadError as exc:
            QMessageBox.critical(self, self.tr("Cannot use this model"), self.tr("This model cannot be used: {0}").format(exc))
            self.refresh_models()
            return
        self.compare_path = Path(data)
        self._apply_models()

    def _compare_toggled(self, on: bool) -> None:
        self.compare_combo.setEnabled(on)
        self.compare_panel.setVisible(on)
        if on:
            self._compare_chosen()   # loads the chosen model (and applies both)
        else:
            self._apply_models()

    def _apply_models(self) -> None:
        models = [self.loaded.get(self.model_path)]
        if self.compare_box.isChecked() and self.compare_path is not None:
            models.append(self.loaded.get(self.compare_path))
        self._update_titles()
        insides = self._tool(InsidesWindow)
        if insides is not None and insides.model is not models[0]:
            insides.set_model(models[0], self._describe(self.model_path) if self.model_path else "")
        self.predictor.set_models(models)

    def _update_titles(self) -> None:
        self.panel.set_title(self._describe(self.model_path) if self.model_path else no_model_text())
        self.compare_panel.set_title(self._describe(self.compare_path) if self.compare_path else "")

    def _describe(self, path: Path) -> str:
        entry = next((e for e in self.entries if e.path == path), None)
        return model_label(entry) if entry else self.tr("{0} (file)").format(path.name)

    def current_entry(self) -> ModelEntry | None:
        if self.model_path is None:
            return None
        entry = next((e for e in self.entries if e.path == self.model_path), None)
        return entry or ModelEntry(self.model_path.stem, self.model_path, "file", {})

    def open_model_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a digitpad model"), "", self.tr("digitpad models (*.npz *.onnx)"))
        if path:
            self.select_model(Path(path))

    def model_added(self, path: Path) -> None:
        """A training or fine-tuning run saved a model: list it at once."""
        self.refresh_models()
        self.statusBar().showMessage(self.tr("New model “{0}” is in the model list.").format(printable(path.stem)), 8000)

    # --- drawing and prediction ------------------------------------------------------------------
    def network_input(self) -> np.ndarray | None:
        """What the network is shown: an opened picture through `to_mnist`, else the drawing through
        `drawing_to_input` in the chosen mode (None for an empty canvas)."""
        if self.picture is not None:
            return to_mnist(self.picture, background="auto")
        drawing = self.canvas.drawing
        return drawing_to_input(drawing.strokes, drawing.pen_width, drawing.size, self.input_mode)

    def set_input_mode(self, mode: str) -> None:
        """``"strokes"`` (the strokes at MNIST's thickness, whatever the pen) or ``"image"`` (the pen as drawn)."""
        self.input_mode = mode
        self.input_mode_combo.setCurrentIndex(self.input_mode_combo.findData(mode))
        self.predictor.predict_now()

    def _show_prediction(self, prediction: Prediction) -> None:
        self.last = prediction
        self.input_view.set_digit(prediction.digit)
        probabilities = prediction.probabilities + [None] * (2 - len(prediction.probabilities))
        self.panel.show_probabilities(probabilities[0])
        self.compare_panel.show_probabilities(probabilities[1])
        self._explain(prediction)
        if self.predictor.latencies:
            median = statistics.median(self.predictor.latencies) * 1000
            self.latency_label.setText(self.tr("canvas → probabilities: {0:.1f} ms\nmedian {1:.1f} ms").format(
                prediction.seconds * 1000, median))

    def _explain(self, prediction: Prediction | None) -> None:
        """Bring the visible explanation views up to date with the latest prediction of the main model."""
        if prediction is None:
            return
        model = self.loaded.get(self.model_path)
        if self.why_dock.isVisible():
            self.why_panel.explain(model, self.model_path, prediction.digit,
                                   prediction.probabilities[0] if prediction.probabilities else None)
        if self.width_dock.isVisible():
            drawing = self.canvas.drawing
            strokes = [] if self.picture is not None else drawing.strokes
            self.width_plot.update_drawing(strokes, drawing.size, self.model_path if model is not None else None,
                                           self.input_mode)
        insides = self._tool(InsidesWindow)
        if insides is not None:
            insides.show_input(prediction.digit)

    def change_pen(self, step: int) -> None:
        self.canvas.set_pen_width(self.canvas.pen_width + step)

    def _pen_width_shown(self, width: float) -> None:
        self.pen_label.setText(self.tr("{0:g} px").format(width))
        self.pen_slider.blockSignals(True)
        self.pen_slider.setValue(int(round(width)))
        self.pen_slider.blockSignals(False)

    def _picture_dismissed(self) -> None:
        self.picture = None
        self.statusBar().clearMessage()
        self.predictor.predict_now()

    # --- files -----------------------------------------------------------------------------------
    def open_image_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a picture of a digit"), "",
                                              self.tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp)"))
        if path:
            self.open_image(Path(path))

    def open_image(self, path: Path) -> bool:
        """Classify a picture file; it replaces the drawing on screen until the next stroke."""
        try:
            picture = load_image(path)
            found = to_mnist(picture) is not None
        except DigitpadError as exc:
            QMessageBox.warning(self, self.tr("Cannot open this picture"), str(exc))
            return False
        if not found:
            QMessageBox.information(self, self.tr("No digit found"),
                                    self.tr("{0}: the picture looks blank (no ink found).").format(path.name))
            return False
        self.picture = picture
        self.canvas.show_picture(picture)
        self.statusBar().showMessage(self.tr("Showing {0}; draw, undo or clear to return to your drawing.").format(printable(path.name)))
        self.predictor.predict_now()
        return True

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
        """Store the current input with the right ``label`` in the personal data set."""
        if self.last is None or self.last.digit is None:
            self.statusBar().showMessage(self.tr("Draw a digit first, then click the digit it really is."), 5000)
            return False
        drawing = None
        if self.picture is None:
            d = self.canvas.drawing
            drawing = Drawing([s.copy() for s in d.strokes], d.pen_width, d.size, label=label)
        try:
            self.personal.add(self.last.digit, label, drawing)
        except DigitpadError as exc:
            QMessageBox.warning(self, self.tr("Cannot store the digit"), str(exc))
            return False
        count = len(self.personal.load()[0])   # reads only files added by another process
        self.statusBar().showMessage(self.tr("Stored as a {0}. You have {1} digits; Model → Fine-tune on my "
                                             "digits… teaches them to the model.").format(label, count), 8000)
        return True

    # --- tool windows ----------------------------------------------------------------------------
    def _open_tool(self, window: QWidget, keep: bool = False) -> QWidget:
        """Show a tool window.  Unless ``keep`` (one window reused, like the training dialog), it is
        deleted when closed: each opening makes a new one, and a long session must not pile them up."""
        if window not in self.tool_windows:
            self.tool_windows.append(window)
            if not keep:
                window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                window.destroyed.connect(lambda _=None, w=window: self._forget_tool(w))
        window.show()
        window.raise_()
        return window

    def _forget_tool(self, window: QWidget) -> None:
        self.tool_windows = [w for w in self.tool_windows if w is not window]

    def _tool(self, kind: type) -> QWidget | None:
        """The open tool window of this class, if any."""
        return next((w for w in self.tool_windows if isinstance(w, kind)), None)

    def open_insides(self):
        """Every layer's output for the current drawing, following the pen and the model choice."""
        existing = self._tool(InsidesWindow)
        if existing is not None:
            return self._open_tool(existing)
        window = InsidesWindow(self.loaded.get(self.model_path), self._describe(self.model_path) if self.model_path else "",
                               self)
        self._open_tool(window)
        window.show_input(self.last.digit if self.last else None)
        return window

    # --- help and language -----------------------------------------------------------------------
    def show_shortcuts(self) -> HelpDialog:
        return self._open_tool(HelpDialog(self.tr("Keyboard shortcuts"), shortcuts_html(self), parent=self))

    def show_reading_guide(self) -> HelpDialog:
        return self._open_tool(HelpDialog(self.tr("How to read this window"), reading_html(), parent=self))

    def show_about(self) -> HelpDialog:
        card = model_card_markdown(self.model_path)
        return self._open_tool(HelpDialog(self.tr("About digitpad"), about_html(card), card, parent=self))

    def _report_settings_problem(self) -> None:
        """Say in the status bar why ``settings.json`` is ignored, if it is (the app goes on without it)."""
        problem = i18n.settings_problem()
        if problem:
            self.statusBar().showMessage(self.tr("Your settings were not used: {0}").format(problem), 15000)

    def set_language(self, language: str) -> "MainWindow":
        """Switch the interface to ``language`` now and remember it: the window is rebuilt in that
        language with the same drawing, pen, models and place on screen (tool windows close).  A
        setting that cannot be saved is said in a message box; the language still changes."""
        try:
            i18n.save_language(language)
        except DigitpadError as exc:
            QMessageBox.warning(self, self.tr("Cannot remember the language"),
                                self.tr("{0}\nThe language changes for this session only.").format(exc))
        if language == self.language:
            return self
        i18n.install_language(language)
        twin = MainWindow(self.model_path, self.personal)
        d = self.canvas.drawing
        twin.canvas.set_drawing(Drawing([s.copy() for s in d.strokes], d.pen_width, d.size))
        twin.set_input_mode(self.input_mode)
        if self.compare_box.isChecked() and self.compare_path is not None:
            twin.compare_path = self.compare_path
            twin.compare_combo.setCurrentIndex(twin.compare_combo.findData(str(self.compare_path)))
            twin.compare_box.setChecked(True)
        twin.restoreState(self.saveState())
        twin.setGeometry(self.geometry())
        app = QCoreApplication.instance()
        app.setProperty("digitpad_window", twin)
        if self.isVisible():
            twin.show()
        self.close()
        self.deleteLater()
        return twin

    def open_training(self):
        from digitpad.app.training_dialog import TrainingDialog

        existing = next((w for w in self.tool_windows if isinstance(w, TrainingDialog)), None)
        if existing is not None:
            return self._open_tool(existing, keep=True)
        dialog = TrainingDialog(self)
        dialog.model_saved.connect(self.model_added)
        return self._open_tool(dialog, keep=True)

    def open_fine_tune(self):
        from digitpad.app.finetune_dialog import FineTuneDialog

        entry = self.current_entry()
        if entry is None:
            QMessageBox.information(self, self.tr("No model"), no_model_text())
            return None
        dialog = FineTuneDialog(entry, self.personal, self)
        dialog.model_saved.connect(self.model_added)
        return self._open_tool(dialog)

    def open_personal(self):
        from digitpad.app.personal_window import PersonalWindow

        return self._open_tool(PersonalWindow(self.personal, self))

    def open_robustness(self):
        from digitpad.app.robustness_window import RobustnessWindow

        readable = [entry for entry in self.entries if not entry.problem]
        return self._open_tool(RobustnessWindow(readable, self.model_path and self.model_path.stem, self))

    def open_confusion(self, dataset: str = "mnist"):
        """The confusion matrix of the current model on MNIST's test set or (``"pen"``) on the real pen
        digits of the writers no model is trained on."""
        from digitpad.app.confusion_window import ConfusionWindow

        entry = self.current_entry()
        if entry is None:
            QMessageBox.information(self, self.tr("No model"), no_model_text())
            return None
        return self._open_tool(ConfusionWindow(entry.name, entry.path, parent=self, dataset=dataset))

    def closeEvent(self, event) -> None:
        """Stop every background job (training, evaluation…) before the window goes."""
        self.why_panel.shutdown()
        self.width_plot.shutdown()
        for window in list(self.tool_windows):
            shutdown = getattr(window, "shutdown", None)
            if shutdown is not None:
                shutdown()
            window.close()
        super().closeEvent(event)
