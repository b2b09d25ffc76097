"""The exceptions digitpad raises for user mistakes and bad files.

Every one of them carries a single-line message that names the file or value at fault and, where
possible, says how to fix it.  The CLI and the app show that message and nothing else.
"""


def printable(text: str) -> str:
    """``text`` with line breaks, escape sequences and other control characters written as escapes
    (``\\n``, ``\\x1b``): a file name from a hostile folder can neither break the one-line message
    nor drive the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class DigitpadError(Exception):
    """Base class: a problem the user can understand and fix (bad file, bad value).  Its message is
    always one printable line (see :func:`printable`)."""

    def __str__(self) -> str:
        return printable(super().__str__())


class FileFormatError(DigitpadError):
    """A file cannot be read safely: not a regular file, too large, too deeply nested, not our format."""


class OutputFileError(DigitpadError):
    """A file cannot be written where asked: not a regular file, a missing folder, no permission."""


class ModelFileError(FileFormatError):
    """A model file is missing, damaged, truncated, foreign or does not match its architecture."""


class DatasetError(DigitpadError):
    """An MNIST file is missing, corrupt or foreign, or a download failed."""


class ImageError(DigitpadError):
    """An image cannot be read or is not a usable picture."""


class ArchitectureError(DigitpadError):
    """A model description (preset name or JSON spec) is invalid."""


class TrainingError(DigitpadError):
    """Training cannot start or went wrong (bad data, divergence)."""
