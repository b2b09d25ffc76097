"""The digitpad desktop app (PySide6)."""
