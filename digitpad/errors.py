"""The exceptions digitpad raises for user mistakes and bad files.

Every one of them carries a single-line message that names the file or value at fault and, where
possible, says how to fix it.  The CLI and the app show that message and nothing else.
"""


class DigitpadError(Exception):
    """Base class: a problem the user can understand and fix (bad file, bad value)."""


class ModelFileError(DigitpadError):
    """A model file is missing, damaged, truncated, foreign or does not match its architecture."""


class DatasetError(DigitpadError):
    """An MNIST file is missing, corrupt or foreign, or a download failed."""


class ImageError(DigitpadError):
    """An image cannot be read or is not a usable picture."""


class ArchitectureError(DigitpadError):
    """A model description (preset name or JSON spec) is invalid."""


class TrainingError(DigitpadError):
    """Training cannot start or went wrong (bad data, divergence)."""
