"""Where the user's own files live: trained models, taught digits and settings.

``$DIGITPAD_MODELS_DIR`` and ``$DIGITPAD_PERSONAL_DIR`` override each folder; otherwise both sit in
``$XDG_DATA_HOME/digitpad`` (``~/.local/share/digitpad``), the personal digits next to the models.
"""

from __future__ import annotations

import os
from pathlib import Path

from digitpad.errors import OutputFileError


def user_models_dir() -> Path:
    if os.environ.get("DIGITPAD_MODELS_DIR"):
        return Path(os.environ["DIGITPAD_MODELS_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "digitpad" / "models"


def made_user_models_dir() -> Path:
    """The user models folder, created if it is missing: the one folder digitpad makes on its own to
    save a model (any other missing folder is refused).  :class:`OutputFileError` if it cannot be."""
    folder = user_models_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputFileError(f"{folder}: cannot create the models folder ({exc.strerror or exc})") from None
    return folder


def personal_dir() -> Path:
    """``$DIGITPAD_PERSONAL_DIR``, else ``personal/`` next to the user models folder."""
    if os.environ.get("DIGITPAD_PERSONAL_DIR"):
        return Path(os.environ["DIGITPAD_PERSONAL_DIR"])
    return user_models_dir().parent / "personal"


def user_config_dir() -> Path:
    """``$DIGITPAD_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/digitpad`` (``~/.config/digitpad``): settings."""
    if os.environ.get("DIGITPAD_CONFIG_DIR"):
        return Path(os.environ["DIGITPAD_CONFIG_DIR"])
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "digitpad"
