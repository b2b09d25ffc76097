"""Dense, Conv2D, MaxPool2D, Flatten, Dropout and BatchNorm, each with its forward and backward.

Images are NCHW at the interface, as in PyTorch.  Internally Conv2D works channels-last (NHWC):
the arrays it returns are NCHW *views* of NHWC memory.  Batch norm, pooling and the element-wise
layers keep that memory order (forward and backward), so the next convolution reads its input,
and each convolution's backward its gradient, without reordering.
"""

from __future__ import annotations

import numpy as np

from digitpad.nn import conv_kernels
from digitpad.nn import init as initializers
from digitpad.nn.module import Module


def _rng(rng: np.random.Generator | None) -> np.random.Generator:
    return initializers.default_rng() if rng is None else rng


def _channel_rows(x: np.ndarray) -> np.ndarray:
    """The values of x as a (samples × positions, C) matrix with the channels (axis 1) as columns.

    (N, C) passes through; an (N, C, H, W) array gives its (N·H·W, C) matrix, an (N, C, L) sequence its
    (N·L, C) matrix: a view when its memory is channels-last (what Conv2D and Conv1D return), otherwise
    a channels-last copy."""
    if x.ndim == 2:
        return x
    return np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])


_ONES: dict[np.dtype, np.ndarray] = {}


