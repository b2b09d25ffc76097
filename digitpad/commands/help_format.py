"""The commands' ``--help``: every option shows its default."""

from __future__ import annotations

import argparse


class DefaultsHelpFormatter(argparse.HelpFormatter):
    """Appends "(default: X)" to an option's help; an option whose default is None says in its own help
    what None means ("(default: the preset's)"), and on/off flags are off unless given."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "(default" in text or action.default in (None, argparse.SUPPRESS) or action.nargs == 0:
            return text
        return text + " (default: %(default)s)"
