"""Conv1D, MaxPool1D and GlobalAvgPool1D: layers over sequences (N, C, L), channels by time, as
PyTorch's Conv1d, MaxPool1d and AdaptiveAvgPool1d(1) + flatten (a pen trajectory: x, y, pen state...
sampled at L instants).  BatchNorm (`digitpad.nn.layers`) normalises them per channel, as BatchNorm1d.

Sequences are NCL at the interface.  As Conv2D does for images, Conv1D works channels-last: it returns
the NCL *view* of (N, L, C) memory, and batch norm, pooling and the element-wise layers keep that order,
so the next convolution reads its input (and each convolution's backward its gradient) without reordering.
"""

from __future__ import annotations

import numpy as np

from digitpad.nn import conv1d_kernels
from digitpad.nn import init as initializers
from digitpad.nn.layers import _channel_rows, _column_sums, _rng, route_to_maxima
from digitpad.nn.module import Module


class Conv1D(Module):
    """1-D convolution (cross-correlation, as PyTorch's Conv1d): W (out, in, k), b (out).

    With stride s, zero padding p at both ends, dilation d and xp the padded input::

        out[n, o, y] = b[o] + Σ_c Σ_i W[o, c, i] · xp[n, c, s·y + d·i]      for y < ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1

    Backward (δ = dL/d out)::

        db[o]                 = Σ_ny δ[n, o, y]
        dW[o, c, i]           = Σ_ny δ[n, o, y] · xp[n, c, s·y + d·i]
        dx                    = dxp without its padding, dxp[n, c, s·y + d·i] += Σ_o δ[n, o, y] · W[o, c, i]

    The sums are the patch kernel of `digitpad.nn.conv1d_kernels` (one matrix product per pass over the
    whole batch, held to the readable reference `conv1d_kernels.conv1d`).  The output is the NCL view of
    channels-last memory.  ``needs_input_grad`` false (Sequential clears it on its first layer) skips
    dx: backward returns None.
    """

    no_decay = frozenset({"b"})
    needs_input_grad = True

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0,
                 dilation: int = 1, init: str = "glorot_uniform", rng: np.random.Generator | None = None):
        super().__init__()
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size, self.stride, self.padding = int(kernel_size), int(stride), int(padding)
        self.dilation, self.init = int(dilation), init
        sizes = (self.in_channels, self.out_channels, self.kernel_size, self.stride, self.dilation)
        if min(sizes) < 1 or self.padding < 0:
            raise ValueError(f"Conv1D needs positive channels, kernel_size, stride and dilation and a padding "
                             f"of at least 0, got {self.config()}")
        k = self.kernel_size
        weights = initializers.get_initializer(init)(
            (self.out_channels, self.in_channels, k), self.in_channels * k, self.out_channels * k, _rng(rng))
        self._add_param("W", weights)
        self._add_param("b", np.zeros(self.out_channels, dtype=np.float32))
        self.kernel = conv1d_kernels.Patches1D(self.stride, self.padding, self.dilation)

    def replica(self):
        twin = super().replica()
        twin.kernel = conv1d_kernels.Patches1D(self.stride, self.padding, self.dilation)  # buffers of its own
        return twin

    def forward(self, x):
        return self.kernel.forward(x, self.params["W"], self.params["b"])

    def forward_folded(self, x, scale, shift):
        """``scale · forward(x) + shift`` per output channel, folded into the weights (W·scale,
        b·scale + shift): how a batch norm after this layer costs nothing at inference."""
        return self.kernel.forward(x, self.params["W"] * scale[:, None, None], self.params["b"] * scale + shift)

    def backward(self, grad_out):
        _column_sums(_channel_rows(grad_out), out=self.grads["b"])  # db
        grad_x, grad_w = self.kernel.backward(grad_out, self.params["W"], self.needs_input_grad)  # dx, dW
        self.grads["W"][...] = grad_w
        return grad_x

    def output_shape(self, input_shape):
        if len(input_shape) != 2 or input_shape[0] != self.in_channels:
            raise ValueError(f"Conv1D expects inputs of shape ({self.in_channels}, L), got {tuple(input_shape)}")
        length = conv1d_kernels.output_length(input_shape[1], self.kernel_size, self.stride, self.padding,
                                              self.dilation)
        if length < 1:
            raise ValueError(f"Conv1D kernel {self.kernel_size} (dilation {self.dilation}, padding {self.padding}) "
                             f"does not fit input {tuple(input_shape)}")
        return (self.out_channels, length)

    def config(self):
        return {"in_channels": self.in_channels, "out_channels": self.out_channels,
                "kernel_size": self.kernel_size, "stride": self.stride, "padding": self.padding,
                "dilation": self.dilation, "init": self.init}


