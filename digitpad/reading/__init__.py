"""reading: the model catalogue and the seam from a drawing to an answer."""
