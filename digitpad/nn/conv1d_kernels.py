"""The sums of a 1-D convolution over sequences (N, C, L), computed apart from the layer
(`digitpad.nn.sequence_layers.Conv1D`), as `digitpad.nn.conv_kernels` does for images.

With stride s, zero padding p, dilation d and xp the input padded by p at both ends (δ = dL/d out)::

    out[n, o, y]              = b[o] + Σ_c Σ_i W[o, c, i] · xp[n, c, s·y + d·i]
    dW[o, c, i]               = Σ_ny δ[n, o, y] · xp[n, c, s·y + d·i]
    dxp[n, c, s·y + d·i]     += Σ_o δ[n, o, y] · W[o, c, i]           dx = dxp without its padding

Two ways to compute them:

* :func:`conv1d` and :func:`conv1d_backward`, the **reference**: the formula tap by tap (one product
  per kernel position i, NCL, ``np.pad``), stateless.  The tests hold the fast kernel to it and to
  PyTorch; the product never runs it.
* :class:`Patches1D`, im2col on channels-last memory: every output position's window (k taps × C
  channels) copied into one row of a patch matrix kept from batch to batch, so that forward, the weight
  gradient and the input gradient are one matrix product each over the whole batch.

With stride 1 the input gradient is itself a convolution: writing a = d·(k − 1) − p and W̃ the kernel
flipped in time with its channels swapped, W̃[c, o, i] = W[o, c, k − 1 − i]::

    dx[n, c, l] = Σ_o Σ_i W̃[c, o, i] · δa[n, o, l + d·i]         δa = δ padded by a at both ends

so :class:`Patches1D` computes it as the forward of a second patch kernel (padding a, dilation d) on δ:
one product, no overlapping windows to add back (when p ≤ d·(k − 1), as any "same" padding is).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def output_length(length: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Output positions: ⌊(L + 2p − d·(k − 1) − 1) / s⌋ + 1 (what PyTorch's Conv1d gives)."""
    return (length + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1


# --- the reference: the formula, tap by tap -------------------------------------------------------

def _taps(length_out: int, kernel_size: int, stride: int, dilation: int):
    """For each kernel position i: the slice of xp that tap i reads for the outputs y = 0 .. Lo − 1."""
    for i in range(kernel_size):
        start = dilation * i
        yield i, slice(start, start + stride * (length_out - 1) + 1, stride)


def conv1d(x: np.ndarray, weights: np.ndarray, bias: np.ndarray, stride: int = 1, padding: int = 0,
           dilation: int = 1) -> np.ndarray:
    """The reference forward, (N, C, L) → (N, out, Lo): ``out = b + Σ_i W[:, :, i] · xp[:, :, tap i]``."""
    out_channels, _, k = weights.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    lo = output_length(x.shape[2], k, stride, padding, dilation)
    out = np.zeros((len(x), out_channels, lo), dtype=np.result_type(x, weights))
    for i, tap in _taps(lo, k, stride, dilation):
        out += np.einsum("oc,ncy->noy", weights[:, :, i], xp[:, :, tap])
    return out + bias[:, None]


def conv1d_backward(x: np.ndarray, weights: np.ndarray, grad_out: np.ndarray, stride: int = 1, padding: int = 0,
                    dilation: int = 1, input_grad: bool = True) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """The reference backward: ``(dx, dW, db)`` for the input x of the forward and δ = ``grad_out``,
    tap by tap: dW[:, :, i] = Σ_ny δ · xp[tap i], dxp[tap i] += Wᵢᵀ · δ (dx None when ``input_grad``
    is false)."""
    k = weights.shape[2]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    lo = grad_out.shape[2]
    grad_w = np.zeros_like(weights, dtype=np.result_type(x, grad_out))
    grad_xp = np.zeros_like(xp, dtype=grad_w.dtype) if input_grad else None
    for i, tap in _taps(lo, k, stride, dilation):
        grad_w[:, :, i] = np.einsum("noy,ncy->oc", grad_out, xp[:, :, tap])
        if input_grad:
            grad_xp[:, :, tap] += np.einsum("noy,oc->ncy", grad_out, weights[:, :, i])
    grad_b = grad_out.sum(axis=(0, 2))
    grad_x = None if grad_xp is None else grad_xp[:, :, padding:padding + x.shape[2]]
    return grad_x, grad_w, grad_b


# --- the fast kernel -------------------------------------------------------------------------------

class Patches1D:
    """im2col on channels-last memory: ``cols[n·Lo + y] = xp[n, s·y + d·i, c]`` over (i, c) in that
    order, for the output positions only; with W_flat (k·C, out) = W in (i, c) order::

        out = cols · W_flat + b      dW_flat = colsᵀ · δ      dcols = δ · W_flatᵀ, added back tap by tap

    The zero-bordered padded input xp (N, Lp, C), its window view and the patch matrix are made once
    per batch shape and kept (each data-parallel replica of a layer has a kernel of its own).
    ``forward`` returns the NCL view of channels-last (N, Lo, out) memory; ``backward`` returns
    ``(dx, dW)``, dx None when ``input_grad`` is false.  The bias gradient (Σ δ) is the layer's."""

    def __init__(self, stride: int = 1, padding: int = 0, dilation: int = 1):
        self.stride, self.padding, self.dilation = int(stride), int(padding), int(dilation)
        self._made: tuple = (None, None)
        self._transposed: Patches1D | None = None   # the kernel of dx = δ ⋆ W̃ (stride 1)

    def _views(self, shape: tuple[int, int, int], dtype: np.dtype, k: int):
        """(xp, its (N, Lo, k, C) window view, the (N·Lo, k·C) patch matrix) for a padded NLC shape."""
        key = (shape, np.dtype(dtype), k)
        if self._made[0] != key:
            xp = np.zeros(shape, dtype=dtype)
            windows = self._windows(xp, k)
            cols = np.empty((windows.shape[0] * windows.shape[1], k * shape[2]), dtype=dtype)
            self._made = (key, (xp, windows, cols))
        return self._made[1]

    def _windows(self, xp: np.ndarray, k: int) -> np.ndarray:
        """The (N, Lo, k, C) view of every (strided, dilated) window of a padded NLC array."""
        span = self.dilation * (k - 1) + 1
        view = sliding_window_view(xp, span, axis=1, writeable=xp.flags.writeable)  # (N, Lp−span+1, C, span)
        return view[:, ::self.stride, :, ::self.dilation].transpose(0, 1, 3, 2)

    @staticmethod
    def _flat(weights: np.ndarray) -> np.ndarray:
        """Weights (out, C, k) as the (k·C, out) matrix of a patch row's (i, c) order."""
        return weights.transpose(2, 1, 0).reshape(-1, len(weights))

    def forward(self, x: np.ndarray, weights: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
        n, c, length = x.shape
        o, _, k = weights.shape
        p = self.padding
        self.in_shape = x.shape
        xp, windows, self.cols = self._views((n, length + 2 * p, c), x.dtype, k)
        xp[:, p:p + length, :] = x.transpose(0, 2, 1)
        self.cols.reshape(windows.shape)[...] = windows
        out = self.cols @ self._flat(weights)
        if bias is not None:
            out += bias
        return out.reshape(n, -1, o).transpose(0, 2, 1)

    def backward(self, grad_out: np.ndarray, weights: np.ndarray,
                 input_grad: bool = True) -> tuple[np.ndarray | None, np.ndarray]:
        n, c, length = self.in_shape
        o, _, k = weights.shape
        p = self.padding
        delta = grad_out.transpose(0, 2, 1).reshape(-1, o)  # a view for channels-last δ
        grad_w = (self.cols.T @ delta).reshape(k, c, o).transpose(2, 1, 0)
        if not input_grad:
            return None, grad_w
        a = self.dilation * (k - 1) - p
        if self.stride == 1 and a >= 0:  # dx = δ ⋆ W̃, padded by a (the module's docstring)
            if self._transposed is None:
                self._transposed = Patches1D(1, a, self.dilation)
            return self._transposed.forward(grad_out, weights.transpose(1, 0, 2)[:, :, ::-1], None), grad_w
        grad_xp = np.zeros((n, length + 2 * p, c), dtype=grad_out.dtype)
        windows = self._windows(grad_xp, k)
        grad_cols = (delta @ self._flat(weights).T).reshape(windows.shape)
        for i in range(k):  # windows overlap: add tap by tap
            windows[:, :, i, :] += grad_cols[:, :, i, :]
        return grad_xp[:, p:p + length, :].transpose(0, 2, 1), grad_w
