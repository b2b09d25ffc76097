"""The app's languages: English (the source texts) and French, through Qt's translation system.

Every user-visible string of ``digitpad.app`` is marked with ``self.tr()`` or
``QCoreApplication.translate(context, ...)``.  ``translations/digitpad_fr.ts`` is the source of the
French texts (edit it with Qt Linguist, or by hand); ``digitpad_fr.qm`` is compiled from it with
``pyside6-lrelease`` and installed with the package, so users need no build step.  After changing
strings in the code::

    pyside6-lupdate -extensions py digitpad/app -recursive -no-obsolete -ts digitpad/app/translations/digitpad_fr.ts
    pyside6-lupdate -extensions py digitpad/app -recursive -no-obsolete -pluralonly -ts digitpad/app/translations/digitpad_en.ts
    (translate the new entries)
    pyside6-lrelease digitpad/app/translations/digitpad_fr.ts -qm digitpad/app/translations/digitpad_fr.qm
    pyside6-lrelease digitpad/app/translations/digitpad_en.ts -qm digitpad/app/translations/digitpad_en.qm

English has translations too, for its plurals only: a count is said through ``self.tr("%n digit(s)", "",
n)`` (or ``"{0} digit(s)"`` filled with :func:`number` where the count may reach the thousands), and
``digitpad_en.ts`` holds the singular and plural of each such text ("1 digit", "2 digits"), installed with
the English interface as the French file is with French.

(tests/test_app_french.py fails while any of these files is out of date).  The context of a text is its
class: code moved to another class needs its texts translated again under the new one (lupdate marks
them unfinished; the French of the same source text elsewhere in the file fits).  lupdate finds only literal texts
passed straight to ``tr``/``translate``: none inside f-strings or through a helper such as
``_tr(text)``, and a function that calls ``QCoreApplication.translate`` must not also call
``self.tr`` (lupdate then files the latter under a wrong context).  Placeholders are ``str.format``
fields (``{0}``), filled in after translation, so that a translation can move them; a number is filled in
written in the app's language by :func:`number` or :func:`percent` ("99.3%", « 99,3 % »), never with a
Python format spec such as ``.1%`` or ``,`` (always English).  The language follows the system
locale unless the user chose one in View → Language, which is remembered in ``settings.json`` in the
user's config folder (with the data folder chosen in the app, `digitpad.app.data_folder`, and Model → Read
with my handwriting, `digitpad.app.session`).  A ``settings.json`` that is not what digitpad wrote (not JSON, the wrong
shape, nested, huge, a folder) is ignored, never fatal: :func:`settings_problem` says why, and the
main window says it once in the status bar.  Qt's own French (standard buttons, file dialogs) comes
with PySide6.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from digitpad.atomic import atomic_write_text, output_path
from digitpad.errors import FileFormatError, OutputFileError
from digitpad.file_reading import read_json_object
from digitpad.user_dirs import user_config_dir

LANGUAGES = {"en": "English", "fr": "Français"}
NUMBER_LOCALES = {"en": "en_US", "fr": "fr_FR"}
"""The locale each language writes its numbers in, whatever the system's: French is written "99,3 %"."""
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
_installed: list[QTranslator] = []
_active = ["en"]
_ever_installed = [False]
MAX_SETTINGS_BYTES = 64 << 10
"""``settings.json`` holds three short entries today (the language, the data folder, reading with the
user's handwriting); a generous bound for what may come."""
SWITCHES = ("read_with_my_handwriting",)
"""The settings that are on or off (JSON true or false): Model → Read with my handwriting (`digitpad.app.session`)."""


def settings_path() -> Path:
    return user_config_dir() / "settings.json"


def _read_settings() -> tuple[dict, str | None]:
    """The settings, checked, and why ``settings.json`` (or a part of it) was ignored, if it was."""
    path = settings_path()
    if not path.exists() and not path.is_symlink():
        return {}, None
    try:
        settings = read_json_object(path, MAX_SETTINGS_BYTES, "settings file")
    except FileFormatError as exc:
        return {}, str(exc)
    language = settings.get("language")
    if language is not None and (not isinstance(language, str) or language not in LANGUAGES):
        settings.pop("language")
        return settings, f"{path}: the language is not one of {', '.join(LANGUAGES)}; ignored"
    folder = settings.get("data_dir")
    if folder is not None and (not isinstance(folder, str) or not folder or "\0" in folder):
        settings.pop("data_dir")
        return settings, f"{path}: the data folder is not a folder's name; ignored"
    for name in SWITCHES:
        if name in settings and not isinstance(settings[name], bool):
            settings.pop(name)
            return settings, f"{path}: {name} is not true or false; ignored"
    return settings, None


