"""Drawings and what the network sees of them: strokes and their rendering, pictures read from files
and arrays, the MNIST-style 28x28 preprocessing and stroke normalisation.  Imports only
:mod:`digitpad.nn` and the shared helpers."""
