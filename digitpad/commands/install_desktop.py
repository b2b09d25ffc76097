"""`digitpad install-desktop [--uninstall]`: digitpad in the desktop's application menu.

Writes a freedesktop.org entry, ``$XDG_DATA_HOME/applications/digitpad.desktop`` (``~/.local/share``
when the variable is unset), and the icon into the user's hicolor theme
(``icons/hicolor/scalable/apps/digitpad.svg`` and ``icons/hicolor/256x256/apps/digitpad.png``), each
file atomically.  The entry starts the launcher this digitpad was installed with, by absolute path.
What install wrote, and the folders it had to create, are listed in a small manifest
(``$XDG_DATA_HOME/digitpad/desktop-install.json``); ``--uninstall`` removes exactly those files (and
those folders, where nothing else has been put in them since).  The manifest is only trusted as far
as it agrees with what install writes: a path it lists is removed only when it is one of those files
or one of their folders inside the data folder, also once symlinks are resolved; a manifest that is
not ours (not JSON, nested, huge, the wrong shape) is refused in one line and nothing is removed.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from digitpad.app import icon
from digitpad.atomic import atomic_write_bytes, atomic_write_text
from digitpad.errors import DigitpadError, FileFormatError, printable
from digitpad.file_reading import read_json_object

DESKTOP_FILE = "digitpad.desktop"
MANIFEST = Path("digitpad") / "desktop-install.json"
MAX_MANIFEST_BYTES = 64 << 10
"""The manifest lists three files and a few folders: well under a kilobyte."""


def register_cli(subparsers) -> None:
    p = subparsers.add_parser(
        "install-desktop", help="add digitpad to the desktop's application menu (--uninstall removes it)",
        description="Write a desktop entry and the icon into your XDG data folder ($XDG_DATA_HOME, else "
                    "~/.local/share), so that digitpad appears in the application menu.")
    p.add_argument("--uninstall", action="store_true", help="remove what install-desktop wrote")
    p.set_defaults(func=run)


def data_home() -> Path:
    """``$XDG_DATA_HOME`` when set to an absolute path (the specification ignores a relative one),
    else ``~/.local/share``."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and os.path.isabs(value) else Path.home() / ".local" / "share"


def installed_paths(home: Path | None = None) -> dict[str, Path]:
    """Where install writes each file: the entry, the SVG and the PNG icon."""
    home = data_home() if home is None else home
    hicolor = home / "icons" / "hicolor"
    return {"entry": home / "applications" / DESKTOP_FILE,
            "svg": hicolor / "scalable" / "apps" / f"{icon.ICON_NAME}.svg",
            "png": hicolor / f"{icon.PNG_SIZE}x{icon.PNG_SIZE}" / "apps" / f"{icon.ICON_NAME}.png"}


def launcher_command() -> list[str]:
    """The command that opens the app, by absolute path: the ``digitpad`` script installed beside this
    Python (a virtual environment's or pipx's ``bin/``), else the one on PATH, else ``python -m digitpad``."""
    beside = Path(sys.executable).parent / ("digitpad.exe" if os.name == "nt" else "digitpad")
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside.absolute())]
    found = shutil.which("digitpad")
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "digitpad"]


def exec_value(arguments: list[str]) -> str:
    """The desktop entry's ``Exec`` value: arguments with reserved characters quoted as the
    specification says (double quotes; ``"``, `````, ``$`` and ``\\`` escaped by a backslash; ``%`` doubled)."""
    quoted = []
    for argument in arguments:
        argument = argument.replace("%", "%%")
        if any(c in argument for c in " \t\n\"'\\><~|&;$*?#()`"):
            argument = '"' + "".join("\\" + c if c in '"`$\\' else c for c in argument) + '"'
        quoted.append(argument)
    return string_value(" ".join(quoted))  # the entry format then escapes backslashes once more


