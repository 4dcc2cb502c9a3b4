"""Tensor layers (a whole batch at once): Linear, Dense, Sequential, activations,
Dropout, BatchNorm1d, Flatten. Convolution and pooling are in ``nn.conv``.

Rows are samples: a ``Linear(nin, nout)`` maps inputs of shape (N, nin) to (N, nout)
as ``x @ W + b`` with ``W`` of shape (nin, nout) — the weight-matrix shape the MNIST
notes draw (784 -> 256 is a 784 x 256 matrix).

    >>> import numpy as np
    >>> from nn import Linear, ReLU, Sequential, manual_seed
    >>> manual_seed(0)
    >>> model = Sequential(Linear(2, 3), ReLU(), Linear(3, 1))
    >>> model(np.ones((4, 2))).shape
    (4, 1)
    >>> model
    Sequential(
      (0): Linear(nin=2, nout=3, init='xavier_uniform')
      (1): ReLU()
      (2): Linear(nin=3, nout=1, init='xavier_uniform')
    )
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from autograd import Tensor, Value
from autograd.batch_norm import batch_norm

from . import init as initialisers
from .arguments import is_real, is_whole
from .keras_names import get_initializer
from .module import Module
from .seeding import generator


def as_tensor(x: Any, dtype: Any = None) -> Tensor:
    """A Tensor as is; numbers and arrays wrapped as a constant input."""
    if isinstance(x, Tensor):
        return x
    array = np.asarray(x, dtype=dtype if dtype is not None else None)
    if array.dtype.kind != "f":
        array = array.astype(np.float64)
    return Tensor(array, role="input")


def _as_node(x: Any) -> Value | Tensor:
    """A Value or Tensor as is (activations work on both engines); data as a Tensor."""
    return x if isinstance(x, Value) else as_tensor(x)


def parameter(array: np.ndarray, label: str, dtype: Any = np.float64) -> Tensor:
    """A trainable Tensor: ``requires_grad=True`` and role ``"parameter"``."""
    return Tensor(np.asarray(array, dtype=dtype), requires_grad=True, label=label,
                  role="parameter")


def _whole(name: str, value: Any, least: int = 1) -> int:
    if not is_whole(value) or value < least:
        raise ValueError(f"{name} must be a whole number >= {least}, got {value!r}")
    return int(value)


class Linear(Module):
    """y = x @ W + b, with W of shape (nin, nout) drawn by ``init`` and b = 0.

    ``init`` names an ``nn.init`` function (default ``"xavier_uniform"``, as Keras's
    Dense; ``"he_normal"`` suits ReLU networks) or is a function shape -> array.
    ``dtype=np.float32`` halves memory and speeds up large models.
    """

    def __init__(self, nin: int, nout: int, bias: bool = True,
                 init: str | Callable[..., np.ndarray] = "xavier_uniform",
                 bias_init: str | Callable[..., np.ndarray] = "zeros",
                 dtype: Any = np.float64) -> None:
        self.nin, self.nout = _whole("nin", nin), _whole("nout", nout)
        self.init = init if isinstance(init, str) else getattr(init, "__name__", "custom")
        self.weight = parameter(initialisers.get(init)((self.nin, self.nout)), "weight", dtype)
        self.bias = parameter(initialisers.get(bias_init)((self.nout,)), "bias", dtype) \
            if bias else None

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x, self.weight.dtype)
        if x.ndim == 0 or x.shape[-1] != self.nin:
            raise ValueError(f"{self.name or 'Linear'} expects inputs of width {self.nin}, got "
                             f"width {x.shape[-1] if x.ndim else 0} (input shape {x.shape})")
        out = x @ self.weight
        return out + self.bias if self.bias is not None else out

    def extra_repr(self) -> str:
        bias = "" if self.bias is not None else ", bias=False"
        return f"nin={self.nin}, nout={self.nout}, init={self.init!r}{bias}"


class ReLU(Module):
    """max(x, 0) elementwise; slope 1 for x > 0, else 0."""

    def forward(self, x: Any) -> Value | Tensor:
        return _as_node(x).relu()


class LeakyReLU(Module):
    """x for x > 0, else slope·x: a small slope keeps 'dead' units learning."""

    def __init__(self, slope: float = 0.01) -> None:
        self.slope = float(slope)

    def forward(self, x: Any) -> Value | Tensor:
        return _as_node(x).leaky_relu(self.slope)

    def extra_repr(self) -> str:
        return f"slope={self.slope:g}"


class Sigmoid(Module):
    """σ(x) = 1 / (1 + e^−x); σ' = σ(1 − σ) <= 1/4, which is why deep sigmoid nets fade."""

    def forward(self, x: Any) -> Value | Tensor:
        return _as_node(x).sigmoid()


