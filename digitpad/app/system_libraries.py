"""Before the window opens on Linux: are the system libraries of Qt's display plugin installed?

Qt's X11 platform plugin (``libqxcb.so``) links against a dozen ``libxcb-*`` libraries that minimal
Debian/Ubuntu installs, WSL and containers with X forwarding often lack.  Qt then prints a paragraph
about "xcb-cursor0" and exits without a window.  :func:`check_display` finds which libraries are
missing, the way the dynamic loader sees them (``ldd`` on the plugin, which follows the plugin's own
search path into PySide6's Qt libraries), and raises one :class:`DigitpadError` line naming them and
the command that installs them.  A Wayland session whose Wayland plugin loads needs none of this, so
the check only fails when no platform Qt would try can load.

Before that, Qt's own modules must load: on a machine without a desktop (a container, a minimal
install) PySide6's ``QtGui`` lacks ``libGL.so.1`` and more, and importing it fails with a traceback.
:func:`qt_import_problem` turns that ImportError into one line naming every missing library (``ldd`` on
PySide6's modules) and the command that installs them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Mapping

from digitpad.errors import DigitpadError

# The plugin files of the platforms Qt tries on a Linux desktop (Qt 6.0-6.4 named Wayland's
# ``libqwayland-generic.so`` and ``libqwayland-egl.so``).
PLUGIN_FILES = {"wayland": ("libqwayland.so", "libqwayland-generic.so", "libqwayland-egl.so"),
                "xcb": ("libqxcb.so",)}

# Debian/Ubuntu package of a library where the usual rule (below) does not give it.
DEBIAN_PACKAGES = {"libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0",
                   "libgobject-2.0.so.0": "libglib2.0-0", "libEGL.so.1": "libegl1",
                   "libGL.so.1": "libgl1", "libOpenGL.so.0": "libopengl0", "libGLX.so.0": "libglx0"}

# Fedora packages of the libraries Qt's xcb and Wayland plugins need.
FEDORA_PACKAGES = {
    "libxcb-cursor.so.0": "xcb-util-cursor", "libxcb-icccm.so.4": "xcb-util-wm",
    "libxcb-keysyms.so.1": "xcb-util-keysyms", "libxcb-image.so.0": "xcb-util-image",
    "libxcb-render-util.so.0": "xcb-util-renderutil", "libxcb-util.so.1": "xcb-util",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11", "libxkbcommon.so.0": "libxkbcommon",
    "libX11-xcb.so.1": "libX11-xcb", "libX11.so.6": "libX11", "libEGL.so.1": "libglvnd-egl",
    "libGL.so.1": "libglvnd-glx", "libOpenGL.so.0": "libglvnd-opengl", "libfontconfig.so.1": "fontconfig",
    "libfreetype.so.6": "freetype", "libdbus-1.so.3": "dbus-libs", "libglib-2.0.so.0": "glib2",
    "libgthread-2.0.so.0": "glib2",
    "libwayland-client.so.0": "libwayland-client", "libwayland-cursor.so.0": "libwayland-cursor",
    "libwayland-egl.so.1": "libwayland-egl", "libxcb.so.1": "libxcb", "libxcb-randr.so.0": "libxcb",
    "libxcb-render.so.0": "libxcb", "libxcb-shape.so.0": "libxcb", "libxcb-shm.so.0": "libxcb",
    "libxcb-sync.so.1": "libxcb", "libxcb-xfixes.so.0": "libxcb", "libxcb-xinerama.so.0": "libxcb",
    "libxcb-xinput.so.0": "libxcb", "libxcb-xkb.so.1": "libxcb",
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)


def parse_ldd(output: str) -> list[str]:
    """The libraries ``ldd`` reports as "not found", each once, in the order it names them."""
    return list(dict.fromkeys(_NOT_FOUND.findall(output)))


def ldd_missing(library: Path) -> list[str] | None:
    """The shared libraries ``library`` needs, directly or through others, that the loader cannot find;
    None where ``ldd`` is not available or cannot read the file (then nothing is known)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    try:
        done = subprocess.run([ldd, str(library)], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    missing = parse_ldd(done.stdout)
    if done.returncode != 0 and not missing:
        return None
    return missing


def debian_package(library: str) -> str:
    """``libxcb-cursor.so.0`` → ``libxcb-cursor0``, ``libxkbcommon-x11.so.0`` → ``libxkbcommon-x11-0``."""
    if library in DEBIAN_PACKAGES:
        return DEBIAN_PACKAGES[library]
    stem, _, version = library.partition(".so")
    version = version.lstrip(".").split(".")[0]
    return (stem + ("-" if stem[-1:].isdigit() else "") + version).lower()


def install_hint(missing: list[str]) -> str:
    debian = " ".join(dict.fromkeys(debian_package(name) for name in missing))
    fedora = [FEDORA_PACKAGES.get(name) for name in missing]
    if all(fedora):
        fedora_hint = "sudo dnf install " + " ".join(dict.fromkeys(fedora))
    else:
        fedora_hint = "dnf provides '*/" + next(n for n, p in zip(missing, fedora) if not p) + "' names the package"
    return f"sudo apt install {debian} (Debian, Ubuntu; on Fedora: {fedora_hint})"


def default_plugins_dir() -> Path:
    """Where this PySide6 keeps Qt's platform plugins."""
    from PySide6.QtCore import QLibraryInfo

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"


def platforms_to_try(env: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt tries, in order, for a desktop session described by ``env``."""
    wayland = env.get("XDG_SESSION_TYPE") == "wayland" or bool(env.get("WAYLAND_DISPLAY"))
    if wayland:
        return ["wayland", "xcb"]
    return ["xcb"] if env.get("DISPLAY") else []


_CANNOT_OPEN = re.compile(r"(\S+\.so[.\d]*): cannot open shared object file")
QT_MODULES = ("QtCore", "QtGui", "QtWidgets")


def qt_module_files() -> list[Path]:
    """PySide6's compiled modules the app imports (found without importing them)."""
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(list(spec.submodule_search_locations)[0])
    return [path for name in QT_MODULES for path in sorted(folder.glob(f"{name}.*.so"))]


def qt_import_problem(exc: ImportError, find_missing: Callable[[Path], list[str] | None] | None = None,
                      files: list[Path] | None = None) -> str:
    """The one line that says why Qt could not be imported: the system libraries PySide6's modules need
    and this system lacks, with the command that installs them; else the loader's own reason."""
    find_missing = ldd_missing if find_missing is None else find_missing
    missing: list[str] = []
    for path in qt_module_files() if files is None else files:
        missing += find_missing(path) or []
    named = _CANNOT_OPEN.search(str(exc))
    if named and named.group(1) not in missing:
        missing.insert(0, named.group(1))
    missing = list(dict.fromkeys(missing))
    if not missing:
        return f"the window cannot open: Qt (PySide6) could not be loaded ({exc})"
    return (f"the window cannot open: Qt needs {', '.join(missing)}, not installed on this system; install "
            f"{'it' if len(missing) == 1 else 'them'} with: {install_hint(missing)}")


def check_display(env: Mapping[str, str] | None = None, plugins_dir: Path | None = None,
                  find_missing: Callable[[Path], list[str] | None] | None = None,
                  platform: str = sys.platform) -> None:
    """Raise :class:`DigitpadError` (one line) when the window cannot open for want of a system library
    or of a display.  Does nothing off Linux, where ``QT_QPA_PLATFORM`` chooses the platform, or where
    nothing can be known (no ``ldd``, no plugin file): Qt then reports for itself."""
    env = os.environ if env is None else env
    if not platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return
    candidates = platforms_to_try(env)
    if not candidates:
        raise DigitpadError("no display to open the window on: DISPLAY and WAYLAND_DISPLAY are not set "
                            "(start digitpad from a desktop session, or use ssh -X for a remote one)")
    plugins_dir = default_plugins_dir() if plugins_dir is None else plugins_dir
    find_missing = ldd_missing if find_missing is None else find_missing
    missing: list[str] | None = None   # the X11 plugin's, the fallback Qt tries last
    for name in candidates:
        files = [plugins_dir / f for f in PLUGIN_FILES[name] if (plugins_dir / f).is_file()]
        if not files:
            continue
        found = [find_missing(path) for path in files]
        if any(missing is None or not missing for missing in found):
            return   # this platform loads (or it cannot be known): Qt will use it
        if name == "xcb":
            missing = min(found, key=len)
    if missing is None:
        return
    raise DigitpadError(f"the window cannot open: Qt's X11 (xcb) display plugin needs {', '.join(missing)}, "
                        f"not installed on this system; install {'it' if len(missing) == 1 else 'them'} with: "
                        f"{install_hint(missing)}")