def string_value(text: str) -> str:
    """A desktop entry string value (a path): backslashes and line breaks escaped."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def desktop_entry(command: list[str], icon_file: Path) -> str:
    """The text of ``digitpad.desktop``."""
    lines = ["[Desktop Entry]",
             "Type=Application",
             "Version=1.4",
             "Name=digitpad",
             "GenericName=Handwritten digit recognizer",
             "Comment=Draw a digit and watch a neural network written from scratch read it",
             f"Exec={exec_value(command)}",
             f"TryExec={string_value(command[0])}",
             f"Icon={string_value(str(icon_file))}",
             "Terminal=false",
             "Categories=Education;ArtificialIntelligence;",
             "Keywords=MNIST;neural network;handwriting;digit;",
             "StartupNotify=true"]
    return "\n".join(lines) + "\n"


def install(home: Path | None = None) -> list[Path]:
    """Write the entry and the icons (atomically) and the manifest; returns the files written."""
    home = data_home() if home is None else home
    paths = installed_paths(home)
    manifest = home / MANIFEST
    created: list[str] = []
    for folder in sorted({path.parent for path in (*paths.values(), manifest)}):
        created += [str(made) for made in _make_folders(folder)]
    atomic_write_bytes(paths["svg"], icon.svg_path().read_bytes())
    atomic_write_bytes(paths["png"], icon.png_path().read_bytes())
    atomic_write_text(paths["entry"], desktop_entry(launcher_command(), paths["png"]))
    try:
        previous = _read_manifest(manifest)
    except FileFormatError:  # not ours: replaced by the one written now
        previous = {}
    folders = [*previous.get("folders", []), *(f for f in created if f not in previous.get("folders", []))]
    written = [str(path) for path in paths.values()]
    atomic_write_text(manifest, json.dumps({"files": written, "folders": folders}, indent=2) + "\n")
    return [*paths.values(), manifest]


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove what install wrote: its files (from the manifest, or recomputed when there is none),
    the manifest, and the folders install made, deepest first, where they are empty; returns what was
    removed."""
    home = data_home() if home is None else home
    manifest = home / MANIFEST
    try:
        recorded = _read_manifest(manifest)
    except FileFormatError as exc:
        raise FileFormatError(f"{exc}; nothing was removed") from None
    paths = installed_paths(home)
    ours = {str(path) for path in paths.values()}
    # the folders install may have made: those above its files, inside the data folder
    our_folders = {str(folder) for path in (*paths.values(), manifest) for folder in path.parents
                   if home in folder.parents}
    files = [Path(f) for f in recorded.get("files", sorted(ours)) if f in ours and _inside(Path(f), home)]
    removed = []
    for path in [*files, manifest]:
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            continue
    folders = [Path(f) for f in recorded.get("folders", []) if f in our_folders and _inside(Path(f), home)]
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        try:
            folder.rmdir()  # only when empty: something the user put there stays
            removed.append(folder)
        except OSError:
            continue
    return removed


def _inside(path: Path, home: Path) -> bool:
    """Whether ``path`` (itself not resolved: unlink and rmdir act on a link, not its target) lies in
    ``home`` once the symlinks of its folders and of ``home`` are resolved."""
    return Path(os.path.realpath(path.parent)).is_relative_to(os.path.realpath(home))


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; returns the ones created, outermost first."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()][::-1]
    folder.mkdir(parents=True, exist_ok=True)
    return missing


def _read_manifest(manifest: Path) -> dict[str, list[str]]:
    """The ``files`` and ``folders`` install recorded ({} when there is no manifest);
    :class:`FileFormatError` naming the manifest when it is not one install wrote."""
    if not manifest.exists() and not manifest.is_symlink():
        return {}
    value = read_json_object(manifest, MAX_MANIFEST_BYTES, "desktop manifest")
    lists = {key: value.get(key, []) for key in ("files", "folders")}
    if not all(isinstance(paths, list) and all(isinstance(p, str) for p in paths) for paths in lists.values()):
        raise FileFormatError(f"{manifest}: not a desktop manifest (\"files\" and \"folders\" must be lists of paths)")
    return lists


def run(args) -> int:
    home = data_home()
    try:
        if args.uninstall:
            removed = uninstall(home)
            print("\n".join(printable(f"removed {path}") for path in removed) if removed else
                  printable(f"nothing to remove: no digitpad desktop entry in {home}"))
            return 0
        written = install(home)
    except OSError as exc:
        where = exc.filename or home
        raise DigitpadError(f"{where}: cannot {'remove' if args.uninstall else 'write'} the desktop entry "
                            f"({exc.strerror or exc})") from None
    for path in written:
        print(printable(f"wrote {path}"))
    print("digitpad is in the application menu (it may take a moment to appear); "
          "'digitpad install-desktop --uninstall' removes it")
    return 0
