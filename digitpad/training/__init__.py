"""How models are made: architectures and presets, the training-set recipe, the trainer, a full run
with its model card, fine-tuning on the user's digits, and the store of shipped and user models.
Imports evaluation, data, drawing and nn; the app and the commands import it."""
