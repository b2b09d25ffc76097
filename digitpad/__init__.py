"""digitpad: a from-scratch NumPy neural network that learns MNIST, and an app to draw digits for it."""

__version__ = "0.1.0"
