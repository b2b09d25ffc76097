"""The app's widgets: the canvas, the network's input, the answers, the explanations and the plots."""