class Tanh(Module):
    """tanh(x), zero-centred; tanh' = 1 − tanh² <= 1."""

    def forward(self, x: Any) -> Value | Tensor:
        return _as_node(x).tanh()


class Softmax(Module):
    """e^{x_i} / Σ_j e^{x_j} along ``axis``: scores to probabilities that sum to 1.

    For training, give the raw scores to ``cross_entropy`` instead (it applies a stable
    log-softmax itself); use this layer to read probabilities.
    """

    def __init__(self, axis: int = -1) -> None:
        self.axis = axis

    def forward(self, x: Any) -> Tensor:
        return as_tensor(x).softmax(axis=self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


ACTIVATION_LAYERS: dict[str, type[Module]] = {
    "relu": ReLU, "leaky_relu": LeakyReLU, "sigmoid": Sigmoid, "tanh": Tanh, "softmax": Softmax,
}


class Sequential(Module):
    """Layers applied one after another: ``Sequential(Linear(2, 3), ReLU(), Linear(3, 1))``."""

    def __init__(self, *layers: Module) -> None:
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential takes Modules, got {layer!r:.60} at position {i}")
        self.layers = list(layers)
        for i, layer in enumerate(self.layers):
            if not layer.name:
                layer.name = f"{i}: {type(layer).__name__}"

    def forward(self, x: Any) -> Any:
        for layer in self.layers:
            x = layer(x)
        return x

    def add(self, layer: Module) -> None:
        """Append a layer (Keras's ``model.add``)."""
        if not isinstance(layer, Module):
            raise TypeError(f"Sequential.add takes a Module, got {layer!r:.60}")
        if not layer.name:
            layer.name = f"{len(self.layers)}: {type(layer).__name__}"
        self.layers.append(layer)

    def __getitem__(self, index: int | slice) -> Module:
        """One layer, or for a slice a Sequential of those layers (shared, not copied),
        as PyTorch: ``model[:-1](x)`` runs all but the last layer."""
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)


