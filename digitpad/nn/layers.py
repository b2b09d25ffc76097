"""Dense, Conv2D, MaxPool2D, Flatten, Dropout and BatchNorm, each with its forward and backward.

Images are NCHW at the interface, as in PyTorch.  Internally Conv2D works channels-last (NHWC):
the arrays it returns are NCHW *views* of NHWC memory, which the element-wise layers, pooling and
the next convolution read without reordering.
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

    no_decay = frozenset({"b"})

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

    The input is laid out channels-last, zero-padded, and flattened to rows of C values:
    ``xf[(n·Hp + y)·Wp + x] = x_padded[n, :, y, x]``.  Shifting the kernel by (i, j) is then a
    shift of i·Wp + j *rows*, so the convolution is k² plain matrix products on contiguous
    slices, with no im2col copy:

        out[r] = b + Σ_ij xf[r + i·Wp + j] · W_ij          (W_ij = W[:, :, i, j]ᵀ, C×out)
        dW_ij  = Σ_r xf[r + i·Wp + j]ᵀ · δ[r]
        dxf[r + i·Wp + j] += δ[r] · W_ijᵀ

    Rows whose window runs off the image (right and bottom border) are computed and discarded;
    a stride s keeps every s-th valid position.  The loops run over the k² kernel offsets only.
    With few input channels the k² slices are first copied side by side into ``cols`` (im2col)
    and multiplied at once.
    """

    no_decay = frozenset({"b"})

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

    def _out_size(self, size: int) -> int:
        return (size + 2 * self.padding - self.kernel_size) // self.stride + 1

    def _gathers_patches(self) -> bool:
        """Few input channels (the first layer): k² products with a tiny inner dimension are slow,
        so copy the k² shifted slices side by side (im2col, cheap when C is small) and multiply once."""
        return self.in_channels * self.kernel_size ** 2 <= 64

    def _offsets(self):
        """(i, j, row shift) for every kernel position."""
        k, wp = self.kernel_size, self.padded_shape[2]
        return [(i, j, i * wp + j) for i in range(k) for j in range(k)]

    def _valid(self, flat_rows: np.ndarray) -> np.ndarray:
        """The (N, Ho, Wo, ·) view of the rows that are real (strided) output positions."""
        n, hp, wp = self.padded_shape
        k, s = self.kernel_size, self.stride
        return flat_rows.reshape(n, hp, wp, -1)[:, :hp - k + 1:s, :wp - k + 1:s, :]

    def forward(self, x):
        n, c, h, w = x.shape
        p, k = self.padding, self.kernel_size
        hp, wp = h + 2 * p, w + 2 * p
        rows = n * hp * wp
        self.padded_shape, self.in_shape = (n, hp, wp), x.shape
        xf = np.zeros((rows + (k - 1) * (wp + 1), c), dtype=x.dtype)
        xf[:rows].reshape(n, hp, wp, c)[:, p:p + h, p:p + w, :] = x.transpose(0, 2, 3, 1)
        self.xf = xf
        kernel = self.params["W"].transpose(2, 3, 1, 0)  # (k, k, C, out)
        if self._gathers_patches():
            self.cols = np.empty((rows, k * k * c), dtype=x.dtype)
            for t, (_, _, shift) in enumerate(self._offsets()):
                self.cols[:, t * c:(t + 1) * c] = xf[shift:shift + rows]
            out = self.cols @ kernel.reshape(-1, self.out_channels)
        else:
            out = None
            for i, j, shift in self._offsets():
                term = xf[shift:shift + rows] @ kernel[i, j]
                if out is None:
                    out = term
                else:
                    out += term
        out = self._valid(out) + self.params["b"]
        return out.transpose(0, 3, 1, 2)

    def backward(self, grad_out):
        n, c, h, w = self.in_shape
        p = self.padding
        _, hp, wp = self.padded_shape
        rows = n * hp * wp
        delta = np.zeros((rows, self.out_channels), dtype=grad_out.dtype)
        self._valid(delta)[...] = grad_out.transpose(0, 2, 3, 1)
        np.sum(grad_out, axis=(0, 2, 3), out=self.grads["b"])
        kernel = self.params["W"].transpose(2, 3, 1, 0)
        grad_kernel = self.grads["W"].transpose(2, 3, 1, 0)  # a view: writes land in grads["W"]
        grad_xf = np.zeros_like(self.xf)
        if self._gathers_patches():
            grad_kernel[...] = (self.cols.T @ delta).reshape(grad_kernel.shape)
            grad_cols = delta @ kernel.reshape(-1, self.out_channels).T
            for t, (_, _, shift) in enumerate(self._offsets()):
                grad_xf[shift:shift + rows] += grad_cols[:, t * c:(t + 1) * c]
        else:
            for i, j, shift in self._offsets():
                np.matmul(self.xf[shift:shift + rows].T, delta, out=grad_kernel[i, j])
                grad_xf[shift:shift + rows] += delta @ kernel[i, j].T
        return grad_xf[:rows].reshape(n, hp, wp, c)[:, p:p + h, p:p + w, :].transpose(0, 3, 1, 2)

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

    no_decay = frozenset({"gamma", "beta"})

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        self.num_features, self.eps, self.momentum = int(num_features), float(eps), float(momentum)
        self._add_param("gamma", np.ones(self.num_features, dtype=np.float32))
        self._add_param("beta", np.zeros(self.num_features, dtype=np.float32))
        self.buffers["running_mean"] = np.zeros(self.num_features, dtype=np.float32)
        self.buffers["running_var"] = np.ones(self.num_features, dtype=np.float32)

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
