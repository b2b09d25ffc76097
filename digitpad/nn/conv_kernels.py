"""The sums of a 2-D convolution, computed apart from the layer (`digitpad.nn.layers.Conv2D`), as
PyTorch keeps ``F.conv2d`` beside ``nn.Conv2d``.

With stride s, zero padding p and xp the input padded by p on each side (δ = dL/d out)::

    out[n, o, y, x]              = b[o] + Σ_c Σ_ij W[o, c, i, j] · xp[n, c, s·y + i, s·x + j]
    dW[o, c, i, j]               = Σ_nyx δ[n, o, y, x] · xp[n, c, s·y + i, s·x + j]
    dxp[n, c, s·y + i, s·x + j] += Σ_o δ[n, o, y, x] · W[o, c, i, j]        dx = dxp without its border

Three ways to compute them:

* :func:`conv2d` and :func:`conv2d_backward`, the **reference**: im2col written as the formula reads
  (NCHW, ``np.pad``, one window per row), stateless.  The tests hold every fast kernel to it; the
  product never runs it.
* :class:`Patches`, im2col again, fast: channels-last memory, the padded input and the patch matrix
  kept from batch to batch.  Best for few input channels (a first layer), small batches (inference),
  or when shifted rows would compute mostly discarded positions.
* :class:`ShiftedRows`, no patch matrix at all: k² products of the flattened padded input shifted by
  i·Wp + j rows.  Best for many channels over a large batch (the inner layers in training).

:func:`choose` picks one of the two fast kernels for a batch's shape; a layer keeps its kernels (and
their buffers) in a :class:`Workspace`.  A fast kernel's ``forward(x, W, b)`` returns the NCHW view
of channels-last memory; its ``backward(δ, W, input_grad)`` returns ``(dx, dW)``, dx None when
``input_grad`` is false.  The bias gradient is the same for every kernel (Σ δ): the layer takes it.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    """Output positions along one axis: ⌊(size + 2p − k) / s⌋ + 1."""
    return (size + 2 * padding - kernel_size) // stride + 1


# --- the reference: im2col as the formula reads ----------------------------------------------------

def im2col(xp: np.ndarray, kernel_size: int, stride: int = 1) -> np.ndarray:
    """Every (strided) k×k window of a padded NCHW array as one row: (N, Ho, Wo, C·k·k), each row in
    W's (c, i, j) order, so that ``im2col(xp) @ W.reshape(out, -1).T`` is the sum over c, i, j."""
    windows = sliding_window_view(xp, (kernel_size, kernel_size), axis=(2, 3))[:, :, ::stride, ::stride]
    n, c, ho, wo = windows.shape[:4]
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n, ho, wo, c * kernel_size * kernel_size)


def col2im(cols: np.ndarray, padded_shape: tuple[int, ...], kernel_size: int, stride: int = 1) -> np.ndarray:
    """The adjoint of :func:`im2col`: each row's values added back into the window they came from
    (windows overlap, so a position receives the sum over every window that covers it)."""
    n, c, hp, wp = padded_shape
    k, s = kernel_size, stride
    _, ho, wo, _ = cols.shape
    windows = cols.reshape(n, ho, wo, c, k, k)
    xp = np.zeros(padded_shape, dtype=cols.dtype)
    for i in range(k):
        for j in range(k):
            xp[:, :, i:i + s * (ho - 1) + 1:s, j:j + s * (wo - 1) + 1:s] += windows[..., i, j].transpose(0, 3, 1, 2)
    return xp


def _pad(x: np.ndarray, padding: int) -> np.ndarray:
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))


def conv2d(x: np.ndarray, weights: np.ndarray, bias: np.ndarray, stride: int = 1, padding: int = 0) -> np.ndarray:
    """The reference forward: ``out = im2col(xp) · W_flatᵀ + b`` with W_flat (out, C·k·k); NCHW in and out."""
    out_channels, _, k, _ = weights.shape
    cols = im2col(_pad(x, padding), k, stride)
    out = cols @ weights.reshape(out_channels, -1).T + bias
    return out.transpose(0, 3, 1, 2)