def _column_sums(rows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Σ over the rows of an (m, C) matrix, as the matrix-vector product 1ᵀ·rows: BLAS sums the columns
    of a tall matrix about five times faster than ``rows.sum(axis=0)``."""
    ones = _ONES.get(rows.dtype)
    if ones is None or len(ones) < len(rows):
        ones = _ONES[rows.dtype] = np.ones(len(rows), dtype=rows.dtype)
    return np.matmul(ones[:len(rows)], rows, out=out)


def _from_channel_rows(rows: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Inverse of :func:`_channel_rows`: the NCHW or NCL (view) of an (N·H·W, C) or (N·L, C) channels-last matrix."""
    if len(shape) == 2:
        return rows
    n, c, *positions = shape
    return np.moveaxis(rows.reshape(n, *positions, c), -1, 1)


class Dense(Module):
    """Fully connected layer: ``A = X · W + b`` with X (m×d), W (d×n), b (n).

    Backward (course notes): dW = Xᵀ·δ, db = Σ_rows δ, dX = δ·Wᵀ.  When ``needs_input_grad`` is
    false (Sequential clears it on its first layer with parameters) dX is skipped and None returned.
    """

    no_decay = frozenset({"b"})
    needs_input_grad = True

    def __init__(self, in_features: int, out_features: int, init: str = "glorot_uniform",
                 rng: np.random.Generator | None = None):
        super().__init__()
        self.in_features, self.out_features, self.init = int(in_features), int(out_features), init
        weights = initializers.get_initializer(init)(
            (self.in_features, self.out_features), self.in_features, self.out_features, _rng(rng))
        self._add_param("W", weights)
        self._add_param("b", np.zeros(self.out_features, dtype=np.float32))

    def forward(self, x):
        self.x = x
        out = x @ self.params["W"]
        out += self.params["b"]
        return out

    def forward_folded(self, x, scale, shift):
        """``scale · forward(x) + shift`` per output feature: a batch norm after this layer at
        inference, in one pass over the output (scaling W instead would cost more: W is larger than
        the output of a small batch)."""
        out = self.forward(x)
        out *= scale
        out += shift
        return out

    def backward(self, grad_out):
        np.matmul(self.x.T, grad_out, out=self.grads["W"])
        _column_sums(grad_out, out=self.grads["b"])
        return grad_out @ self.params["W"].T if self.needs_input_grad else None

    def output_shape(self, input_shape):
        if tuple(input_shape) != (self.in_features,):
            raise ValueError(f"Dense expects inputs of shape ({self.in_features},), got {tuple(input_shape)}")
        return (self.out_features,)

    def config(self):
        return {"in_features": self.in_features, "out_features": self.out_features, "init": self.init}


class Conv2D(Module):
    """2-D convolution (cross-correlation, as every framework): W (out, in, k, k), b (out).

    With stride s, zero padding p, and xp the input padded by p on each side::

        out[n, o, y, x] = b[o] + Σ_c Σ_ij W[o, c, i, j] · xp[n, c, s·y + i, s·x + j]

    Backward (δ = dL/d out)::

        db[o]          = Σ_nyx δ[n, o, y, x]
        dW[o, c, i, j] = Σ_nyx δ[n, o, y, x] · xp[n, c, s·y + i, s·x + j]
        dx             = dxp without its border, dxp[n, c, s·y + i, s·x + j] += Σ_o δ[n, o, y, x] · W[o, c, i, j]

    The sums over windows are computed by a kernel of `digitpad.nn.conv_kernels`: im2col patches or
    shifted rows, whichever `conv_kernels.choose` picks for the batch's shape (each held to the
    readable reference `conv_kernels.conv2d`).  The output is the NCHW view of channels-last memory.
    ``needs_input_grad`` false (Sequential clears it on its first layer) skips dx: backward returns None.
    """

    no_decay = frozenset({"b"})
    needs_input_grad = True

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 padding: int = 0, init: str = "glorot_uniform", rng: np.random.Generator | None = None):
        super().__init__()
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size, self.stride, self.padding, self.init = int(kernel_size), int(stride), int(padding), init
        k = self.kernel_size
        fan_in, fan_out = self.in_channels * k * k, self.out_channels * k * k
        weights = initializers.get_initializer(init)(
            (self.out_channels, self.in_channels, k, k), fan_in, fan_out, _rng(rng))
        self._add_param("W", weights)
        self._add_param("b", np.zeros(self.out_channels, dtype=np.float32))
        self.workspace = conv_kernels.Workspace(self.stride, self.padding)

    def replica(self):
        twin = super().replica()
        twin.workspace = conv_kernels.Workspace(self.stride, self.padding)  # buffers of its own
        return twin

    def forward(self, x):
        return self._convolve(x, self.params["W"], self.params["b"])

    def forward_folded(self, x, scale, shift):
        """``scale · forward(x) + shift`` per output channel, folded into the weights (W·scale,
        b·scale + shift): how a batch norm after this layer costs nothing at inference."""
        return self._convolve(x, self.params["W"] * scale[:, None, None, None], self.params["b"] * scale + shift)

    def _convolve(self, x, weights, bias):
        self.kernel = self.workspace.kernel_for(x.shape, weights.shape)  # Patches or ShiftedRows
        return self.kernel.forward(x, weights, bias)

    def backward(self, grad_out):
        _column_sums(_channel_rows(grad_out), out=self.grads["b"])  # db: the same for every kernel
        grad_x, grad_w = self.kernel.backward(grad_out, self.params["W"], self.needs_input_grad)  # dx, dW
        self.grads["W"][...] = grad_w
        return grad_x

    def output_shape(self, input_shape):
        if len(input_shape) != 3 or input_shape[0] != self.in_channels:
            raise ValueError(f"Conv2D expects inputs of shape ({self.in_channels}, H, W), got {tuple(input_shape)}")
        ho, wo = (conv_kernels.output_size(size, self.kernel_size, self.stride, self.padding)
                  for size in input_shape[1:])
        if ho < 1 or wo < 1:
            raise ValueError(f"Conv2D kernel {self.kernel_size} does not fit input {tuple(input_shape)}")
        return (self.out_channels, ho, wo)

    def config(self):
        return {"in_channels": self.in_channels, "out_channels": self.out_channels,
                "kernel_size": self.kernel_size, "stride": self.stride, "padding": self.padding,
                "init": self.init}


def route_to_maxima(x: np.ndarray, out: np.ndarray, g: np.ndarray, windows: list, grad_x: np.ndarray,
                    tiles: bool) -> None:
    """Max pooling's backward, for any number of spatial axes (channels-last arrays): each output's
    gradient ``g`` goes to the first window offset (in ``windows`` order) whose input ``x[window]`` equals
    the maximum ``out``, so ties send it to one input only.  ``grad_x`` is written where windows ``tiles``
    the input (each input in one window at most), accumulated otherwise (it must start at zero)."""
    unrouted = np.ones(out.shape, dtype=bool)
    hit = np.empty_like(unrouted)
    for t, window in enumerate(windows):
        if t == len(windows) - 1:  # whatever is still unrouted has its maximum here
            hit = unrouted
        else:
            np.equal(x[window], out, out=hit)
            if t:
                hit &= unrouted
            np.logical_xor(unrouted, hit, out=unrouted)  # unrouted and not hit (hit ⊆ unrouted)
        if tiles:
            np.multiply(g, hit, out=grad_x[window])
        else:
            grad_x[window] += g * hit


