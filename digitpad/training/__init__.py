"""How models are made, one word per idea: an **architecture** is a network (`architectures`); a
**config** is one run's settings, the architecture and its hyper-parameters, and a **preset** a config
by name (`config`); the **training set** is what a run trains on, built by steps (`training_set`); the
**trainer** trains on it (`trainer`) and reports its `progress`; `run` is a full run saved with its
model card (`modelcard`), `fine_tune` one on the user's digits.
Imports evaluation, data, reading, drawing and nn; the app and the commands import it."""
