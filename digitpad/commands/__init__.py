"""Subcommands of the `digitpad` CLI, one module each; see :mod:`digitpad.cli`."""
