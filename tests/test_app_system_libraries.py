"""The window's system libraries: a missing one is one line with the install command, not Qt's paragraph."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from digitpad import cli
from digitpad.app import system_libraries as sl
from digitpad.errors import DigitpadError

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd6b1e2000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f0c1c000000)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0c1bc00000)
"""

DESKTOP = {"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}


@pytest.fixture
def plugins(tmp_path) -> Path:
    """A platforms folder with both plugin files (their content is what the stubbed loader says)."""
    folder = tmp_path / "platforms"
    folder.mkdir()
    for name in ("libqxcb.so", "libqwayland.so"):
        (folder / name).write_bytes(b"\x7fELF")
    return folder


def stub_loader(missing: dict[str, list[str]]):
    return lambda path: missing.get(path.name, [])


def test_ldd_output_gives_each_missing_library_once():
    assert sl.parse_ldd(LDD_OUTPUT) == ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert sl.parse_ldd("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n") == []


def test_package_names_for_debian_and_fedora():
    assert [sl.debian_package(n) for n in ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxkbcommon-x11.so.0",
                                           "libX11-xcb.so.1", "libdbus-1.so.3", "libglib-2.0.so.0")] == [
        "libxcb-cursor0", "libxcb-icccm4", "libxkbcommon-x11-0", "libx11-xcb1", "libdbus-1-3", "libglib2.0-0"]
    hint = sl.install_hint(["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"])
    assert hint.startswith("sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 ")
    assert "sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms" in hint
    assert "dnf provides '*/libweird.so.3'" in sl.install_hint(["libweird.so.3"])


def test_missing_xcb_libraries_are_one_line_naming_them_and_the_command(plugins):
    loader = stub_loader({"libqxcb.so": ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"]})
    with pytest.raises(DigitpadError) as caught:
        sl.check_display(DESKTOP, plugins, loader, "linux")
    message = str(caught.value)
    assert "\n" not in message
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4, libxcb-keysyms.so.1" in message
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in message


def test_nothing_is_said_when_the_platform_loads_or_qt_is_told_what_to_use(plugins):
    sl.check_display(DESKTOP, plugins, stub_loader({}), "linux")
    broken = stub_loader({"libqxcb.so": ["libxcb-cursor.so.0"]})
    sl.check_display(DESKTOP | {"QT_QPA_PLATFORM": "offscreen"}, plugins, broken, "linux")
    sl.check_display(DESKTOP, plugins, broken, "darwin")
    sl.check_display(DESKTOP, plugins, lambda path: None, "linux")       # no ldd: Qt reports for itself
    sl.check_display(DESKTOP, plugins / "absent", broken, "linux")       # no plugin file: the same


def test_wayland_sessions_work_without_the_xcb_libraries(plugins):
    wayland = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    sl.check_display(wayland, plugins, stub_loader({"libqxcb.so": ["libxcb-cursor.so.0"]}), "linux")
    # ... and when the Wayland plugin cannot load either, the X11 fallback's libraries are named
    both = stub_loader({"libqxcb.so": ["libxcb-cursor.so.0"], "libqwayland.so": ["libwayland-cursor.so.0"]})
    with pytest.raises(DigitpadError, match="libxcb-cursor0"):
        sl.check_display(wayland, plugins, both, "linux")


def test_no_display_at_all_is_one_line(plugins):
    with pytest.raises(DigitpadError, match="DISPLAY and WAYLAND_DISPLAY are not set"):
        sl.check_display({}, plugins, stub_loader({}), "linux")


def test_the_loader_sees_a_real_missing_library(tmp_path):
    """A real shared library linked against one that is then deleted: ldd (the dynamic loader) must
    report it, as it does for Qt's plugin on a system without libxcb-cursor."""
    gcc, ldd = shutil.which("gcc"), shutil.which("ldd")
    assert gcc and ldd, "this test builds a shared library: it needs gcc and ldd (both on CI)"
    (tmp_path / "gone.c").write_text("int gone(void) { return 1; }\n")
    (tmp_path / "plugin.c").write_text("int gone(void);\nint plugin(void) { return gone(); }\n")
    subprocess.run([gcc, "-shared", "-fPIC", "-o", tmp_path / "libdigitpadgone.so.7", tmp_path / "gone.c",
                    "-Wl,-soname,libdigitpadgone.so.7"], check=True)
    (tmp_path / "libdigitpadgone.so").symlink_to("libdigitpadgone.so.7")
    subprocess.run([gcc, "-shared", "-fPIC", "-o", tmp_path / "libqxcb.so", tmp_path / "plugin.c",
                    f"-L{tmp_path}", "-ldigitpadgone", f"-Wl,-rpath,{tmp_path}"], check=True)
    assert sl.ldd_missing(tmp_path / "libqxcb.so") == []
    (tmp_path / "libdigitpadgone.so.7").unlink()
    assert sl.ldd_missing(tmp_path / "libqxcb.so") == ["libdigitpadgone.so.7"]
    with pytest.raises(DigitpadError, match=r"needs libdigitpadgone\.so\.7.*sudo apt install libdigitpadgone7"):
        sl.check_display(DESKTOP, tmp_path, platform="linux")


def test_the_app_command_prints_the_line_and_opens_nothing(monkeypatch, capsys, plugins):
    """`digitpad` itself: exit status 2, one line on stderr, no QApplication created."""
    import digitpad.app.application as application

    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
    monkeypatch.setattr(sl, "default_plugins_dir", lambda: plugins)
    monkeypatch.setattr(sl, "ldd_missing", stub_loader({"libqxcb.so": ["libxcb-cursor.so.0"]}))
    monkeypatch.setattr(application, "check_display", lambda: sl.check_display(platform="linux"))
    monkeypatch.setattr(application, "application", lambda *a: pytest.fail("Qt was started"))
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("digitpad: error: the window cannot open") and "sudo apt install libxcb-cursor0" in err


def test_qt_that_cannot_be_imported_names_every_missing_library(tmp_path):
    """A machine without a desktop (a container, a minimal install): PySide6's QtGui lacks libGL and more."""
    gui, widgets = tmp_path / "QtGui.abi3.so", tmp_path / "QtWidgets.abi3.so"
    loader = stub_loader({"QtGui.abi3.so": ["libGL.so.1", "libEGL.so.1"], "QtWidgets.abi3.so": ["libEGL.so.1"]})
    exc = ImportError("libGL.so.1: cannot open shared object file: No such file or directory")
    line = sl.qt_import_problem(exc, loader, [gui, widgets])
    assert line.startswith("the window cannot open: Qt needs libGL.so.1, libEGL.so.1, not installed")
    assert "sudo apt install libgl1 libegl1" in line and "\n" not in line
    nothing = sl.qt_import_problem(ImportError("no module named PySide6.QtGui"), lambda path: None, [gui])
    assert nothing == "the window cannot open: Qt (PySide6) could not be loaded (no module named PySide6.QtGui)"
    assert {path.name.split(".")[0] for path in sl.qt_module_files()} == set(sl.QT_MODULES)   # the real ones


def test_the_app_command_says_which_libraries_qt_lacks_without_a_traceback(monkeypatch, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "digitpad.app.application", None)   # importing it raises ImportError
    monkeypatch.setattr(sl, "ldd_missing", lambda path: ["libGL.so.1"] if "QtGui" in path.name else [])
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("digitpad: error: the window cannot open") and "libGL.so.1" in err
