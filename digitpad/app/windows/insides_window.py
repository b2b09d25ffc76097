"""Tools → Inside the network…: every layer's output for the current drawing, live.

One entry per layer of any `Sequential` (`Sequential.layer_outputs`): feature maps (C, H, W) as small
grey tiles, one per channel, each scaled to its own range (click a tile to enlarge it); vectors
(dense layers, the logits) as bars, negative values below the axis; and, after the last layer, the
softmax the app shows.  The forward pass is the model's own, a few milliseconds; updates are
throttled so that painting never lags the pen.  Bars take the width the window gives them (a long vector
gets thin bars, never a sideways scroll that hides the last digits of the logits), and the enlarged tile
beside the list is shown only for a model with feature maps.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from digitpad.app.i18n import number, significant
from digitpad.app.images import digit_pixmap, grey_qimage
from digitpad.app.model_labels import describe
from digitpad.nn.activations import Softmax, softmax

THROTTLE_MS = 80
TILE_COLUMNS = 16
MIN_BARS_WIDTH = 200
POSITIVE, NEGATIVE = QColor("#2563eb"), QColor("#f97316")


def normalise_channels(maps: np.ndarray) -> np.ndarray:
    """(C, H, W) maps scaled to [0, 1] channel by channel (a flat channel is black)."""
    low = maps.min(axis=(1, 2), keepdims=True)
    span = maps.max(axis=(1, 2), keepdims=True) - low
    return np.where(span > 0, (maps - low) / np.where(span > 0, span, 1), 0).astype(np.float32)


class FeatureMaps(QWidget):
    """Paints (C, H, W) maps as a grid of tiles; ``tile_clicked(channel)`` on a click."""

    tile_clicked = Signal(int)

    def __init__(self, channels: int, height: int, width: int, parent=None):
        super().__init__(parent)
        self.shape = (channels, height, width)
        self.zoom = max(1, 48 // max(height, width))
        self.columns = min(channels, TILE_COLUMNS)
        self.maps: np.ndarray | None = None
        self.setFixedSize(self.sizeHint())
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def tile_size(self) -> tuple[int, int]:
        return self.shape[2] * self.zoom + 2, self.shape[1] * self.zoom + 2

    def sizeHint(self) -> QSize:
        w, h = self.tile_size()
        rows = -(-self.shape[0] // self.columns)
        return QSize(self.columns * w, rows * h)

    def set_maps(self, maps: np.ndarray) -> None:
        self.maps = normalise_channels(maps)
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        if self.maps is None:
            return
        w, h = self.tile_size()
        for channel, tile in enumerate(self.maps):
            row, column = divmod(channel, self.columns)
            painter.drawImage(QRect(column * w + 1, row * h + 1, w - 2, h - 2), grey_qimage(tile))

    def mousePressEvent(self, event) -> None:
        w, h = self.tile_size()
        column, row = int(event.position().x()) // w, int(event.position().y()) // h
        channel = row * self.columns + column
        if 0 <= channel < self.shape[0] and column < self.columns:
            self.tile_clicked.emit(channel)


class ActivationBars(QWidget):
    """Paints a vector as bars from a zero line (blue up, orange down); ``labels`` under short vectors.
    As wide as the window gives (at least `MIN_BARS_WIDTH`): a long vector's bars are thin, and the list
    never scrolls sideways to show the last ones."""

    def __init__(self, size: int, labels: bool = False, parent=None):
        super().__init__(parent)
        self.size, self.labels = size, labels
        self.values: np.ndarray | None = None
        self.setMinimumWidth(MIN_BARS_WIDTH)
        self.setFixedHeight(70 if labels else 56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_values(self, values: np.ndarray) -> None:
        self.values = np.asarray(values, np.float64)
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        if self.values is None:
            return
        label_h = 14 if self.labels else 0
        height = self.height() - label_h
        top = float(np.abs(self.values).max()) or 1.0
        low = self.values.min() < 0
        zero = height / 2 if low else height - 1
        span = (height / 2 - 2) if low else height - 3
        step = self.width() / len(self.values)
        painter.setPen(QColor("#9ca3af"))
        painter.drawLine(0, int(zero), self.width(), int(zero))
        painter.setPen(Qt.PenStyle.NoPen)
        for i, value in enumerate(self.values):
            length = span * value / top
            painter.setBrush(POSITIVE if value >= 0 else NEGATIVE)
            painter.drawRect(QRectF(i * step + 0.15 * step, zero - max(length, 0), max(step * 0.7, 1), abs(length)))
        if self.labels:
            painter.setPen(self.palette().windowText().color())
            for i, value in enumerate(self.values):
                painter.drawText(QRectF(i * step, height, step, label_h), Qt.AlignmentFlag.AlignCenter, str(i))


class LayerEntry(QWidget):
    """One layer: its index, type and output shape, and its output drawn as tiles or bars."""

    def __init__(self, title: str, shape: tuple[int, ...], labels: bool = False, parent=None):
        super().__init__(parent)
        self.title = QLabel(title)
        self.title.setStyleSheet("font-weight: 600;")
        self.shape = tuple(shape)
        self.range_label = QLabel()
        self.range_label.setStyleSheet("color: #6b7280;")
        self.range_label.setMinimumWidth(180)
        if len(shape) == 3:
            self.view = FeatureMaps(*shape)
        else:
            self.view = ActivationBars(int(np.prod(shape)), labels=labels)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.range_label)
        head.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addLayout(head)
        layout.addWidget(self.view)

    def set_output(self, output: np.ndarray) -> None:
        self.range_label.setText(f"{significant(output.min())} … {significant(output.max())}")
        if isinstance(self.view, FeatureMaps):
            self.view.set_maps(output)
        else:
            self.view.set_values(output.reshape(-1))


class InsidesWindow(QWidget):
    """``InsidesWindow(session)``: follows the session's input (`show_input`) at each answer and its
    chosen model (`set_model`)."""

    def __init__(self, session, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.session = session
        self.setWindowTitle(self.tr("Inside the network"))
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.enlarged = QLabel()
        self.enlarged.setFixedSize(168, 168)
        self.enlarged.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.enlarged.setStyleSheet("background: black;")
        self.enlarged_caption = QLabel(self.tr("Click a tile to enlarge it."))
        self.enlarged_caption.setWordWrap(True)
        self.enlarged_caption.setFixedWidth(168)
        self.enlarged_caption.setMinimumHeight(48)
        self.enlarged_caption.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.entries_widget = QWidget()
        self.entries_layout = QVBoxLayout(self.entries_widget)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.entries_widget)
        side = QVBoxLayout()
        side.addWidget(self.enlarged)
        side.addWidget(self.enlarged_caption)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(scroll, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(body, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(THROTTLE_MS)
        self.timer.timeout.connect(self._update)
        self.digit: np.ndarray | None = None
        self.outputs: list[np.ndarray] = []
        self.enlarged_at: tuple[int, int] | None = None
        self.entries: list[LayerEntry] = []
        self.set_model(session.model, self._model_name())
        self.resize(1000, 760)
        session.readers_changed.connect(self._follow_model)
        session.answer_changed.connect(self._answered)
        self._answered(session.last)

    def _model_name(self) -> str:
        path = self.session.model_path
        return describe(self.session.entry(path), path) if path else ""

    def _follow_model(self) -> None:
        if self.session.model is not self.model:
            self.set_model(self.session.model, self._model_name())

    def _answered(self, prediction) -> None:
        self.show_input(None if prediction is None else prediction.digit)

    @property
    def model(self):
        """The model shown (None: no model)."""
        return self.shown[0]

    def set_model(self, model, name: str) -> None:
        """Build one entry per layer of ``model`` (plus the softmax when the model does not end with one)."""
        self.shown = (model, name)   # in a tuple: PySide6 6.11 leaks when a callable is set as a QObject attribute
        for entry in self.entries:
            entry.deleteLater()
        self.entries, self.enlarged_at = [], None
        while self.entries_layout.count():
            self.entries_layout.takeAt(0)
        self.enlarged.clear()
        self.enlarged_caption.setText(self.tr("Click a tile to enlarge it."))
        maps = model is not None and any(len(shape) == 3 for shape in model.output_shapes())
        self.enlarged.setVisible(maps)           # a model without feature maps (an MLP) has no tiles
        self.enlarged_caption.setVisible(maps)
        if model is None:
            self.header.setText(self.tr("No model.") if self.session.reader is None else
                                self.tr("This reader has no image network: this window shows an image network's "
                                        "layers (the stroke model's input is drawn in the main window)."))
            return
        self.header.setText(self.tr("{0}: %n layer(s), {1} parameters; input {2}", "", len(model.layers)).format(
            name, number(model.parameter_count()), " × ".join(map(str, model.input_shape))))
        shapes = model.output_shapes()
        last = len(model.layers) - 1
        for i, (layer, shape) in enumerate(zip(model.layers, shapes)):
            kind = type(layer).__name__
            title = f"{i} · {kind} · {' × '.join(map(str, shape))}"
            if i == last and not isinstance(layer, Softmax):
                title += "  " + self.tr("(logits)")
            self._add_entry(title, shape, labels=i == last)
        if not isinstance(model.layers[-1], Softmax):
            self._add_entry(self.tr("softmax: the probabilities shown in the main window"), shapes[-1], labels=True)
        self.entries_layout.addStretch(1)
        self._update()

    def _add_entry(self, title: str, shape: tuple[int, ...], labels: bool) -> None:
        entry = LayerEntry(title, shape, labels=labels and len(shape) == 1 and shape[0] <= 20)
        index = len(self.entries)
        if isinstance(entry.view, FeatureMaps):
            entry.view.tile_clicked.connect(lambda channel, i=index: self.enlarge(i, channel))
        self.entries.append(entry)
        self.entries_layout.addWidget(entry)

    def show_input(self, digit: np.ndarray | None) -> None:
        """A new network input (None: empty canvas); the layers follow within ``THROTTLE_MS``."""
        self.digit = None if digit is None else np.asarray(digit, np.float32)
        if not self.timer.isActive():
            self.timer.start()

    def _update(self) -> None:
        model = self.model
        if model is None or self.digit is None:
            self.outputs = []
            return
        x = self.digit.reshape(1, *model.input_shape)
        outputs = [o[0] for o in model.layer_outputs(x)]
        if not isinstance(model.layers[-1], Softmax):
            outputs.append(softmax(outputs[-1][None])[0])
        self.outputs = outputs
        for entry, output in zip(self.entries, outputs):
            entry.set_output(output)
        if self.enlarged_at is not None:
            self.enlarge(*self.enlarged_at)

    def enlarge(self, entry: int, channel: int) -> None:
        """Show one channel of one layer's output large, beside the list."""
        self.enlarged_at = (entry, channel)
        if entry < len(self.outputs):
            tile = normalise_channels(self.outputs[entry][channel:channel + 1])[0]
            self.enlarged.setPixmap(digit_pixmap(tile, 168))
        title = self.entries[entry].title.text().split(" · ")
        self.enlarged_caption.setText(self.tr("layer {0} ({1}), channel {2}").format(title[0], title[1], channel))
