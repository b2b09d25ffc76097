"""The shipped models (installed as the package data of ``digitpad.models``); see README.md here."""