class MaxPool2D(Module):
    """Max pooling over k×k windows (stride defaults to k; a ragged border is dropped, as in PyTorch).

    Works on the channels-last view of x (contiguous when x came from Conv2D) and returns
    channels-last memory.  Forward is a running maximum over the k² window offsets; backward routes
    each output's gradient to the first offset (in row-major window order) whose input equals the
    maximum, so ties send it to one input only.
    """

    def __init__(self, kernel_size: int, stride: int | None = None):
        super().__init__()
        self.kernel_size = int(kernel_size)
        self.stride = self.kernel_size if stride is None else int(stride)

    def _windows(self, ho, wo):
        """For each window offset (i, j): the (N, Ho, Wo, C) slice of a channels-last array."""
        k, s = self.kernel_size, self.stride
        for i in range(k):
            for j in range(k):
                yield slice(None), slice(i, i + s * (ho - 1) + 1, s), slice(j, j + s * (wo - 1) + 1, s), slice(None)

    def forward(self, x):
        n, c, h, w = x.shape
        k, s = self.kernel_size, self.stride
        ho, wo = (h - k) // s + 1, (w - k) // s + 1
        xv = x.transpose(0, 2, 3, 1)
        windows = self._windows(ho, wo)
        out = xv[next(windows)].copy(order="C")
        for window in windows:
            np.maximum(out, xv[window], out=out)
        self.x, self.out = xv, out
        return out.transpose(0, 3, 1, 2)

    def backward(self, grad_out):
        n, h, w, c = self.x.shape
        k, s = self.kernel_size, self.stride
        g = grad_out.transpose(0, 2, 3, 1)
        tiles = k == s  # windows neither overlap nor leave gaps: each input is written once at most
        covered = tiles and h % k == 0 and w % k == 0
        grad_x = (np.empty if covered else np.zeros)((n, h, w, c), dtype=grad_out.dtype)
        route_to_maxima(self.x, self.out, g, list(self._windows(*self.out.shape[1:3])), grad_x, tiles)
        return grad_x.transpose(0, 3, 1, 2)

    def output_shape(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"MaxPool2D expects (C, H, W) inputs, got {tuple(input_shape)}")
        c, h, w = input_shape
        k, s = self.kernel_size, self.stride
        if h < k or w < k:
            raise ValueError(f"MaxPool2D window {k} does not fit input {tuple(input_shape)}")
        return (c, (h - k) // s + 1, (w - k) // s + 1)

    def config(self):
        return {"kernel_size": self.kernel_size, "stride": self.stride}


class Flatten(Module):
    """(N, C, H, W) → (N, C·H·W) in NCHW order, so weights compare with PyTorch's."""

    def forward(self, x):
        self.in_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_out):
        return grad_out.reshape(self.in_shape)

    def output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)


class Dropout(Module):
    """Inverted dropout: in training keep each unit with probability 1−p and scale it by 1/(1−p),
    so the expected activation is unchanged; in eval mode it is the identity."""

    def __init__(self, p: float = 0.5, rng: np.random.Generator | None = None):
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout probability must be in [0, 1), got {p}")
        self.p = float(p)
        self.rng = rng

    def forward(self, x):
        if not self.training or self.p == 0.0:
            self.mask = None
            return x
        def draw(shape):
            return _rng(self.rng).random(shape, dtype=np.float32) >= self.p

        if self.shard is None:
            keep = draw(x.shape)
        else:  # the whole batch's mask, drawn once as unsharded (same generator, same numbers)
            keep = self.shard.rows_of(lambda: draw((self.shard.batch_size, *x.shape[1:])))
        self.mask = keep * x.dtype.type(1.0 / (1.0 - self.p))  # in x's dtype
        return x * self.mask

    def backward(self, grad_out):
        return grad_out if self.mask is None else grad_out * self.mask

    def config(self):
        return {"p": self.p}