def settings_problem() -> str | None:
    """Why ``settings.json`` is ignored (one line naming it), or None when it is fine or absent."""
    return _read_settings()[1]


def chosen_language() -> str | None:
    """The language picked in View → Language, or None to follow the system."""
    return _read_settings()[0].get("language")


def save_language(language: str | None) -> None:
    """Remember the user's language (None: follow the system), atomically; a settings file that was
    ignored is replaced.  :class:`OutputFileError` (one line naming the file) when it cannot be saved."""
    save_setting("language", language)


def setting(name: str) -> str | bool | None:
    """The remembered setting ``name`` (``"language"``, ``"data_dir"``, one of `SWITCHES`: checked), None
    when not set."""
    return _read_settings()[0].get(name)


def save_setting(name: str, value: str | bool | None) -> None:
    """Remember ``value`` as the setting ``name`` (None forgets it), keeping the others, atomically; a
    settings file that was ignored is replaced.  :class:`OutputFileError` (one line naming the file)
    when it cannot be saved."""
    settings = _read_settings()[0]
    if value is None:
        settings.pop(name, None)
    else:
        settings[name] = value
    try:
        settings_path().parent.mkdir(parents=True, exist_ok=True)   # the config folder may not exist yet
        atomic_write_text(output_path(settings_path(), "settings file"), json.dumps(settings, indent=2) + "\n")
    except OSError as exc:  # a read-only config folder, a full disk
        raise OutputFileError(f"{settings_path()}: cannot save the settings ({exc.strerror or exc})") from None


def system_language() -> str:
    """``"fr"`` for a French locale (fr_FR, fr_CA…), else ``"en"``: the default locale, which is the
    system's unless the program set another with ``QLocale.setDefault`` (``QLocale.system()`` ignores it)."""
    name = QLocale().name()
    return "fr" if name.split("_")[0] == "fr" else "en"


def current_language() -> str:
    return chosen_language() or system_language()


def active_language() -> str:
    """The language installed by the last `install_language` (English until then)."""
    return _active[0]


def ensure_language() -> str:
    """Install the active language (English unless one was installed) if none ever was: a window built
    without `install_language` (in the tests, or embedded) still says "1 digit", not "1 digit(s)"."""
    return _active[0] if _ever_installed[0] else install_language(_active[0])


def install_language(language: str) -> str:
    """Make ``language`` the application's language for every string translated from now on
    (windows built afterwards); returns it.  English installs only its plural forms."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_language needs the QApplication: create it first")
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose from {', '.join(LANGUAGES)}")
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _active[0] = language
    _ever_installed[0] = True
    files = [(TRANSLATIONS_DIR, f"digitpad_{language}")]
    if language != "en":   # Qt's own texts are English already
        files.append((QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), f"qtbase_{language}"))
    for folder, name in files:
        translator = QTranslator(app)
        if translator.load(name, str(folder)):
            app.installTranslator(translator)
            _installed.append(translator)
    return language


# --- numbers in the app's language -------------------------------------------------------------------

def number_locale() -> QLocale:
    """The locale of the app's language (not the system's), for every number the app writes."""
    return QLocale(NUMBER_LOCALES[active_language()])


def number(value: float, decimals: int = 0) -> str:
    """``value`` in the app's language, with ``decimals`` decimals and grouped thousands: "55,000",
    "39.1" in English, « 55 000 », « 39,1 » in French."""
    locale = number_locale()
    if decimals == 0:
        return locale.toString(int(round(float(value))))
    text = locale.toString(float(value), "f", decimals)
    zero = locale.toString(0.0, "f", decimals)
    return zero if text == "-" + zero else text   # no "-0.0" for a tiny negative


def significant(value: float, digits: int = 3) -> str:
    """``value`` with ``digits`` significant digits in the app's language ("0.0123", « 0,0123 »)."""
    return number_locale().toString(float(value), "g", digits)


def percent(share: float, decimals: int = 1) -> str:
    """A share (0.993) as a percentage in the app's language: "99.3%", « 99,3 % »."""
    return QCoreApplication.translate("Numbers", "{0}%").format(number(100 * float(share), decimals))
