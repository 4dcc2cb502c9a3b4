"""``Tensor``: a numpy array in the computation graph.

    >>> import numpy as np
    >>> from autograd import Tensor
    >>> x = Tensor([[1.0, -2.0], [3.0, 4.0]], requires_grad=True, label="x")
    >>> w = Tensor([[0.5], [-1.0]], requires_grad=True, label="w")
    >>> loss = (x @ w).relu().sum()
    >>> loss.backward()
    >>> x.grad                                # d loss / d x = relu'(x@w) · wᵀ
    array([[ 0.5, -1. ],
           [ 0. ,  0. ]])

Elementwise operations reuse the rules of ``Value`` (``rules.py``): the local derivative
is computed on arrays and the gradient is ``sum_to(local * upstream, x.shape)``, summed
back over the axes broadcasting stretched. Other operations (``@``, ``sum``, indexing,
softmax, conv2d) have vector-Jacobian products in ``tensor_rules.py`` and ``conv.py``.
``graph.propagate`` walks Tensors and Values alike.

Rules of thumb, as in PyTorch:

- dtype follows the input: float32 stays float32, Python numbers and lists give float64,
  integer arrays stay integer (labels, indices). A Python number in an operation takes
  the Tensor's dtype (``x * 0.5`` stays float32); a numpy array keeps its own, so a
  float64 array promotes a float32 Tensor, as numpy does.
- only operations on a Tensor with ``requires_grad=True`` are recorded, and gradients
  are computed only for inputs that need them.
- ``Tensor(array)`` shares memory with a numpy array passed in (no copy). A leaf's
  ``.grad`` is its own array; an intermediate node's ``.grad`` may be shared with its
  neighbours and is for reading.
- ``Value`` and ``Tensor`` do not mix: ``Tensor + Value`` raises ``TypeError``. Use
  ``Tensor(v.data)`` for a constant, or build the model from Tensors only.
- ``log`` of 0 gives -inf and of a negative entry nan, as numpy does, and ``sqrt`` of a
  negative entry nan, each with one ``RuntimeWarning``; their gradients there are
  inf/nan without a second warning.
- ``<``, ``>``, ``<=``, ``>=`` give plain boolean arrays (for ``where`` and masks);
  ``==`` is identity, because nodes are dictionary keys in the backward walk.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np

from . import array_math, graph, rules
from . import tensor_rules as trules
from .node import Node, notes_for
from .state import STATE, current_recording
from .value import Value

Number = numbers.Real
_new = object.__new__
# Rules whose gradient is computed on arrays only; create_graph=True stops there.
FIRST_ORDER_ONLY = {"conv2d", "max_pool2d", "avg_pool2d"}
_ELEMENTWISE_BINARY = {"+", "-", "*", "/", "pow", "maximum", "minimum", "where"}
# Rules whose gradient may divide by zero or take a log of 0 (errstate costs 3 µs a call).
_DIVIDES = {"/", "log", "sqrt", "**", "pow"}


class Tensor(Node):
    """An array in the graph: ``.data``, ``.grad``, ``.shape``, ``.dtype``, ``.requires_grad``.

    Like ``Value`` it has ``.label``, ``.op``, ``.attrs``, ``.parents``, ``.scope`` and
    ``.role``, so the visualiser and the backward walk treat both the same way.
    """

    __slots__ = ("data", "grad", "_requires_grad", "op", "_parents", "attrs", "_notes",
                 "_waiting", "_pending", "__weakref__")
    __array_ufunc__ = None  # numpy defers to our reflected operators: array * Tensor works
    local_grads = None  # gradients come from vector-Jacobian products (_vjp), not numbers

    def __init__(self, data: Any, requires_grad: bool = False, label: str = "",
                 role: str = "") -> None:
        self.data = _as_array(data)
        self.grad: np.ndarray | None = None
        self._requires_grad = False
        self.requires_grad = requires_grad
        self.op = ""
        self._parents: tuple[Tensor, ...] = ()  # always a tuple for Tensors (autograd.node)
        self.attrs: dict | None = None
        self._notes = notes_for(label, role, STATE.notes)
        self._waiting = 0  # scratch fields of graph walks (see autograd.graph)
        self._pending = None

    @property
    def requires_grad(self) -> bool:
        """True when gradients flow to this Tensor (only floating-point Tensors can)."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        if flag and self.data.dtype.kind != "f":
            raise TypeError(f"only floating-point Tensors can require gradients, got dtype "
                            f"{self.data.dtype}; convert first, e.g. "
                            f"Tensor(data.astype(np.float32), requires_grad=True)")
        self._requires_grad = bool(flag)

    shape = property(lambda self: self.data.shape, doc="The array's shape.")
    dtype = property(lambda self: self.data.dtype, doc="The array's numpy dtype.")
    ndim = property(lambda self: self.data.ndim, doc="Number of axes.")
    size = property(lambda self: self.data.size, doc="Number of entries.")

    # --- recording an operation -------------------------------------------------------
    @staticmethod
    def _record(rule: rules.Rule, parents: tuple[Tensor, ...], attrs: dict | None = None,
                ) -> Tensor:
        try:
            out = rule.forward(array_math, *[p.data for p in parents], **(attrs or {}))
        except (ValueError, IndexError) as error:
            raise _with_shapes(error, rule, parents, attrs) from None
        node = _new(Tensor)
        node.data = out if type(out) is np.ndarray else np.asarray(out)
        node.grad = None
        state = current_recording()  # this thread's (or task's) gradient mode and scope
        node._notes = state.notes
        node._waiting = 0
        node._pending = None
        recording = False
        if state.grad_enabled:
            for p in parents:
                if p._requires_grad:
                    recording = True
                    break
        if recording:
            node._requires_grad = True
            node.op = rule.name
            node._parents = parents
            node.attrs = attrs
        else:  # nothing to differentiate: a leaf, as in PyTorch
            node._requires_grad = False
            node.op = ""
            node._parents = ()
            node.attrs = None
        return node

    def _vjp(self, upstream: Any, create_graph: bool) -> list:
        """One gradient contribution per parent (None for a parent that needs none)."""
        if create_graph:
            return self._vjp_as_graph(upstream)
        if type(upstream) is not np.ndarray:  # a float seed, or a numpy scalar from a sum
            upstream = np.asarray(upstream, dtype=self.data.dtype)
        rule = rules.RULES[self.op]
        parents = self.parents
        xs = [p.data for p in parents]
        needs = [p._requires_grad for p in parents]
        if rule.name in _DIVIDES:  # 1/x at x = 0 is inf, as in PyTorch; forward already warned
            with np.errstate(divide="ignore", invalid="ignore"):
                grads = _array_gradients(rule, upstream, self.data, xs, needs, self.attrs)
        else:
            grads = _array_gradients(rule, upstream, self.data, xs, needs, self.attrs)
        for i, g in enumerate(grads):
            if g is None:
                continue
            data = parents[i].data
            if g.shape != data.shape:  # undo broadcasting: sum over the stretched axes
                g = grads[i] = array_math.sum_to(g, data.shape)
            if g.dtype != data.dtype:  # e.g. a float32 weight in a float64 expression
                grads[i] = g.astype(data.dtype)
            elif g is upstream and not parents[i].parents:
                # A leaf is handed the upstream array itself (d(a+b)/da = 1), which other
                # nodes hold too; a leaf's .grad must be its own (optimisers change it).
                grads[i] = g.copy()
        return grads

    def _vjp_as_graph(self, upstream: Any) -> list:
        """The same contributions built from Tensor operations (for create_graph=True)."""
        rule = rules.RULES[self.op]
        if rule.name in FIRST_ORDER_ONLY:
            raise NotImplementedError(
                f"create_graph=True through {rule.name}: only first derivatives of "
                f"{rule.name} are implemented; differentiate once, or avoid it here")
        attrs = self.attrs or {}
        parents = self.parents
        needs = [p._requires_grad for p in parents]
        upstream = upstream if isinstance(upstream, Tensor) else _constant(upstream)
        if rule.vjp is not None:
            return list(rule.vjp(TENSOR_OPS, upstream, self, *parents, needs=needs, **attrs))
        local = rule.local_derivatives(TENSOR_OPS, self, *parents, **attrs)
        return [_sum_to(lg * upstream, p.shape) if need else None
                for lg, p, need in zip(local, parents, needs, strict=True)]

    def _accumulate(self, gradient: Any) -> None:
        if isinstance(gradient, Tensor):
            gradient = gradient.data
        if self.grad is not None:
            self.grad = self.grad + gradient
        elif self.parents:  # intermediate results share arrays: treat their .grad as read-only
            self.grad = np.asarray(gradient)
        elif type(gradient) is np.ndarray and gradient.base is None:
            self.grad = gradient  # a fresh array no other node holds (see _vjp): no copy
        else:  # a view (reshape, broadcast) or a numpy scalar: a leaf owns its gradient
            self.grad = np.array(gradient, dtype=self.data.dtype)

    def _seed(self, create_graph: bool) -> Any:
        if self.data.size != 1:
            raise RuntimeError(f"grad() of a Tensor of shape {self.shape}: the output must be "
                               f"a single number; reduce it first, e.g. grad(y.sum(), ...)")
        ones = np.ones_like(self.data)
        return _constant(ones) if create_graph else ones

    def _zero_gradient(self, create_graph: bool) -> Any:
        zeros = np.zeros_like(self.data)
        return _constant(zeros) if create_graph else zeros

    # --- the backward pass --------------------------------------------------------------
    def backward(self, grad: Any = None) -> None:
        """Add d self / d node into ``.grad`` of every node this Tensor depends on.

        ``grad`` is d loss / d self; it may be left out only when self holds one number.
        Gradients accumulate; set ``.grad = None`` (or ``model.zero_grad()``) to restart.
        """
        if not self._requires_grad:
            raise RuntimeError(
                "backward() on a Tensor that does not require gradients: none of the "
                "Tensors it was computed from has requires_grad=True (or it was computed "
                "under no_grad()); create the inputs with Tensor(..., requires_grad=True)")
        if grad is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward() on a Tensor of shape {self.shape} needs grad=: the starting "
                    f"gradient is 1 only for a single number; reduce first (y.sum().backward())"
                    f" or pass grad= an array of shape {self.shape}")
            seed = np.ones_like(self.data)
        else:
            seed = np.array(grad.data if isinstance(grad, Tensor) else grad, dtype=self.dtype)
            if seed.shape != self.shape:
                raise ValueError(f"backward(grad=...) got shape {seed.shape}, but the Tensor "
                                 f"has shape {self.shape}; they must be equal")
        graph.backward(self, seed)

    def zero_grad(self) -> None:
        """Set ``.grad`` to None on this Tensor and every Tensor it depends on."""
        for node in graph.topological_order(self):
            node.grad = None

    def detach(self) -> Tensor:
        """The same data (shared, not copied) as a new leaf outside the graph."""
        return Tensor(self.data, label=self.label)

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied)."""
        return self.data

    def item(self) -> float:
        """The single number in a one-entry Tensor, as a Python number."""
        if self.data.size != 1:
            raise ValueError(f"item() needs a Tensor with one entry, got shape {self.shape}")
        return self.data.item()

    # --- arithmetic ---------------------------------------------------------------------
    def _operand(self, other: Any, symbol: str) -> Tensor:
        if isinstance(other, Tensor):
            return other
        if isinstance(other, Value):
            raise TypeError(f"cannot combine a Tensor and a Value with {symbol}: {other!r} "
                            f"is a scalar graph node; use Tensor({other.data!r}) as a "
                            f"constant, or build the computation from Tensors only")
        if isinstance(other, Number) and not isinstance(other, bool):
            # A Python number takes the Tensor's float dtype: x * 0.5 stays float32.
            dtype = self.data.dtype if self.data.dtype.kind == "f" else None
            return _constant(np.asarray(other, dtype=dtype))
        if isinstance(other, (np.ndarray, np.generic)):
            return _constant(_as_array(other))
        raise TypeError(f"cannot use {other!r} ({type(other).__name__}) with {symbol} on a "
                        f"Tensor: use a number, a numpy array or a Tensor")

    def __add__(self, other: Any) -> Tensor:
        return Tensor._record(rules.ADD, (self, self._operand(other, "+")))

    def __radd__(self, other: Any) -> Tensor:  # other + self
        return Tensor._record(rules.ADD, (self._operand(other, "+"), self))

    def __sub__(self, other: Any) -> Tensor:
        return Tensor._record(rules.SUB, (self, self._operand(other, "-")))

    def __rsub__(self, other: Any) -> Tensor:  # other - self
        return Tensor._record(rules.SUB, (self._operand(other, "-"), self))

    def __mul__(self, other: Any) -> Tensor:
        return Tensor._record(rules.MUL, (self, self._operand(other, "*")))

    def __rmul__(self, other: Any) -> Tensor:  # other * self
        return Tensor._record(rules.MUL, (self._operand(other, "*"), self))

    def __truediv__(self, other: Any) -> Tensor:
        return Tensor._record(rules.DIV, (self, self._operand(other, "/")))

    def __rtruediv__(self, other: Any) -> Tensor:  # other / self
        return Tensor._record(rules.DIV, (self._operand(other, "/"), self))

    def __pow__(self, exponent: Any) -> Tensor:
        if isinstance(exponent, Number) and not isinstance(exponent, bool):
            return Tensor._record(rules.POW, (self,), {"exponent": float(exponent)})
        return Tensor._record(rules.POWV, (self, self._operand(exponent, "**")))

    def __rpow__(self, base: Any) -> Tensor:  # base ** self
        return Tensor._record(rules.POWV, (self._operand(base, "**"), self))

    def __neg__(self) -> Tensor:
        return Tensor._record(rules.NEG, (self,))

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return Tensor._record(rules.ABS, (self,))

    def __matmul__(self, other: Any) -> Tensor:
        return matmul(self, self._operand(other, "@"))

    def __rmatmul__(self, other: Any) -> Tensor:  # other @ self
        return matmul(self._operand(other, "@"), self)

    # Comparisons give plain boolean arrays (no gradient), e.g. for where(x > 0, x, 0).
    # == is left as identity: nodes are dictionary keys in the backward walk.
    def __lt__(self, other: Any) -> np.ndarray:
        return self.data < _plain(other)

    def __le__(self, other: Any) -> np.ndarray:
        return self.data <= _plain(other)

    def __gt__(self, other: Any) -> np.ndarray:
        return self.data > _plain(other)

    def __ge__(self, other: Any) -> np.ndarray:
        return self.data >= _plain(other)

    # --- elementwise functions (rules shared with Value) -------------------------------
    def exp(self) -> Tensor:
        """e**x elementwise; d/dx = e**x."""
        return Tensor._record(rules.EXP, (self,))

    def log(self) -> Tensor:
        """ln x elementwise; d/dx = 1/x. Entries <= 0 give -inf/nan with one warning."""
        return Tensor._record(rules.LOG, (self,))

    def sqrt(self) -> Tensor:
        """Square root; d/dx = 1/(2·sqrt(x))."""
        return Tensor._record(rules.SQRT, (self,))

    def abs(self) -> Tensor:
        """|x|; d/dx = sign(x) (0 at 0, as PyTorch)."""
        return Tensor._record(rules.ABS, (self,))

    def tanh(self) -> Tensor:
        """tanh(x); d/dx = 1 - tanh(x)²."""
        return Tensor._record(rules.TANH, (self,))

    def sigmoid(self) -> Tensor:
        """σ(x) = 1/(1 + e**-x), stable at ±1000; d/dx = σ(1 - σ)."""
        return Tensor._record(rules.SIGMOID, (self,))

    def relu(self) -> Tensor:
        """max(x, 0); d/dx = 1 where x > 0, else 0."""
        return Tensor._record(rules.RELU, (self,))

    def leaky_relu(self, slope: float = 0.01) -> Tensor:
        """x where x > 0, else slope·x; d/dx = 1 or slope."""
        if isinstance(slope, bool) or not isinstance(slope, Number):
            raise TypeError(f"leaky_relu slope must be a number, got {slope!r}")
        return Tensor._record(rules.LEAKY_RELU, (self,), {"slope": float(slope)})

    def step(self) -> Tensor:
        """1 where x > 0, else 0; its derivative is 0 (no gradient flows through it)."""
        return Tensor._record(rules.STEP, (self,))

    def sign(self) -> Tensor:
        """-1, 0 or 1 elementwise; derivative 0."""
        return Tensor._record(rules.SIGN, (self,))

    def sin(self) -> Tensor:
        """sin(x); d/dx = cos(x)."""
        return Tensor._record(rules.SIN, (self,))

    def cos(self) -> Tensor:
        """cos(x); d/dx = -sin(x)."""
        return Tensor._record(rules.COS, (self,))

    def clip(self, low: float | None = None, high: float | None = None) -> Tensor:
        """Entries limited to [low, high]; d/dx = 1 inside, 0 where clipped.

        >>> Tensor([-2.0, 0.5, 3.0]).clip(0, 1).data
        array([0. , 0.5, 1. ])
        """
        if low is None and high is None:
            raise ValueError("clip needs low, high or both")
        return Tensor._record(trules.CLIP, (self,), {"low": low, "high": high})

    def softmax(self, axis: int = -1) -> Tensor:
        """e**x_i / Σ_j e**x_j along ``axis``, shifted by the maximum so it never overflows.

        >>> Tensor([1000.0, 1000.0]).softmax().data
        array([0.5, 0.5])
        """
        return Tensor._record(trules.SOFTMAX, (self,), {"axis": _one_axis(axis, self.ndim)})

    def log_softmax(self, axis: int = -1) -> Tensor:
        """x_i - log Σ_j e**x_j along ``axis`` (stable; use it for cross-entropy).

        >>> Tensor([0.0, 1000.0]).log_softmax().data
        array([-1000.,     0.])
        """
        return Tensor._record(trules.LOG_SOFTMAX, (self,),
                              {"axis": _one_axis(axis, self.ndim)})

    # --- reductions ---------------------------------------------------------------------
    def sum(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Σ over ``axis`` (all entries by default); d/dx_i = 1.

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(axis=0).data
        array([4., 6.])
        """
        return self._reduce(trules.REDUCE_SUM, axis, keepdims)

    def mean(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Average over ``axis``; d/dx_i = 1/n."""
        return self._reduce(trules.MEAN, axis, keepdims)

    def max(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Largest entry over ``axis``; the gradient goes to the maximum (ties share it)."""
        return self._reduce(trules.MAX, axis, keepdims)

    def min(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Smallest entry over ``axis``; the gradient goes to the minimum (ties share it)."""
        return self._reduce(trules.MIN, axis, keepdims)

    def _reduce(self, rule: rules.Rule, axis: Any, keepdims: bool) -> Tensor:
        return Tensor._record(rule, (self,), {"axis": _axes(axis, self.ndim),
                                              "keepdims": bool(keepdims)})

    # --- shapes -------------------------------------------------------------------------
    def reshape(self, *shape: Any) -> Tensor:
        """The same entries in a new shape (one size may be -1: inferred).

        >>> Tensor([1.0, 2.0, 3.0, 4.0]).reshape(2, -1).shape
        (2, 2)
        """
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        try:
            target = self.data.reshape(shape).shape
        except (ValueError, TypeError) as error:
            raise ValueError(f"cannot reshape a Tensor of shape {self.shape} ({self.size} "
                             f"entries) into {shape}: {error}") from None
        if target == self.shape:
            return self
        return Tensor._record(trules.RESHAPE, (self,), {"shape": target})

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Axes ``start_dim..end_dim`` merged into one (``x.flatten(1)``: one row per sample)."""
        if self.ndim == 0:  # as PyTorch: one entry, one axis
            return self.reshape(1)
        start, end = (_one_axis(a, self.ndim) for a in (start_dim, end_dim))
        if start > end:
            raise ValueError(f"flatten({start_dim}, {end_dim}) on shape {self.shape}: axes "
                             f"start_dim <= end_dim are merged, so start_dim must come first")
        merged = int(np.prod(self.shape[start:end + 1]))
        return self.reshape(self.shape[:start] + (merged,) + self.shape[end + 1:])

    def transpose(self, *axes: int) -> Tensor:
        """Axes permuted (reversed when none are given, as numpy)."""
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        axes = tuple(reversed(range(self.ndim))) if not axes else axes
        if sorted(_one_axis(a, self.ndim) for a in axes) != list(range(self.ndim)):
            raise ValueError(f"transpose{axes}: give each axis of a Tensor of shape "
                             f"{self.shape} exactly once")
        axes = tuple(_one_axis(a, self.ndim) for a in axes)
        return Tensor._record(trules.TRANSPOSE, (self,), {"axes": axes})

    T = property(lambda self: self.transpose(), doc="Axes reversed (the matrix transpose).")

    def broadcast_to(self, shape: Sequence[int]) -> Tensor:
        """Repeated along axes of size 1 (or new leading axes) to ``shape``."""
        shape = tuple(shape)
        if shape == self.shape:
            return self
        return Tensor._record(trules.BROADCAST_TO, (self,), {"shape": shape})

    def __getitem__(self, key: Any) -> Tensor:
        """Indexing as numpy: ints, slices, None, ``...``, integer arrays and masks.

        >>> logp = Tensor([[0.1, 0.9], [0.8, 0.2]])
        >>> logp[np.arange(2), np.array([1, 0])].data     # each row's target entry
        array([0.9, 0.8])
        """
        return Tensor._record(trules.INDEX, (self,), {"key": _index_key(key)})

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d Tensor: it holds one number; use .item()")
        return self.shape[0]

    def __iter__(self):  # rows, as numpy; without it a 0-d Tensor iterates as empty
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d Tensor: it holds one number; use .item()")
        return (self[i] for i in range(self.shape[0]))

    def __bool__(self) -> bool:
        # Without it Python would use __len__: any non-empty Tensor would be True.
        if self.data.size != 1:
            raise ValueError(f"the truth value of a Tensor of shape {self.shape} is "
                             f"ambiguous; use (x.data > 0).any() or .all()")
        return bool(self.data)

    def __float__(self) -> float:
        if self.data.size != 1:
            raise ValueError(f"float() needs a Tensor with one entry, got shape {self.shape}")
        return float(self.data.item())

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="Tensor(", threshold=20)
        extra = "" if self.data.dtype == np.float64 else f", dtype={self.data.dtype}"
        if self._requires_grad:
            extra += ", requires_grad=True"
        if self.label:
            extra += f", label={self.label!r}"
        if self.op:
            extra += f", op={self.op!r}"
        return f"Tensor({body}{extra})"


# --- functions of several Tensors ---------------------------------------------------------
def matmul(a: Tensor, b: Tensor) -> Tensor:
    """Matrix product ``a @ b`` (1-D, 2-D and batched, as ``np.matmul``).

    d(A@B)/dA = upstream @ Bᵀ and d(A@B)/dB = Aᵀ @ upstream.

    >>> (Tensor([[1.0, 2.0]]) @ Tensor([[3.0], [4.0]])).data
    array([[11.]])
    """
    a, b = _tensor(a, "@"), _tensor(b, "@")
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"@ needs operands with at least one axis, got shapes {a.shape} and "
                         f"{b.shape}; use * to multiply by a single number")
    inner_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if a.shape[-1] != inner_b:
        where = "first" if b.ndim == 1 else "second-to-last"
        raise ValueError(f"@ cannot multiply shapes {a.shape} and {b.shape}: the last axis "
                         f"of the left ({a.shape[-1]}) must equal the {where} axis of the "
                         f"right ({inner_b}); transpose or reshape one of them")
    return Tensor._record(trules.MATMUL, (a, b))


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Tensors joined along an existing axis; each gets its slice of the gradient.

    >>> concatenate([Tensor([1.0]), Tensor([2.0, 3.0])]).data
    array([1., 2., 3.])
    """
    parts = _tensors(tensors, "concatenate")
    return Tensor._record(trules.CONCATENATE, parts, {"axis": _one_axis(axis, parts[0].ndim)})


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Tensors of one shape stacked along a new axis.

    >>> stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])], axis=1).shape
    (2, 2)
    """
    parts = _tensors(tensors, "stack")
    return Tensor._record(trules.STACK, parts, {"axis": _one_axis(axis, parts[0].ndim + 1)})


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """``a`` where ``condition`` holds, else ``b``; each side's gradient is masked.

    >>> x = Tensor([-1.0, 2.0])
    >>> where(x > 0, x, 0.0).data
    array([0., 2.])
    """
    condition = np.asarray(condition.data if isinstance(condition, Tensor) else condition)
    if condition.dtype != bool:
        raise TypeError(f"where() needs a boolean condition, got dtype {condition.dtype}; "
                        f"compare first, e.g. where(x > 0, x, 0)")
    a, b = _pair(a, b, "where")
    return Tensor._record(trules.WHERE, (a, b), {"condition": condition})


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise larger of a and b; on a tie each side gets half the gradient.

    >>> maximum(Tensor([1.0, -2.0]), 0.0).data
    array([1., 0.])
    """
    return Tensor._record(trules.MAXIMUM, _pair(a, b, "maximum"))


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise smaller of a and b; on a tie each side gets half the gradient.

    >>> minimum(Tensor([1.0, -2.0]), 0.0).data
    array([ 0., -2.])
    """
    return Tensor._record(trules.MINIMUM, _pair(a, b, "minimum"))