class BatchNorm(Module):
    """Batch normalisation (Ioffe & Szegedy 2015) over (N, C), (N, C, L) or (N, C, H, W), per channel
    (PyTorch's BatchNorm1d on 2-D and 3-D inputs, BatchNorm2d on images).

    Training: x̂ = (x − μ_B) / sqrt(σ²_B + ε), y = γ·x̂ + β, with batch statistics; the running
    estimates move by ``momentum`` towards μ_B and the *unbiased* variance (as PyTorch).
    Eval: the running estimates replace the batch statistics.
    Backward (m values per channel): dx = γ/σ · (dy − Σdy/m − x̂·Σ(dy·x̂)/m).

    Images and sequences are handled as their (N·H·W, C) or (N·L, C) channels-last matrix (a view of
    Conv2D's or Conv1D's output), so the statistics are column reductions of contiguous memory; the output is channels-last memory too.
    """

    no_decay = frozenset({"gamma", "beta"})

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        self.num_features, self.eps, self.momentum = int(num_features), float(eps), float(momentum)
        self._add_param("gamma", np.ones(self.num_features, dtype=np.float32))
        self._add_param("beta", np.zeros(self.num_features, dtype=np.float32))
        self.buffers["running_mean"] = np.zeros(self.num_features, dtype=np.float32)
        self.buffers["running_var"] = np.ones(self.num_features, dtype=np.float32)

    def forward(self, x):
        v = _channel_rows(x)  # (m, C): channels as columns, a view for Conv2D's channels-last output
        if self.training:  # statistics of the whole batch, also when it runs in shards
            self.count = m = self._batch_total(len(v))
            mean = self._batch_total(_column_sums(v)) / m
            centred = v - mean
            var = self._batch_total(np.einsum("ij,ij->j", centred, centred)) / m
            if self.shard is None or self.shard.leader:
                r = self.momentum
                self.buffers["running_mean"] *= 1 - r
                self.buffers["running_mean"] += r * mean
                self.buffers["running_var"] *= 1 - r
                self.buffers["running_var"] += r * var * (m / max(m - 1, 1))
        else:
            mean, var = self.buffers["running_mean"], self.buffers["running_var"]
            centred = v - mean
        self.inv_std = (1.0 / np.sqrt(var + self.eps)).astype(x.dtype)
        self.x_hat = centred
        self.x_hat *= self.inv_std
        out = self.x_hat * self.params["gamma"]
        out += self.params["beta"]
        return _from_channel_rows(out, x.shape)

    def inference_affine(self) -> tuple[np.ndarray, np.ndarray]:
        """(scale, shift) such that the eval-mode output is ``scale · x + shift`` per channel:
        scale = γ / sqrt(running variance + ε), shift = β − running mean · scale."""
        scale = self.params["gamma"] / np.sqrt(self.buffers["running_var"] + np.float32(self.eps))
        return scale, self.params["beta"] - self.buffers["running_mean"] * scale

    def backward(self, grad_out):
        dy = _channel_rows(grad_out)
        _column_sums(dy, out=self.grads["beta"])  # a shard's grads are its part of the batch's sums
        np.einsum("ij,ij->j", dy, self.x_hat, out=self.grads["gamma"])
        scale = self.params["gamma"] * self.inv_std
        if not self.training:  # running statistics are constants
            return _from_channel_rows(dy * scale, grad_out.shape)
        m = self.count
        grad = np.multiply(self.x_hat, self._batch_total(self.grads["gamma"]) / m)
        grad += self._batch_total(self.grads["beta"]) / m
        np.subtract(dy, grad, out=grad)
        grad *= scale
        return _from_channel_rows(grad, grad_out.shape)

    def output_shape(self, input_shape):
        if input_shape[0] != self.num_features or len(input_shape) not in (1, 2, 3):
            raise ValueError(f"BatchNorm({self.num_features}) got per-sample shape {tuple(input_shape)}")
        return tuple(input_shape)

    def config(self):
        return {"num_features": self.num_features, "eps": self.eps, "momentum": self.momentum}