class Dense(Sequential):
    """Keras's Dense: ``units`` outputs y = activation(x @ W + b), W of shape (n_in, units).

    As in Keras the input size n_in is not given: it is read from the first batch the
    layer sees (or ``model.build((None, n_in))``, or ``input_dim=n_in``); until then the
    layer has no weights and ``summary()`` shows it unbuilt. Once built it holds a
    ``Linear`` and the activation layer. ``kernel_initializer`` and ``bias_initializer``
    take Keras's names (``"random_uniform"`` is U(−0.05, 0.05)) or functions.

        >>> from nn import Dense, manual_seed
        >>> manual_seed(0)
        >>> layer = Dense(3, activation="relu", kernel_initializer="random_uniform")
        >>> layer.built, layer(np.ones((4, 2))).shape, layer.built
        (False, (4, 3), True)
        >>> layer.layers[0].weight.shape
        (2, 3)

    The old spelling ``Dense(nin, nout, activation, init=...)`` still works and warns.
    """

    def __init__(self, units: int, activation: str | None = None,
                 kernel_initializer: str | Callable[..., np.ndarray] = "glorot_uniform",
                 bias_initializer: str | Callable[..., np.ndarray] = "zeros",
                 input_dim: int | None = None, *, use_bias: bool = True,
                 input_shape: tuple | None = None, dtype: Any = np.float64,
                 init: str | Callable[..., np.ndarray] | None = None) -> None:
        if isinstance(activation, (int, np.integer)) and not isinstance(activation, bool):
            units, input_dim, activation, kernel_initializer = _old_dense_spelling(
                units, activation, kernel_initializer, init)
        elif init is not None:
            raise TypeError("Dense(units, ...) takes kernel_initializer=, not init= "
                            "(init= belongs to Linear and to the old Dense(nin, nout) form)")
        self.units = _whole("units", units)
        if isinstance(activation, str) and activation.lower() == "linear":
            activation = None
        if activation is not None and activation not in ACTIVATION_LAYERS:
            raise ValueError(f"unknown activation {activation!r}; choose one of "
                             f"{', '.join(ACTIVATION_LAYERS)}, 'linear' or None")
        self.activation = activation
        self.kernel_initializer = get_initializer(kernel_initializer)
        self.bias_initializer = get_initializer(bias_initializer)
        self.use_bias, self.dtype = bool(use_bias), dtype
        super().__init__()
        if input_shape is not None:
            input_dim = tuple(input_shape)[-1]
        if input_dim is not None:
            self.make_weights(_whole("input_dim", input_dim))

    def weights_made(self) -> bool:
        return bool(self.layers)

    def make_weights(self, nin: int) -> None:
        """Create the ``Linear`` (nin -> units) and the activation layer."""
        linear = Linear(nin, self.units, bias=self.use_bias, init=self.kernel_initializer,
                        bias_init=self.bias_initializer, dtype=self.dtype)
        layers: list[Module] = [linear]
        if self.activation is not None:
            layers.append(ACTIVATION_LAYERS[self.activation]())
        Sequential.__init__(self, *layers)
        if not self.trainable:
            self.trainable = False  # weights made after freeze() are frozen too

    def forward(self, x: Any) -> Tensor:
        if not self.layers:
            x = as_tensor(x, self.dtype)
            if x.ndim < 2:
                raise ValueError(
                    f"Dense({self.units}) cannot infer its input size from inputs of shape "
                    f"{x.shape}: it needs (samples, features); reshape 1-D data with "
                    f"x.reshape(-1, 1), or pass input_dim=")
            self.make_weights(x.shape[-1])
        return super().forward(x)

    def extra_repr(self) -> str:
        nin = self.layers[0].nin if self.layers else "?"
        return f"units={self.units}, activation={self.activation!r}, input_dim={nin}"


def _old_dense_spelling(nin: Any, nout: Any, activation: Any, init: Any) -> tuple:
    """(units, input_dim, activation, kernel_initializer) of ``Dense(nin, nout, activation)``."""
    activation = None if activation == "glorot_uniform" else activation  # not given
    init = "xavier_uniform" if init is None else init
    shown = "" if activation is None else f", activation={activation!r}"
    shown += "" if init == "xavier_uniform" else f", kernel_initializer={init!r}"
    warnings.warn(f"Dense({nin}, {nout}, ...) is the old spelling; write Keras's "
                  f"Dense({nout}{shown}, input_dim={nin}) (or leave input_dim out: it is "
                  f"read from the first batch)", DeprecationWarning, stacklevel=3)
    return nout, nin, activation, init


class Dropout(Module):
    """Inverted dropout: in training, zero each entry with probability p and scale the
    rest by 1 / (1 − p), so the expected value is unchanged; in eval mode, identity.

    Dropping random units stops them from relying on one another (co-adaptation).
    """

    def __init__(self, p: float = 0.5) -> None:
        if not is_real(p) or not 0 <= p < 1:
            raise ValueError(f"dropout probability p must be in [0, 1), got {p!r}")
        self.p = float(p)

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        if not self.training or self.p == 0:
            return x
        keep = generator().random(x.shape) >= self.p
        return x * (keep / (1.0 - self.p)).astype(x.dtype)

    def extra_repr(self) -> str:
        return f"p={self.p:g}"


