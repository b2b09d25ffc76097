"""digitpad.nn: a small NumPy deep-learning engine (layers, activations, losses, optimisers).

    from digitpad import nn
    model = nn.Sequential([nn.Conv2D(1, 32, 3), nn.ReLU(), nn.MaxPool2D(2), nn.Flatten(), nn.Dense(32 * 13 * 13, 10)],
                           input_shape=(1, 28, 28))
    loss = nn.SoftmaxCrossEntropy()
    opt = nn.Adam(model.parameters(), lr=1e-3)
    value, grad = loss(model.forward(x), labels)
    model.backward(grad); opt.step()     # backward writes the gradients afresh: nothing to zero
"""

from digitpad.nn import init
from digitpad.nn.averaging import average_models
from digitpad.nn.activations import ELU, PReLU, LeakyReLU, Maxout, ReLU, Sigmoid, Softmax, Tanh, softmax
from digitpad.nn.init import manual_seed
from digitpad.nn.layers import BatchNorm, Conv2D, Dense, Dropout, Flatten, MaxPool2D
from digitpad.nn.losses import L1, MSE, BinaryCrossEntropy, CrossEntropy, Loss, SoftmaxCrossEntropy
from digitpad.nn.module import Module, Param
from digitpad.nn.parallel import get_num_threads, set_num_threads
from digitpad.nn.optim import SGD, Adagrad, Adam, AdamW, Momentum, Optimizer, RMSprop, make_optimizer
from digitpad.nn.sequence_layers import Conv1D, GlobalAvgPool1D, MaxPool1D
from digitpad.nn.regularization import L1Penalty, L2Penalty
from digitpad.nn.schedules import ConstantLR, CosineLR, OneCycleLR, Schedule, StepLR
from digitpad.nn.sequential import Sequential
from digitpad.nn.io import build_model, export_onnx, import_onnx, load_model, save_model

__all__ = [
    "init", "manual_seed", "set_num_threads", "get_num_threads", "Module", "Param", "Sequential",
    "Dense", "Conv2D", "MaxPool2D", "Flatten", "Dropout", "BatchNorm", "Conv1D", "MaxPool1D", "GlobalAvgPool1D",
    "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "Maxout", "softmax",
    "Loss", "SoftmaxCrossEntropy", "CrossEntropy", "BinaryCrossEntropy", "MSE", "L1",
    "L1Penalty", "L2Penalty",
    "Optimizer", "SGD", "Momentum", "Adagrad", "RMSprop", "Adam", "AdamW", "make_optimizer",
    "Schedule", "ConstantLR", "StepLR", "CosineLR", "OneCycleLR",
    "build_model", "load_model", "save_model", "average_models", "export_onnx", "import_onnx",
]
