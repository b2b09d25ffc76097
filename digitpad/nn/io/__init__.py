"""digitpad.nn.io: models in and out of files, in one place.

==================  ===============================================================================
``model_file``      the digitpad ``.npz`` format, written and read: :func:`save_model`,
                    :func:`load_model` (an ``.onnx`` path goes to the ONNX importer),
                    :func:`read_header` and :func:`read_metadata` (without the weights: the model
                    store's listing), and :class:`ModelArchive`, the bounded reader of every archive
                    (model files and the trainer's checkpoints)
``description``     :func:`build_model`: a network from its JSON description, validated and bounded
``onnx_export``     :func:`export_onnx`: a model as a standard ONNX graph
``onnx_import``     :func:`import_onnx`: an ONNX graph as a model
``checks``          what every reader checks, whatever the format: the limits on what a file may
                    cost, regular files only, and :func:`check_outputs` (finite outputs), run last
==================  ===============================================================================

    from digitpad import nn
    nn.save_model(model, "my.npz"); same = nn.load_model("my.npz")
"""

from digitpad.nn.io.checks import check_outputs, regular_model_file
from digitpad.nn.io.description import build_model
from digitpad.nn.io.model_file import HEADER_KEY, ModelArchive, load_model, read_header, read_metadata, save_model
from digitpad.nn.io.onnx_export import export_onnx
from digitpad.nn.io.onnx_import import import_onnx

__all__ = ["save_model", "load_model", "read_header", "read_metadata", "ModelArchive", "HEADER_KEY", "build_model",
           "export_onnx", "import_onnx", "check_outputs", "regular_model_file"]