class BatchNorm1d(Module):
    """Normalise each feature over the batch, then scale and shift (learned γ, β).

        x̂ = (x − μ_B) / sqrt(σ²_B + ε),   y = γ·x̂ + β

    Training uses the batch's mean and (biased) variance and updates running averages
    (running ← (1 − momentum)·running + momentum·batch; the variance stored unbiased,
    as PyTorch); eval mode uses the running statistics, so one sample gives one answer.
    A frozen layer (``trainable = False``, or γ and β both without ``requires_grad``)
    always runs as in eval mode, as in Keras, so fine-tuning does not shift statistics
    the rest of the network was trained with.
    The maths is the one ``batch_norm`` rule of ``autograd`` (one node, its gradient in
    closed form); ``BatchNorm2d`` is this layer over (N, H, W) per channel.
    """

    buffers = ("running_mean", "running_var")
    axes = (0,)  # the axes each feature's mean and variance are taken over: the batch

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1,
                 dtype: Any = np.float64) -> None:
        self.num_features = _whole("num_features", num_features)
        if not 0 < momentum <= 1:
            raise ValueError(f"momentum must be in (0, 1], got {momentum!r}")
        self.eps, self.momentum = float(eps), float(momentum)
        self.weight = parameter(np.ones(self.num_features), "gamma", dtype)
        self.bias = parameter(np.zeros(self.num_features), "beta", dtype)
        self.running_mean = np.zeros(self.num_features)
        self.running_var = np.ones(self.num_features)

    @property
    def _frozen(self) -> bool:
        """Frozen (``trainable = False``, or γ and β want no gradient): the layer then runs
        in inference mode even in training, as Keras's, so its statistics stay put."""
        return not self.trainable or not (self.weight.requires_grad or self.bias.requires_grad)

    def check(self, x: Tensor) -> None:
        """A ValueError unless x is a batch of rows of ``num_features``."""
        if x.ndim != 2 or x.shape[1] != self.num_features:
            hint = " (images take BatchNorm2d)" if x.ndim == 4 else ""
            raise ValueError(f"BatchNorm1d expects inputs of shape (N, {self.num_features}), "
                             f"got {x.shape}{hint}; change num_features or the input")

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x, self.weight.dtype)
        self.check(x)
        if not self.training or self._frozen:
            def per_feature(t: Any) -> Any:  # one number per feature, broadcast over x
                return t if x.ndim == 2 else t.reshape((-1,) + (1,) * (x.ndim - 2))

            scale = (1.0 / np.sqrt(self.running_var + self.eps)).astype(x.dtype)
            x_hat = (x - per_feature(self.running_mean.astype(x.dtype))) * per_feature(scale)
            return x_hat * per_feature(self.weight) + per_feature(self.bias)
        count = x.size // self.num_features
        if count < 2:
            raise ValueError(f"{type(self).__name__} in training mode needs 2 or more numbers "
                             f"per feature to take a variance (got input {x.shape}); use "
                             f"model.eval() or batches of 2 or more")
        stats: dict = {}
        y = batch_norm(x, self.weight, self.bias, axes=self.axes, eps=self.eps, stats=stats)
        m = self.momentum
        self.running_mean = (1 - m) * self.running_mean + m * stats["mean"]
        self.running_var = (1 - m) * self.running_var + m * stats["var"] * count / (count - 1)
        return y

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps:g}, momentum={self.momentum:g}"


class Flatten(Module):
    """(N, C, H, W) -> (N, C·H·W): images to rows for the Linear layers after a CNN."""

    def __init__(self, start_dim: int = 1) -> None:
        self.start_dim = start_dim

    def forward(self, x: Any) -> Tensor:
        return as_tensor(x).flatten(self.start_dim)