class MaxPool1D(Module):
    """Max pooling over windows of k instants (stride defaults to k; a ragged tail is dropped, as in
    PyTorch's MaxPool1d).

    Works on the channels-last view of x (contiguous when x came from Conv1D) and returns channels-last
    memory.  Forward is a running maximum over the k window offsets; backward routes each output's
    gradient to the first offset whose input equals the maximum, so ties send it to one input only.
    """

    def __init__(self, kernel_size: int, stride: int | None = None):
        super().__init__()
        self.kernel_size = int(kernel_size)
        self.stride = self.kernel_size if stride is None else int(stride)
        if self.kernel_size < 1 or self.stride < 1:
            raise ValueError(f"MaxPool1D needs a positive kernel_size and stride, got {self.config()}")

    def _windows(self, lo):
        """For each window offset i: the (N, Lo, C) slice of a channels-last array."""
        s = self.stride
        for i in range(self.kernel_size):
            yield slice(None), slice(i, i + s * (lo - 1) + 1, s), slice(None)

    def forward(self, x):
        lo = (x.shape[2] - self.kernel_size) // self.stride + 1
        xv = x.transpose(0, 2, 1)
        windows = self._windows(lo)
        out = xv[next(windows)].copy(order="C")
        for window in windows:
            np.maximum(out, xv[window], out=out)
        self.x, self.out = xv, out
        return out.transpose(0, 2, 1)

    def backward(self, grad_out):
        n, length, c = self.x.shape
        k, s = self.kernel_size, self.stride
        g = grad_out.transpose(0, 2, 1)
        tiles = k == s  # windows neither overlap nor leave gaps: each input is written once at most
        grad_x = (np.empty if tiles and length % k == 0 else np.zeros)((n, length, c), dtype=grad_out.dtype)
        route_to_maxima(self.x, self.out, g, list(self._windows(self.out.shape[1])), grad_x, tiles)
        return grad_x.transpose(0, 2, 1)

    def output_shape(self, input_shape):
        if len(input_shape) != 2:
            raise ValueError(f"MaxPool1D expects (C, L) inputs, got {tuple(input_shape)}")
        c, length = input_shape
        if length < self.kernel_size:
            raise ValueError(f"MaxPool1D window {self.kernel_size} does not fit input {tuple(input_shape)}")
        return (c, (length - self.kernel_size) // self.stride + 1)

    def config(self):
        return {"kernel_size": self.kernel_size, "stride": self.stride}


class GlobalAvgPool1D(Module):
    """The mean over time, (N, C, L) → (N, C): PyTorch's AdaptiveAvgPool1d(1) then flatten.

    out[n, c] = Σ_y x[n, c, y] / L;  backward: dx[n, c, y] = δ[n, c] / L (channels-last memory)."""

    def forward(self, x):
        self.length = x.shape[2]
        return x.mean(axis=2, dtype=x.dtype)

    def backward(self, grad_out):
        n, c = grad_out.shape
        grad_x = np.empty((n, self.length, c), dtype=grad_out.dtype)
        np.multiply(grad_out[:, None, :], grad_out.dtype.type(1.0 / self.length), out=grad_x)
        return grad_x.transpose(0, 2, 1)

    def output_shape(self, input_shape):
        if len(input_shape) != 2:
            raise ValueError(f"GlobalAvgPool1D expects (C, L) inputs, got {tuple(input_shape)}")
        return (input_shape[0],)
