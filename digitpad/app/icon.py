"""The app's icon: ``icons/digitpad.svg`` (drawn by hand for the project) and a PNG rendered from it.

The PNG (``icons/digitpad-256.png``) is committed, so that installing digitpad's desktop entry needs
no Qt; ``python -m digitpad.app.icon`` renders it again from the SVG after a change (a test checks
that the two still agree).  Both install as package data.  Qt is imported only by the functions that
need it, so the paths can be used by the command line without it.
"""

from __future__ import annotations

from pathlib import Path

ICON_NAME = "digitpad"
PNG_SIZE = 256
ICON_DIR = Path(__file__).resolve().parent / "icons"


def svg_path() -> Path:
    """The scalable icon (SVG)."""
    return ICON_DIR / f"{ICON_NAME}.svg"


def png_path() -> Path:
    """The icon rendered at ``PNG_SIZE``×``PNG_SIZE`` pixels (PNG)."""
    return ICON_DIR / f"{ICON_NAME}-{PNG_SIZE}.png"


def render(size: int = PNG_SIZE):
    """The SVG drawn on a transparent ``size``×``size`` QImage (no QApplication needed)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg_path()))
    if not renderer.isValid():
        raise ValueError(f"{svg_path()}: not a valid SVG icon")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def write_png(path: Path | None = None, size: int = PNG_SIZE) -> Path:
    """Render the SVG to ``path`` (default: the packaged PNG) atomically; returns the path."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    from digitpad.atomic import atomic_write_bytes

    path = png_path() if path is None else Path(path)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not render(size).save(buffer, "PNG"):
        raise OSError(f"{path}: Qt could not encode the icon as PNG")
    buffer.close()
    atomic_write_bytes(path, bytes(data.data()))
    return path


def app_icon():
    """The QIcon for windows and the taskbar: the SVG (sharp at any size) and the PNG beside it."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    icon = QIcon()
    icon.addFile(str(png_path()), QSize(PNG_SIZE, PNG_SIZE))
    icon.addFile(str(svg_path()))
    return icon


if __name__ == "__main__":
    print(write_png())
