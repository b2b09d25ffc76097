"""How good a model is: accuracy per digit and confusion matrices, and the stroke-width robustness
study on drawn test digits.  Imports data, drawing and nn; never training or the app."""
