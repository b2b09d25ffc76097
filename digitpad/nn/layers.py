"""Dense, Conv2D, MaxPool2D, Flatten, Dropout and BatchNorm, each with its forward and backward.

Images are NCHW at the interface, as in PyTorch.  Internally Conv2D and MaxPool2D work on a
channels-last (NHWC) view: every convolution is one matrix product over an im2col buffer whose
rows are contiguous patches, and the arrays they return are NCHW *views* of NHWC memory, so the
next layer reads them without copying.
"""

from __future__ import annotations

import numpy as np

from digitpad.nn import init as initializers
from digitpad.nn.module import Module


def _rng(rng: np.random.Generator | None) -> np.random.Generator:
    return initializers.default_rng() if rng is None else rng


class Dense(Module):
    """Fully connected layer: ``A = X · W + b`` with X (m×d), W (d×n), b (n).

    Backward (course notes): dW = Xᵀ·δ, db = Σ_rows δ, dX = δ·Wᵀ.
    """

    def __init__(self, in_features: int, out_features: int, init: str = "glorot_uniform",
                 rng: np.random.Generator | None = None):
        super().__init__()
        self.in_features, self.out_features, self.init = int(in_features), int(out_features), init
        weights = initializers.get_initializer(init)(
            (self.in_features, self.out_features), self.in_features, self.out_features, _rng(rng))
        self._add_param("W", weights)
        self._add_param("b", np.zeros(self.out_features, dtype=np.float32))

    no_decay = frozenset({"b"})

    def forward(self, x):
        self.x = x
        return x @ self.params["W"] + self.params["b"]

    def backward(self, grad_out):
        np.matmul(self.x.T, grad_out, out=self.grads["W"])
        np.sum(grad_out, axis=0, out=self.grads["b"])
        return grad_out @ self.params["W"].T

    def output_shape(self, input_shape):
        if tuple(input_shape) != (self.in_features,):
            raise ValueError(f"Dense expects inputs of shape ({self.in_features},), got {tuple(input_shape)}")
        return (self.out_features,)

    def config(self):
        return {"in_features": self.in_features, "out_features": self.out_features, "init": self.init}


class Conv2D(Module):
    """2-D convolution (cross-correlation, as every framework): W (out, in, k, k), b (out).

    Forward: gather the k×k shifted copies of the (padded, NHWC) input into ``cols`` of shape
    (N·Ho·Wo, k·k·C) — im2col — and multiply by W reshaped to (k·k·C, out).
    Backward: dW = colsᵀ·δ, db = Σ δ, and d(cols) = δ·Wᵀ scattered back onto the input by adding
    each of the k×k slices at its offset (col2im).  Both loops run over the k×k kernel offsets,
    never over samples or pixels.
    """

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

    no_decay = frozenset({"b"})

    def _weight_matrix(self) -> np.ndarray:
        """W as (k·k·C, out), rows ordered (ki, kj, c) like the columns of ``cols``."""
        return self.params["W"].transpose(2, 3, 1, 0).reshape(-1, self.out_channels)

    def _out_size(self, size: int) -> int:
        return (size + 2 * self.padding - self.kernel_size) // self.stride + 1

    def forward(self, x):
        n, c, h, w = x.shape
        k, s, p = self.kernel_size, self.stride, self.padding
        ho, wo = self._out_size(h), self._out_size(w)
        x_nhwc = x.transpose(0, 2, 3, 1)
        if p:
            padded = np.zeros((n, h + 2 * p, w + 2 * p, c), dtype=x.dtype)
            padded[:, p:p + h, p:p + w, :] = x_nhwc
            x_nhwc = padded
        cols = np.empty((n, ho, wo, k, k, c), dtype=x.dtype)
        for i in range(k):
            for j in range(k):
                cols[:, :, :, i, j, :] = x_nhwc[:, i:i + s * ho:s, j:j + s * wo:s, :]
        self.cols = cols.reshape(n * ho * wo, k * k * c)
        self.in_shape = (n, c, h, w)
        out = self.cols @ self._weight_matrix()
        out += self.params["b"]
        return out.reshape(n, ho, wo, self.out_channels).transpose(0, 3, 1, 2)

    def backward(self, grad_out):
        n, c, h, w = self.in_shape
        k, s, p = self.kernel_size, self.stride, self.padding
        ho, wo = grad_out.shape[2], grad_out.shape[3]
        delta = grad_out.transpose(0, 2, 3, 1).reshape(-1, self.out_channels)
        grad_w = self.cols.T @ delta  # (k·k·C, out)
        self.grads["W"][...] = grad_w.reshape(k, k, c, self.out_channels).transpose(3, 2, 0, 1)
        np.sum(delta, axis=0, out=self.grads["b"])
        grad_cols = (delta @ self._weight_matrix().T).reshape(n, ho, wo, k, k, c)
        grad_x = np.zeros((n, h + 2 * p, w + 2 * p, c), dtype=grad_out.dtype)
        for i in range(k):
            for j in range(k):
                grad_x[:, i:i + s * ho:s, j:j + s * wo:s, :] += grad_cols[:, :, :, i, j, :]
        if p:
            grad_x = grad_x[:, p:p + h, p:p + w, :]
        return grad_x.transpose(0, 3, 1, 2)

    def output_shape(self, input_shape):
        if len(input_shape) != 3 or input_shape[0] != self.in_channels:
            raise ValueError(f"Conv2D expects inputs of shape ({self.in_channels}, H, W), got {tuple(input_shape)}")
        ho, wo = self._out_size(input_shape[1]), self._out_size(input_shape[2])
        if ho < 1 or wo < 1:
            raise ValueError(f"Conv2D kernel {self.kernel_size} does not fit input {tuple(input_shape)}")
        return (self.out_channels, ho, wo)

    def config(self):
        return {"in_channels": self.in_channels, "out_channels": self.out_channels,
                "kernel_size": self.kernel_size, "stride": self.stride, "padding": self.padding,
                "init": self.init}


