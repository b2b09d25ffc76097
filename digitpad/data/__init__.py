"""What the networks learn from: MNIST (IDX files, download, checksums), augmentation, digits traced
from MNIST into pen strokes, and the user's own taught digits.  Imports :mod:`digitpad.drawing` and
:mod:`digitpad.nn`, never training, evaluation or the app."""
