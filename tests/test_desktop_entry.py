"""`digitpad install-desktop`: the menu entry and the icon in a temporary XDG data home, as a desktop
reads them (fields, a launcher that starts digitpad, an icon that exists), and `--uninstall` taking
away exactly what install wrote.  The icon itself: the SVG the project draws, the PNG rendered from it,
the window icon, and both shipped as package data."""

from __future__ import annotations

import configparser
import fnmatch
import os
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitpad import __version__
from digitpad.app import icon
from digitpad.atomic import PART_MARKER
from digitpad.cli import main
from digitpad.commands import install_desktop

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def xdg_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder under ``folder``."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str   # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


def test_install_writes_a_valid_entry_that_starts_digitpad(xdg_home, capsys):
    assert main(["install-desktop"]) == 0
    printed = capsys.readouterr().out
    entry_path = xdg_home / "applications" / "digitpad.desktop"
    assert f"wrote {entry_path}" in printed
    entry = read_entry(entry_path)
    assert entry["Type"] == "Application" and entry["Name"] == "digitpad" and entry["Terminal"] == "false"
    assert "Education" in entry["Categories"].split(";") and entry["Categories"].endswith(";")
    assert entry["Comment"] and entry["Version"] == "1.4"
    command = shlex.split(entry["Exec"])
    launcher = Path(command[0])
    assert launcher.is_absolute() and launcher.is_file() and os.access(launcher, os.X_OK)
    assert entry["TryExec"] == command[0]
    # the entry's command really is digitpad (--version: no window needed)
    done = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == f"digitpad {__version__}", done
    icon_file = Path(entry["Icon"])
    assert icon_file.is_absolute() and icon_file == xdg_home / "icons/hicolor/256x256/apps/digitpad.png"
    with Image.open(icon_file) as picture:
        assert picture.format == "PNG" and picture.size == (256, 256)
    svg = xdg_home / "icons/hicolor/scalable/apps/digitpad.svg"
    assert svg.read_bytes() == icon.svg_path().read_bytes()
    assert not [p for p in xdg_home.rglob("*") if PART_MARKER in p.name]   # atomic writes leave no part files
    validator = shutil.which("desktop-file-validate")
    if validator:  # freedesktop's own checker, where it is installed (desktop-file-utils)
        done = subprocess.run([validator, str(entry_path)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_uninstall_removes_exactly_what_install_wrote(xdg_home, capsys):
    # the user's own things in the same folders stay as they are
    (xdg_home / "applications").mkdir(parents=True)
    (xdg_home / "applications" / "other.desktop").write_text("[Desktop Entry]\nType=Application\nName=other\n")
    (xdg_home / "icons" / "hicolor" / "256x256" / "apps").mkdir(parents=True)
    (xdg_home / "icons" / "hicolor" / "256x256" / "apps" / "other.png").write_bytes(b"png")
    (xdg_home / "digitpad" / "models").mkdir(parents=True)
    (xdg_home / "digitpad" / "models" / "mine.npz").write_bytes(b"model")
    before = tree(xdg_home)
    assert main(["install-desktop"]) == 0
    assert main(["install-desktop"]) == 0   # twice: the same files, written again
    added = set(tree(xdg_home)) - set(before)
    assert added == {"applications/digitpad.desktop", "icons/hicolor/scalable", "icons/hicolor/scalable/apps",
                     "icons/hicolor/scalable/apps/digitpad.svg", "icons/hicolor/256x256/apps/digitpad.png",
                     "digitpad/desktop-install.json"}
    capsys.readouterr()
    assert main(["install-desktop", "--uninstall"]) == 0
    removed = capsys.readouterr().out
    assert "removed " + str(xdg_home / "applications" / "digitpad.desktop") in removed
    assert tree(xdg_home) == before
    assert main(["install-desktop", "--uninstall"]) == 0   # nothing left: says so
    assert "nothing to remove" in capsys.readouterr().out


def test_uninstall_in_an_empty_home_leaves_no_trace(tmp_path, monkeypatch):
    """Without XDG_DATA_HOME the files go to ~/.local/share; uninstall removes the folders install made
    there too, and nothing above them."""
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    assert main(["install-desktop"]) == 0
    assert (tmp_path / "home/.local/share/applications/digitpad.desktop").is_file()
    assert main(["install-desktop", "--uninstall"]) == 0
    assert tree(tmp_path / "home") == {".local": None, ".local/share": None}  # above the data home: left alone


def test_uninstall_never_removes_a_path_the_manifest_names_that_is_not_ours(xdg_home, tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    install_desktop.install(xdg_home)
    manifest = xdg_home / install_desktop.MANIFEST
    manifest.write_text(manifest.read_text().replace('"files": [', f'"files": ["{precious}", ', 1))
    install_desktop.uninstall(xdg_home)
    assert precious.read_text() == "keep me" and not (xdg_home / "applications" / "digitpad.desktop").exists()


def test_an_unwritable_data_home_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "share"))
    assert main(["install-desktop"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("digitpad: error: ") and str(blocker) in err, err


def test_exec_quotes_paths_as_the_specification_says():
    value = install_desktop.exec_value(["/opt/my apps/bin/digitpad", "--model", '50% "best"'])
    assert value == '"/opt/my apps/bin/digitpad" --model "50%% \\\\"best\\\\""'
    assert install_desktop.exec_value(["/usr/bin/python3", "-m", "digitpad"]) == "/usr/bin/python3 -m digitpad"


def test_the_launcher_falls_back_to_python_m_digitpad(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "python3"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert install_desktop.launcher_command() == [str(tmp_path / "bin" / "python3"), "-m", "digitpad"]


# --- the icon -----------------------------------------------------------------------------------------


def test_the_png_is_the_svg_rendered(qapp):
    """The committed PNG is what the SVG renders to now (``python -m digitpad.app.icon`` after a change)."""
    from PySide6.QtGui import QImage

    image = icon.render(icon.PNG_SIZE).convertToFormat(QImage.Format.Format_RGBA8888)
    rendered = np.frombuffer(bytes(image.constBits()), np.uint8).reshape(icon.PNG_SIZE, icon.PNG_SIZE, 4)
    with Image.open(icon.png_path()) as picture:
        committed = np.asarray(picture.convert("RGBA"))
    assert committed.shape == rendered.shape
    difference = np.abs(committed.astype(int) - rendered.astype(int))
    assert difference.mean() < 1.0 and np.percentile(difference, 99) < 40, difference.mean()
    # it is a picture: an opaque pad, transparent corners, the white 4 and the orange bar of its probability
    assert committed[128, 128, 3] == 255 and committed[2, 2, 3] == 0
    assert (committed[..., :3] == 255).all(axis=-1).sum() > 3000
    assert ((committed[..., 0] > 240) & (committed[..., 2] < 100)).sum() > 100


def test_the_app_icon_holds_the_drawing(qapp):
    app_icon = icon.app_icon()
    assert not app_icon.isNull()
    pixmap = app_icon.pixmap(64, 64)
    assert pixmap.width() == 64 and not pixmap.toImage().isNull()
    assert pixmap.toImage().pixelColor(32, 32).alpha() == 255


def test_the_application_sets_the_window_icon_and_desktop_file(monkeypatch):
    """`digitpad.app.application.application()` in a fresh process (where it creates the QApplication)."""
    code = ("from digitpad.app.application import application; app = application(); "
            "print(app.windowIcon().isNull(), app.desktopFileName())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env=os.environ | {"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "digitpad"]


def test_the_icons_are_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["digitpad.app"]
    for path in (icon.svg_path(), icon.png_path()):
        relative = path.relative_to(ROOT / "digitpad" / "app").as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), (relative, patterns)