def conv2d_backward(x: np.ndarray, weights: np.ndarray, grad_out: np.ndarray, stride: int = 1, padding: int = 0,
                    input_grad: bool = True) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """The reference backward: ``(dx, dW, db)`` for the input x of the forward and δ = ``grad_out``.

    With cols = im2col(xp) and δ as an (N·Ho·Wo, out) matrix: dW_flat = δᵀ·cols, db = Σ_rows δ,
    dcols = δ·W_flat, dx = col2im(dcols) without the padding (None when ``input_grad`` is false)."""
    out_channels, _, k, _ = weights.shape
    xp = _pad(x, padding)
    cols = im2col(xp, k, stride)
    delta = grad_out.transpose(0, 2, 3, 1).reshape(-1, out_channels)
    grad_w = (delta.T @ cols.reshape(len(delta), -1)).reshape(weights.shape)
    grad_b = delta.sum(axis=0)
    if not input_grad:
        return None, grad_w, grad_b
    grad_cols = (delta @ weights.reshape(out_channels, -1)).reshape(cols.shape)
    grad_xp = col2im(grad_cols, xp.shape, k, stride)
    h, w = x.shape[2:]
    return grad_xp[:, :, padding:padding + h, padding:padding + w], grad_w, grad_b


# --- the fast kernels --------------------------------------------------------------------------------

class _Kernel:
    """What the fast kernels share: a stride and a padding; the kernel size comes with the weights."""

    def __init__(self, stride: int = 1, padding: int = 0):
        self.stride, self.padding = int(stride), int(padding)


def _windows(xp: np.ndarray, kernel_size: int, stride: int) -> np.ndarray:
    """The (N, Ho, Wo, k, k, C) view of every (strided) k×k window of a padded NHWC array."""
    return sliding_window_view(xp, (kernel_size, kernel_size), axis=(1, 2),
                               writeable=xp.flags.writeable)[:, ::stride, ::stride].transpose(0, 1, 2, 4, 5, 3)


def _patch_kernel(weights: np.ndarray) -> np.ndarray:
    """Weights (out, C, k, k) as an (out, k·k·C) matrix in the (i, j, c) order of a channels-last patch row."""
    return weights.transpose(0, 2, 3, 1).reshape(len(weights), -1)


