"""Dense, Conv2D, MaxPool2D, Flatten, Dropout and BatchNorm, each with its forward and backward.

Images are NCHW at the interface, as in PyTorch.  Internally Conv2D works channels-last (NHWC):
the arrays it returns are NCHW *views* of NHWC memory.  Batch norm, pooling and the element-wise
layers keep that memory order (forward and backward), so the next convolution reads its input,
and each convolution's backward its gradient, without reordering.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from digitpad.nn import init as initializers
from digitpad.nn.module import Module


def _rng(rng: np.random.Generator | None) -> np.random.Generator:
    return initializers.default_rng() if rng is None else rng


def _channel_rows(x: np.ndarray) -> np.ndarray:
    """The values of x as a (samples × positions, C) matrix with the channels (axis 1) as columns.

    (N, C) passes through; an (N, C, H, W) array gives its (N·H·W, C) matrix: a view when its
    memory is channels-last (what Conv2D returns), otherwise a channels-last copy."""
    return x if x.ndim == 2 else x.transpose(0, 2, 3, 1).reshape(-1, x.shape[1])


_ONES: dict[np.dtype, np.ndarray] = {}


def _column_sums(rows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Σ over the rows of an (m, C) matrix, as the matrix-vector product 1ᵀ·rows: BLAS sums the columns
    of a tall matrix about five times faster than ``rows.sum(axis=0)``."""
    ones = _ONES.get(rows.dtype)
    if ones is None or len(ones) < len(rows):
        ones = _ONES[rows.dtype] = np.ones(len(rows), dtype=rows.dtype)
    return np.matmul(ones[:len(rows)], rows, out=out)


