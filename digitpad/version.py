"""The version of digitpad, in a module of its own so that any part (the engine too) can name it
without importing the package's face, which hands out the upper parts lazily."""

__version__ = "0.1.0"