class Patches(_Kernel):
    """im2col on channels-last memory: ``cols[n, y, x] = xp[n, s·y:s·y+k, s·x:s·x+k, :]`` (flattened in
    (i, j, c) order) for the output positions only, then with W_flat (out, k·k·C)::

        out = cols · W_flatᵀ + b      dW_flat = δᵀ · cols      dcols = δ · W_flat, added back window by window

    The padded input xp (its border stays zero), its window view and the patch matrix are made once
    per batch shape: for one small image, building the view costs as much as copying the patches."""

    _made: tuple = (None, None)  # (the shape they were made for, (xp, windows, cols))

    def _views(self, shape: tuple[int, ...], dtype: np.dtype,
               kernel_size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The zero-bordered padded input xp (a padded NHWC shape), its window view and the
        (N·Ho·Wo, k·k·C) patch matrix, made when the shape changes."""
        key = (shape, dtype, kernel_size)
        if self._made[0] != key:
            xp = np.zeros(shape, dtype=dtype)
            windows = _windows(xp, kernel_size, self.stride)
            cols = np.empty((int(np.prod(windows.shape[:3])), int(np.prod(windows.shape[3:]))), dtype=dtype)
            self._made = (key, (xp, windows, cols))
        return self._made[1]

    def forward(self, x: np.ndarray, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
        n, c, h, w = x.shape
        o, _, k, _ = weights.shape
        p = self.padding
        self.in_shape = x.shape
        xp, windows, self.cols = self._views((n, h + 2 * p, w + 2 * p, c), x.dtype, k)
        xp[:, p:p + h, p:p + w, :] = x.transpose(0, 2, 3, 1)
        self.cols.reshape(windows.shape)[...] = windows
        out = self.cols @ _patch_kernel(weights).T
        out += bias
        return out.reshape(*windows.shape[:3], o).transpose(0, 3, 1, 2)

    def backward(self, grad_out: np.ndarray, weights: np.ndarray,
                 input_grad: bool = True) -> tuple[np.ndarray | None, np.ndarray]:
        n, c, h, w = self.in_shape
        o, _, k, _ = weights.shape
        p = self.padding
        delta = grad_out.transpose(0, 2, 3, 1).reshape(-1, o)  # a view for channels-last δ
        grad_w = (delta.T @ self.cols).reshape(o, k, k, c).transpose(0, 3, 1, 2)
        if not input_grad:
            return None, grad_w
        grad_xp = np.zeros((n, h + 2 * p, w + 2 * p, c), dtype=grad_out.dtype)
        windows = _windows(grad_xp, k, self.stride)
        grad_cols = (delta @ _patch_kernel(weights)).reshape(windows.shape)
        for i in range(k):  # windows overlap: add offset by offset
            for j in range(k):
                windows[:, :, :, i, j] += grad_cols[:, :, :, i, j]
        return grad_xp[:, p:p + h, p:p + w, :].transpose(0, 3, 1, 2), grad_w


class ShiftedRows(_Kernel):
    """No patch matrix: flatten the padded NHWC input, ``xf[(n·Hp + y)·Wp + x] = xp[n, y, x]``; shifting
    the kernel by (i, j) is a shift of i·Wp + j rows, so with W_ij = W[:, :, i, j]ᵀ (C×out)::

        out[r] = b + Σ_ij xf[r + i·Wp + j] · W_ij
        dW_ij  = Σ_r xf[r + i·Wp + j]ᵀ · δ[r]
        dxf[r] = Σ_ij δ[r − i·Wp − j] · W_ijᵀ        (δ stored after (k−1)(Wp+1) zero rows)

    Rows whose window runs off the image (right and bottom border) are computed and discarded; a
    stride s keeps every s-th valid position.  The sums run block by block of rows, so each block
    (of the running sum, or of δ for dW) stays in cache through its k² products."""

    BLOCK_ROWS = 8192  # rows per block of the shifted-row products

    def __init__(self, stride: int = 1, padding: int = 0):
        super().__init__(stride, padding)
        self._buffers: dict[str, np.ndarray] = {}

    def _buffer(self, name: str, shape: tuple[int, ...], dtype) -> np.ndarray:
        """A buffer kept for the next batch of the same shape, zero-filled when made: a caller that
        writes the same positions every time finds the others still zero (padding, δ's border rows)."""
        buf = self._buffers.get(name)
        if buf is None or buf.shape != shape or buf.dtype != dtype:
            buf = self._buffers[name] = np.zeros(shape, dtype=dtype)
        return buf

    def _shifts(self, wp: int) -> list[int]:
        """Row shift i·Wp + j of every kernel position (i, j), in W's (i, j) order."""
        k = self.kernel_size
        return [i * wp + j for i in range(k) for j in range(k)]

    def _valid(self, flat_rows: np.ndarray) -> np.ndarray:
        """The (N, Ho, Wo, ·) view of the flattened rows that are real (strided) output positions."""
        n, hp, wp = self.padded_shape
        k, s = self.kernel_size, self.stride
        return flat_rows.reshape(n, hp, wp, -1)[:, :hp - k + 1:s, :wp - k + 1:s, :]

    def _shifted_sum(self, src: np.ndarray, shifts: list[int], kernels: np.ndarray, out: np.ndarray) -> None:
        """out[r] = Σ_t src[r + shifts[t]] · kernels[t], a block of rows at a time."""
        block = self.BLOCK_ROWS
        part = np.empty((min(block, len(out)), out.shape[1]), dtype=out.dtype)
        for r0 in range(0, len(out), block):
            rows = out[r0:r0 + block]
            m = len(rows)
            np.matmul(src[r0 + shifts[0]:r0 + shifts[0] + m], kernels[0], out=rows)
            for shift, kernel in zip(shifts[1:], kernels[1:]):
                np.matmul(src[r0 + shift:r0 + shift + m], kernel, out=part[:m])
                rows += part[:m]

    def forward(self, x: np.ndarray, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
        n, c, h, w = x.shape
        o, _, k, _ = weights.shape
        p = self.padding
        hp, wp = h + 2 * p, w + 2 * p
        rows = n * hp * wp
        self.kernel_size, self.in_shape, self.padded_shape = k, x.shape, (n, hp, wp)
        tail = (k - 1) * (wp + 1)  # rows the last shifted products read past the end
        self.xf = self._buffer("xf", (rows + tail, c), x.dtype)
        self.xf[:rows].reshape(n, hp, wp, c)[:, p:p + h, p:p + w, :] = x.transpose(0, 2, 3, 1)
        kernels = np.ascontiguousarray(weights.transpose(2, 3, 1, 0)).reshape(k * k, c, o)
        full = self._buffer("full", (rows, o), x.dtype)
        self._shifted_sum(self.xf, self._shifts(wp), kernels, full)
        out = self._valid(full) + bias
        return out.transpose(0, 3, 1, 2)

    def backward(self, grad_out: np.ndarray, weights: np.ndarray,
                 input_grad: bool = True) -> tuple[np.ndarray | None, np.ndarray]:
        n, c, h, w = self.in_shape
        o, _, k, _ = weights.shape
        p = self.padding
        _, hp, wp = self.padded_shape
        rows = n * hp * wp
        front = (k - 1) * (wp + 1)  # zero rows before δ, read by the shifts back
        delta = self._buffer("delta", (front + rows, o), grad_out.dtype)
        self._valid(delta[front:])[...] = grad_out.transpose(0, 2, 3, 1)
        shifts = self._shifts(wp)
        grad_w = np.zeros((k * k, c, o), dtype=grad_out.dtype)
        part = np.empty((c, o), dtype=grad_out.dtype)
        for r0 in range(0, rows, self.BLOCK_ROWS):  # a block of δ stays in cache for the k² products
            block = delta[front + r0:front + min(r0 + self.BLOCK_ROWS, rows)]
            for t, shift in enumerate(shifts):
                np.matmul(self.xf[r0 + shift:r0 + shift + len(block)].T, block, out=part)
                grad_w[t] += part
        grad_w = grad_w.reshape(k, k, c, o).transpose(3, 2, 0, 1)
        if not input_grad:
            return None, grad_w
        kernels = np.ascontiguousarray(weights.transpose(2, 3, 0, 1)).reshape(k * k, o, c)
        grad_xf = np.empty((rows, c), dtype=grad_out.dtype)
        self._shifted_sum(delta, [front - shift for shift in shifts], kernels, grad_xf)
        return grad_xf.reshape(n, hp, wp, c)[:, p:p + h, p:p + w, :].transpose(0, 3, 1, 2), grad_w


# --- the choice ----------------------------------------------------------------------------------------

PATCH_LIMIT = 1 << 21  # Patches when the patch matrix has at most this many values...
PATCH_CHANNELS = 64    # ...or when C·k² is at most this (whatever the batch)
PATCH_WASTE = 1.35     # ...or when shifted rows would compute 35 % more positions than are output
#                        (a stride > 1, or no padding on a small map: 3×3 on 13×13 computes 40 % more
#                        and is 5 % faster as patches in a training step; padded 14×14, 31 %, is not)


def choose(input_shape: tuple[int, ...], weights_shape: tuple[int, ...], stride: int = 1,
           padding: int = 0) -> type[Patches] | type[ShiftedRows]:
    """The fast kernel for an (N, C, H, W) input and (out, C, k, k) weights: :class:`Patches` when the
    patch matrix is small (few channels, or few images) or shifted rows would mostly compute positions
    that are discarded, :class:`ShiftedRows` otherwise."""
    n, c, h, w = input_shape
    k = weights_shape[-1]
    ho, wo = output_size(h, k, stride, padding), output_size(w, k, stride, padding)
    hp, wp = h + 2 * padding, w + 2 * padding
    if c * k * k <= PATCH_CHANNELS or n * ho * wo * c * k * k <= PATCH_LIMIT or hp * wp > PATCH_WASTE * ho * wo:
        return Patches
    return ShiftedRows


class Workspace:
    """One layer's fast kernels, each made the first time :func:`choose` picks it and kept, with its
    buffers, for the next batch.  Each data-parallel replica of a layer has a workspace of its own."""

    def __init__(self, stride: int = 1, padding: int = 0):
        self.stride, self.padding = int(stride), int(padding)
        self._kernels: dict[type, _Kernel] = {}

    def kernel_for(self, input_shape: tuple[int, ...], weights_shape: tuple[int, ...]) -> Patches | ShiftedRows:
        kind = choose(input_shape, weights_shape, self.stride, self.padding)
        kernel = self._kernels.get(kind)
        if kernel is None:
            kernel = self._kernels[kind] = kind(self.stride, self.padding)
        return kernel