def _from_channel_rows(rows: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Inverse of :func:`_channel_rows`: the NCHW (view) of a (N·H·W, C) channels-last matrix."""
    if len(shape) == 2:
        return rows
    n, c, h, w = shape
    return rows.reshape(n, h, w, c).transpose(0, 3, 1, 2)


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

    The input is copied channels-last into a zero-padded buffer ``xp`` (N, Hp, Wp, C), reused
    from batch to batch while the shape stays the same (its border stays zero).  Two ways to
    multiply, both plain matrix products on contiguous memory:

    * Patches (im2col), when the patch matrix is small (few input channels, as in a first layer,
      or a few images, as in inference), or when shifted rows would mostly compute positions that are
      discarded (a stride, or no padding on a small map): ``cols[n, y, x] = xp[n, s·y:s·y+k, s·x:s·x+k, :]`` (flattened
      in (i, j, c) order) for the real output positions only, then with W_flat (out, k·k·C):
      ``out = cols · W_flatᵀ + b``, dW_flat = δᵀ·cols, dcols = δ·W_flat added back window by window.
    * Shifted rows otherwise, with no copy: flatten ``xf[(n·Hp + y)·Wp + x] = xp[n, y, x]``; shifting
      the kernel by (i, j) is a shift of i·Wp + j rows, so with W_ij = W[:, :, i, j]ᵀ (C×out)

          out[r] = b + Σ_ij xf[r + i·Wp + j] · W_ij
          dW_ij  = Σ_r xf[r + i·Wp + j]ᵀ · δ[r]
          dxf[r] = Σ_ij δ[r − i·Wp − j] · W_ijᵀ        (δ stored after (k−1)(Wp+1) zero rows)

      Rows whose window runs off the image (right and bottom border) are computed and discarded;
      a stride s keeps every s-th valid position.  The sums run block by block of rows, so each
      block (of the running sum, or of δ for dW) stays in cache through its k² products.

    ``needs_input_grad`` false (Sequential clears it on its first layer) skips dx: backward returns None.
    """

    no_decay = frozenset({"b"})
    needs_input_grad = True
    PATCH_LIMIT = 1 << 21  # im2col when the patch matrix has at most this many values...
    PATCH_CHANNELS = 64    # ...or when C·k² is at most this (whatever the batch)
    PATCH_WASTE = 1.35     # ...or when shifted rows would compute 35 % more positions than are output
    #                        (a stride > 1, or no padding on a small map: 3×3 on 13×13 computes 40 % more
    #                        and is 5 % faster as patches in a training step; padded 14×14, 31 %, is not)
    BLOCK_ROWS = 8192      # rows per block of the shifted-row products

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
        self._scratch: dict[str, np.ndarray] = {}
        self._patch_cache: tuple | None = None

    def replica(self):
        twin = super().replica()
        twin._scratch, twin._patch_cache = {}, None  # buffers of its own
        return twin

    def _out_size(self, size: int) -> int:
        return (size + 2 * self.padding - self.kernel_size) // self.stride + 1

    def _buffer(self, name: str, shape: tuple[int, ...], dtype) -> np.ndarray:
        """A buffer kept for the next batch of the same shape, zero-filled when made: a caller that
        writes the same positions every time finds the others still zero (padding, δ's border rows)."""
        buf = self._scratch.get(name)
        if buf is None or buf.shape != shape or buf.dtype != dtype:
            buf = self._scratch[name] = np.zeros(shape, dtype=dtype)
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

    def _windows(self, xp: np.ndarray) -> np.ndarray:
        """The (N, Ho, Wo, k, k, C) view of every (strided) k×k window of a padded NHWC array."""
        s = self.stride
        return sliding_window_view(xp, (self.kernel_size,) * 2, axis=(1, 2),
                                   writeable=xp.flags.writeable)[:, ::s, ::s].transpose(0, 1, 2, 4, 5, 3)

    def _patch_views(self, xp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The window view of the padded input buffer ``xp`` and the (N·Ho·Wo, k·k·C) patch matrix it is
        copied into, made once per buffer: for one small image, building the view costs as much as
        copying the patches."""
        key = (id(self.xf), xp.shape)
        if self._patch_cache is None or self._patch_cache[0] != key:
            windows = self._windows(xp)
            cols = self._buffer("cols", windows.shape, xp.dtype).reshape(-1, np.prod(windows.shape[3:]))
            self._patch_cache = (key, windows, cols)
        return self._patch_cache[1], self._patch_cache[2]

    def _patch_kernel(self, weights: np.ndarray) -> np.ndarray:
        """Weights (out, C, k, k) as an (out, k·k·C) matrix in the (i, j, c) order of a patch row."""
        return weights.transpose(0, 2, 3, 1).reshape(self.out_channels, -1)

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

    def forward(self, x):
        return self._convolve(x, self.params["W"], self.params["b"])

    def forward_folded(self, x, scale, shift):
        """``scale · forward(x) + shift`` per output channel, folded into the weights (W·scale,
        b·scale + shift): how a batch norm after this layer costs nothing at inference."""
        return self._convolve(x, self.params["W"] * scale[:, None, None, None], self.params["b"] * scale + shift)

    def _convolve(self, x, weights, bias):
        n, c, h, w = x.shape
        p, k, o = self.padding, self.kernel_size, self.out_channels
        ho, wo = self._out_size(h), self._out_size(w)
        hp, wp = h + 2 * p, w + 2 * p
        rows = n * hp * wp
        self.padded_shape, self.in_shape = (n, hp, wp), x.shape
        self.patches = (c * k * k <= self.PATCH_CHANNELS or n * ho * wo * c * k * k <= self.PATCH_LIMIT
                        or hp * wp > self.PATCH_WASTE * ho * wo)
        tail = 0 if self.patches else (k - 1) * (wp + 1)  # rows the last shifted products read past the end
        self.xf = self._buffer("xf", (rows + tail, c), x.dtype)
        xp = self.xf[:rows].reshape(n, hp, wp, c)
        xp[:, p:p + h, p:p + w, :] = x.transpose(0, 2, 3, 1)
        if self.patches:
            windows, self.cols = self._patch_views(xp)
            self.cols.reshape(windows.shape)[...] = windows
            out = self.cols @ self._patch_kernel(weights).T
            out += bias
            return out.reshape(n, ho, wo, o).transpose(0, 3, 1, 2)
        kernels = np.ascontiguousarray(weights.transpose(2, 3, 1, 0)).reshape(k * k, c, o)
        full = self._buffer("full", (rows, o), x.dtype)
        self._shifted_sum(self.xf, self._shifts(wp), kernels, full)
        out = self._valid(full) + bias
        return out.transpose(0, 3, 1, 2)

    def backward(self, grad_out):
        n, c, h, w = self.in_shape
        p, k, o = self.padding, self.kernel_size, self.out_channels
        _, hp, wp = self.padded_shape
        rows = n * hp * wp
        grad_rows = _channel_rows(grad_out)
        _column_sums(grad_rows, out=self.grads["b"])
        if self.patches:
            delta = grad_rows
            grad_w = delta.T @ self.cols  # (out, k·k·C)
            self.grads["W"][...] = grad_w.reshape(o, k, k, c).transpose(0, 3, 1, 2)
            if not self.needs_input_grad:
                return None
            grad_xp = np.zeros((n, hp, wp, c), dtype=grad_out.dtype)
            windows = self._windows(grad_xp)
            grad_cols = (delta @ self._patch_kernel(self.params["W"])).reshape(windows.shape)
            for i in range(k):  # windows overlap: add offset by offset
                for j in range(k):
                    windows[:, :, :, i, j] += grad_cols[:, :, :, i, j]
        else:
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
            self.grads["W"][...] = grad_w.reshape(k, k, c, o).transpose(3, 2, 0, 1)
            if not self.needs_input_grad:
                return None
            kernels = np.ascontiguousarray(self.params["W"].transpose(2, 3, 0, 1)).reshape(k * k, o, c)
            grad_xp = np.empty((rows, c), dtype=grad_out.dtype)
            self._shifted_sum(delta, [front - shift for shift in shifts], kernels, grad_xp)
            grad_xp = grad_xp.reshape(n, hp, wp, c)
        return grad_xp[:, p:p + h, p:p + w, :].transpose(0, 3, 1, 2)

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
        windows = list(self._windows(*self.out.shape[1:3]))
        unrouted = np.ones(self.out.shape, dtype=bool)
        hit = np.empty_like(unrouted)
        for t, window in enumerate(windows):
            if t == len(windows) - 1:  # whatever is still unrouted has its maximum here
                hit = unrouted
            else:
                np.equal(self.x[window], self.out, out=hit)
                if t:
                    hit &= unrouted
                np.logical_xor(unrouted, hit, out=unrouted)  # unrouted and not hit (hit ⊆ unrouted)
            if tiles:
                np.multiply(g, hit, out=grad_x[window])
            else:
                grad_x[window] += g * hit
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
    """Batch normalisation (Ioffe & Szegedy 2015) over (N, C) or (N, C, H, W), per channel.

    Training: x̂ = (x − μ_B) / sqrt(σ²_B + ε), y = γ·x̂ + β, with batch statistics; the running
    estimates move by ``momentum`` towards μ_B and the *unbiased* variance (as PyTorch).
    Eval: the running estimates replace the batch statistics.
    Backward (m values per channel): dx = γ/σ · (dy − Σdy/m − x̂·Σ(dy·x̂)/m).

    Images are handled as their (N·H·W, C) channels-last matrix (a view of Conv2D's output), so the
    statistics are column reductions of contiguous memory; the output is channels-last memory too.
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
        if input_shape[0] != self.num_features or len(input_shape) not in (1, 3):
            raise ValueError(f"BatchNorm({self.num_features}) got per-sample shape {tuple(input_shape)}")
        return tuple(input_shape)

    def config(self):
        return {"num_features": self.num_features, "eps": self.eps, "momentum": self.momentum}