def cross_entropy(logits: Tensor, targets: Any) -> Tensor:
    """Mean softmax cross-entropy of (N, C) scores against N class labels, as one node.

    CE = -(1/N) Σ_n log softmax(z_n)[y_n], and its gradient is the classic
    d CE / d z = (softmax(z) - onehot(y)) / N. The same value as
    ``-logits.log_softmax(axis=1)[np.arange(N), targets].mean()`` in one step instead
    of four (stable at any logits).

    >>> round(cross_entropy(Tensor([[2.0, 0.0, 0.0]]), [0]).item(), 4)
    0.2395
    """
    logits = _tensor(logits, "cross_entropy")
    labels = np.asarray(targets.data if isinstance(targets, Tensor) else targets)
    if logits.ndim != 2:
        raise ValueError(f"cross_entropy needs logits of shape (N, C), got {logits.shape}")
    if labels.dtype.kind not in "iu" or labels.shape != logits.shape[:1]:
        raise ValueError(f"cross_entropy needs N = {logits.shape[0]} integer class labels, "
                         f"got {labels.dtype} labels of shape {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= logits.shape[1]):
        raise ValueError(f"cross_entropy: labels must be in 0..{logits.shape[1] - 1}, got "
                         f"{labels.min()}..{labels.max()}")
    return Tensor._record(trules.CROSS_ENTROPY, (logits,), {"targets": labels})


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    """Stable softmax along ``axis``; see ``Tensor.softmax``."""
    return _tensor(x, "softmax").softmax(axis)


def log_softmax(x: Tensor, axis: int = -1) -> Tensor:
    """Stable log-softmax along ``axis``; see ``Tensor.log_softmax``."""
    return _tensor(x, "log_softmax").log_softmax(axis)


# --- helpers -------------------------------------------------------------------------------
def _as_array(data: Any) -> np.ndarray:
    """numpy arrays keep their dtype; Python numbers and lists become float64."""
    if isinstance(data, Tensor):
        raise TypeError("Tensor(Tensor): already a Tensor; use it directly, or .detach() for "
                        "a new leaf sharing its data")
    if isinstance(data, Value):
        raise TypeError(f"Tensor({data!r}): a Value is a scalar graph node; use "
                        f"Tensor({data.data!r}) for its number")
    if isinstance(data, (np.ndarray, np.generic)):
        array = np.asarray(data)
    elif isinstance(data, (Number, list, tuple)):
        try:
            array = np.asarray(data)
        except ValueError as error:  # numpy's message for ragged lists
            raise ValueError(f"Tensor needs a rectangular array, but the nested lists have "
                             f"rows of different lengths ({error}); pad them to one length"
                             ) from None
        if array.dtype.kind in "biuf":
            array = array.astype(np.float64)
    else:
        raise TypeError(f"Tensor needs numbers (a number, nested lists or a numpy array), "
                        f"got {data!r} of type {type(data).__name__}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"Tensor needs real numbers, got an array of dtype {array.dtype} "
                        f"(from {type(data).__name__}); convert it, e.g. "
                        f"np.asarray(data, dtype=np.float64)")
    return array


def _constant(array: np.ndarray) -> Tensor:
    node = _new(Tensor)
    node.data = array
    node.grad = None
    node._requires_grad = False
    node.op = ""
    node._parents = ()
    node.attrs = None
    node._notes = notes_for("", "constant", STATE.notes)
    node._waiting = 0
    node._pending = None
    return node


def _tensor(x: Any, name: str) -> Tensor:
    if isinstance(x, Tensor):
        return x
    raise TypeError(f"{name} needs Tensors, got {x!r} ({type(x).__name__}); wrap it: Tensor(x)")


def _tensors(items: Sequence[Any], name: str) -> tuple[Tensor, ...]:
    parts = tuple(_tensor(x, name) for x in items)
    if not parts:
        raise ValueError(f"{name} needs at least one Tensor, got an empty sequence")
    return parts


def _pair(a: Any, b: Any, name: str) -> tuple[Tensor, Tensor]:
    if isinstance(a, Tensor):
        return a, a._operand(b, name)
    if isinstance(b, Tensor):
        return b._operand(a, name), b
    raise TypeError(f"{name} needs at least one Tensor, got {a!r} and {b!r}")


def _plain(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


def _one_axis(axis: Any, ndim: int) -> int:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an int, got {axis!r}")
    if not -ndim <= axis < max(ndim, 1):
        raise ValueError(f"axis {axis} is out of range for {ndim} axes "
                         f"(use -{ndim}..{ndim - 1})")
    return int(axis) % max(ndim, 1)


def _axes(axis: Any, ndim: int) -> tuple[int, ...] | None:
    if axis is None:
        return None
    items = axis if isinstance(axis, (tuple, list)) else (axis,)
    axes = tuple(sorted(_one_axis(a, ndim) for a in items))
    if len(set(axes)) != len(axes):
        raise ValueError(f"axis {axis} names an axis twice")
    return axes


def _index_key(key: Any) -> Any:
    def one(part: Any) -> Any:
        if isinstance(part, Tensor):
            part = part.data
        if isinstance(part, list):
            part = np.asarray(part)
        if isinstance(part, np.ndarray) and part.dtype.kind not in "biu":
            raise IndexError(f"index arrays must hold integers or booleans, got dtype "
                             f"{part.dtype}; convert with .astype(int)")
        return part
    return tuple(one(p) for p in key) if isinstance(key, tuple) else one(key)


def _with_shapes(error: Exception, rule: rules.Rule, parents: tuple, attrs: dict | None,
                 ) -> Exception:
    """The same kind of error, naming the operation and every operand's shape."""
    shapes = " and ".join(str(p.shape) for p in parents)
    name = rule.display(attrs)
    if rule.name in _ELEMENTWISE_BINARY:
        return type(error)(f"{name}: shapes {shapes} do not broadcast ({error}); compared "
                           f"from the right, sizes must be equal or 1 (reshape one operand, "
                           f"e.g. x.reshape(-1, 1))")
    return type(error)(f"{name} on shape{'s' if len(parents) > 1 else ''} {shapes}: {error}")


def _array_gradients(rule: rules.Rule, upstream: np.ndarray, out: np.ndarray,
                     xs: list, needs: list, attrs: dict | None) -> list:
    """Each input's gradient on arrays, before summing back over broadcast axes."""
    if rule.vjp is not None:
        return list(rule.vjp(array_math, upstream, out, *xs, needs=needs, **(attrs or {})))
    local = rule.local_derivatives(array_math, out, *xs, **(attrs or {}))
    # upstream x local: the chain rule; a local derivative of 1 passes the array on as is
    return [None if not need else upstream if type(lg) is float and lg == 1.0 else lg * upstream
            for lg, need in zip(local, needs, strict=True)]


# --- the ``ops`` namespace for rules applied to Tensors (gradients as graphs) -------------
def _sum_to(x: Tensor, shape: tuple) -> Tensor:
    if x.shape == shape:
        return x
    return x.sum(axis=array_math.broadcast_axes(x.shape, shape), keepdims=True).reshape(shape)


def _scatter(values: Tensor, shape: tuple, key: Any) -> Tensor:
    return Tensor._record(trules.SCATTER, (values,), {"shape": shape, "key": key})


def _log_or_nan(x: Tensor) -> Tensor:
    positive = x.data > 0
    return where(positive, where(positive, x, 1.0).log(), np.nan)


TENSOR_OPS = SimpleNamespace(
    exp=Tensor.exp, log=Tensor.log, sqrt=Tensor.sqrt, tanh=Tensor.tanh,
    sigmoid=Tensor.sigmoid, sin=Tensor.sin, cos=Tensor.cos, step=Tensor.step,
    sign=Tensor.sign, relu=Tensor.relu, leaky_relu=Tensor.leaky_relu,
    power=lambda a, b: a ** b, divide=lambda a, b: a / b, log_or_nan=_log_or_nan,
    power_slope=lambda x, n: n * x ** (n - 1) if n != 0 else _constant(np.zeros_like(x.data)),
    matmul=matmul, swap_last=lambda x: x.transpose(*range(x.ndim - 2), x.ndim - 1, x.ndim - 2),
    sum=lambda x, axis=None, keepdims=False: x.sum(axis, keepdims),
    sum_to=_sum_to, broadcast_to=lambda x, shape: x.broadcast_to(shape),
    reshape=lambda x, shape: x.reshape(shape), transpose=lambda x, axes: x.transpose(axes),
    scatter=_scatter, constant=_plain, softmax=lambda x, axis: x.softmax(axis),
)