class MaxPool2D(Module):
    """Max pooling over k×k windows (stride defaults to k; a ragged border is dropped, as in PyTorch).

    Forward keeps, for each output, which window offset held the maximum (first one on ties);
    backward routes each gradient to that single input, by broadcasting over the k×k offsets.
    """

    def __init__(self, kernel_size: int, stride: int | None = None):
        super().__init__()
        self.kernel_size = int(kernel_size)
        self.stride = self.kernel_size if stride is None else int(stride)

    def _windows(self, x, ho, wo):
        k, s = self.kernel_size, self.stride
        for i in range(k):
            for j in range(k):
                yield i * k + j, (slice(None), slice(None), slice(i, i + s * ho, s), slice(j, j + s * wo, s))

    def forward(self, x):
        n, c, h, w = x.shape
        k, s = self.kernel_size, self.stride
        ho, wo = (h - k) // s + 1, (w - k) // s + 1
        out = argmax = None
        for offset, window in self._windows(x, ho, wo):
            patch = x[window]
            if out is None:
                out = patch.copy()
                argmax = np.zeros(out.shape, dtype=np.uint8)
                continue
            larger = patch > out
            np.copyto(out, patch, where=larger)
            argmax[larger] = offset
        self.argmax, self.in_shape, self.in_dtype = argmax, x.shape, x.dtype
        return out

    def backward(self, grad_out):
        ho, wo = grad_out.shape[2], grad_out.shape[3]
        grad_x = np.zeros(self.in_shape, dtype=grad_out.dtype)
        for offset, window in self._windows(grad_x, ho, wo):
            grad_x[window] += np.where(self.argmax == offset, grad_out, 0)
        return grad_x

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
        keep = _rng(self.rng).random(x.shape, dtype=np.float32) >= self.p
        self.mask = keep.astype(x.dtype) * x.dtype.type(1.0 / (1.0 - self.p))
        return x * self.mask

    def backward(self, grad_out):
        return grad_out if self.mask is None else grad_out * self.mask

    def config(self):
        return {"p": self.p}


class BatchNorm(Module):
    """Batch normalisation (Ioffe & Szegedy 2015) over (N, C) or (N, C, H, W), per channel.

    Training: x̂ = (x − μ_B) / sqrt(σ²_B + ε), y = γ·x̂ + β, with batch statistics; the running
    estimates move by ``momentum`` towards μ_B and the *unbiased* variance (as PyTorch).
    Eval: the running estimates replace the batch statistics.
    Backward (m values per channel): dx = γ/(m·σ) · (m·dy − Σdy − x̂·Σ(dy·x̂)).
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        self.num_features, self.eps, self.momentum = int(num_features), float(eps), float(momentum)
        self._add_param("gamma", np.ones(self.num_features, dtype=np.float32))
        self._add_param("beta", np.zeros(self.num_features, dtype=np.float32))
        self.buffers["running_mean"] = np.zeros(self.num_features, dtype=np.float32)
        self.buffers["running_var"] = np.ones(self.num_features, dtype=np.float32)

    no_decay = frozenset({"gamma", "beta"})

    @staticmethod
    def _layout(x):
        """Axes reduced over, and the shape that broadcasts a per-channel vector against x."""
        if x.ndim == 2:
            return (0,), (1, -1)
        return (0, 2, 3), (1, -1, 1, 1)

    def forward(self, x):
        axes, bshape = self._layout(x)
        if self.training:
            mean = x.mean(axis=axes)
            var = x.var(axis=axes)
            m = x.size // x.shape[1]
            r = self.momentum
            self.buffers["running_mean"] *= 1 - r
            self.buffers["running_mean"] += r * mean
            self.buffers["running_var"] *= 1 - r
            self.buffers["running_var"] += r * var * (m / max(m - 1, 1))
        else:
            mean, var = self.buffers["running_mean"], self.buffers["running_var"]
        inv_std = (1.0 / np.sqrt(var + self.eps)).astype(x.dtype)
        self.x_hat = (x - mean.reshape(bshape)) * inv_std.reshape(bshape)
        self.inv_std = inv_std
        return self.x_hat * self.params["gamma"].reshape(bshape) + self.params["beta"].reshape(bshape)

    def backward(self, grad_out):
        axes, bshape = self._layout(grad_out)
        m = grad_out.size // grad_out.shape[1]
        np.sum(grad_out, axis=axes, out=self.grads["beta"])
        np.sum(grad_out * self.x_hat, axis=axes, out=self.grads["gamma"])
        if not self.training:  # running statistics are constants
            return grad_out * (self.params["gamma"] * self.inv_std).reshape(bshape)
        scale = (self.params["gamma"] * self.inv_std / m).reshape(bshape)
        return scale * (m * grad_out - self.grads["beta"].reshape(bshape)
                        - self.x_hat * self.grads["gamma"].reshape(bshape))

    def output_shape(self, input_shape):
        if input_shape[0] != self.num_features or len(input_shape) not in (1, 3):
            raise ValueError(f"BatchNorm({self.num_features}) got per-sample shape {tuple(input_shape)}")
        return tuple(input_shape)

    def config(self):
        return {"num_features": self.num_features, "eps": self.eps, "momentum": self.momentum}
