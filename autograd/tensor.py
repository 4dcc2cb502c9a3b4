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

Elementwise operations reuse the rules of ``Value`` (``rules.py``) on arrays; the others
(``@``, ``sum``, indexing, softmax, conv2d) have VJPs in ``tensor_rules.py`` and
``conv.py``. Functions of several Tensors are in ``tensor_functions.py``, the checks of
what users pass in ``tensor_checks.py``, the backward step on arrays in
``tensor_backward.py``. Rules of thumb, as in PyTorch:

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

from . import array_math, fast_backward, graph, rules
from . import tensor_checks as checks
from . import tensor_rules as trules
from .node import NO_ATTRS, Attrs, Node, _data, notes_for
from .state import STATE
from .tensor_backward import array_contributions

Number = numbers.Real


class Tensor(Node):
    """An array in the graph: ``.data``, ``.grad``, ``.shape``, ``.dtype``, ``.requires_grad``.

    Like ``Value`` it has ``.label``, ``.op``, ``.attrs``, ``.parents``, ``.scope`` and
    ``.role``, so the visualiser and the backward walk treat both the same way.
    """

    __slots__ = ("data", "grad", "_requires_grad", "op", "_parents", "attrs", "_notes",
                 "_waiting", "_pending", "__weakref__")
    __array_ufunc__ = None  # numpy defers to our reflected operators: array * Tensor works

    def __init__(self, data: Any, requires_grad: bool = False, label: str = "",
                 role: str = "") -> None:
        self.data = checks.as_array(data)
        self.grad: np.ndarray | None = None
        self._requires_grad = False
        self.requires_grad = requires_grad
        self.op = ""
        self._parents: tuple[Tensor, ...] = ()
        self.attrs = NO_ATTRS
        self._notes = notes_for(label, role, STATE.notes)
        self._waiting = 0  # scratch fields of the fast backward walk (autograd.fast_backward)
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

    def _apply(self, rule: rules.Rule, attrs: Attrs = NO_ATTRS) -> Tensor:
        return record(rule, (self,), attrs)

    # --- what the backward walks call ---------------------------------------------------
    def _contributions(self, upstream: Any, create_graph: bool) -> list:
        """Each parent's share of the gradient, from the rule's VJP or local derivatives
        (None for a parent that wants no gradient)."""
        if create_graph:
            return self._contributions_as_graph(upstream)
        return array_contributions(self, upstream)

    def _contributions_as_graph(self, upstream: Any) -> list:
        """The same contributions built from Tensor operations (for create_graph=True)."""
        rule = rules.RULES[self.op]
        if rule.first_order_only:
            raise NotImplementedError(
                f"create_graph=True through {rule.op}: only first derivatives of "
                f"{rule.op} are implemented; differentiate once, or avoid it here")
        parents = self._parents
        needs = [p._requires_grad for p in parents]
        upstream = upstream if isinstance(upstream, Tensor) else _constant_leaf(upstream)
        if rule.vjp is not None:
            return list(rule.vjp(TENSOR_OPS, upstream, self, *parents, needs=needs,
                                 **self.attrs))
        local_grads = rule.local_grads(TENSOR_OPS, self, *parents, **self.attrs)
        return [_sum_to(upstream * local, p.shape) if need else None
                for local, p, need in zip(local_grads, parents, needs, strict=True)]

    def _accumulate(self, gradient: Any) -> None:
        if isinstance(gradient, Tensor):
            gradient = gradient.data
        if self.grad is not None:
            self.grad = self.grad + gradient
        elif self._parents:  # intermediate results share arrays: treat their .grad as read-only
            self.grad = np.asarray(gradient)
        elif type(gradient) is np.ndarray and gradient.base is None:
            self.grad = gradient  # a fresh array no other node holds (see _contributions)
        else:  # a view (reshape, broadcast) or a numpy scalar: a leaf owns its gradient
            self.grad = np.array(gradient, dtype=self.data.dtype)

    def _seed(self, create_graph: bool) -> Any:
        checks.one_number(self, "grad() of", "reduce it first, e.g. grad(y.sum(), ...)",
                          RuntimeError)
        ones = np.ones_like(self.data)
        return _constant_leaf(ones) if create_graph else ones

    def _zero_gradient(self, create_graph: bool) -> Any:
        zeros = np.zeros_like(self.data)
        return _constant_leaf(zeros) if create_graph else zeros

    # --- the backward pass--------------------------------------------------------------
    def backward(self, grad: Any = None) -> None:
        """Add d self / d node into ``.grad`` of every node this Tensor depends on.

        ``grad`` is d loss / d self; it may be left out only when self holds one number.
        Gradients accumulate; set ``.grad = None`` (or ``model.zero_grad()``) to restart.
        """
        seed = checks.backward_seed(self, grad)
        fast_backward.backward(self, seed)  # graph.propagate's optimised twin

    def zero_grad(self) -> None:
        """Set ``.grad`` to None on this Tensor and every Tensor it depends on."""
        for node in graph.topological_order(self):
            node.grad = None
        self._mark_backward(False)

    def detach(self) -> Tensor:
        """The same data (shared, not copied) as a new leaf outside the graph."""
        return Tensor(self.data, label=self.label)

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied)."""
        return self.data

    def item(self) -> float:
        """The single number in a one-entry Tensor, as a Python number."""
        return checks.one_number(self, "item() of", "use .data for the array").item()

    # --- arithmetic ---------------------------------------------------------------------
    def _operand(self, other: Any, symbol: str) -> Tensor:
        """The other operand as a Tensor: itself, or a number or array as a constant leaf."""
        if isinstance(other, Tensor):
            return other
        return _constant_leaf(checks.operand_array(self, other, symbol))

    def __add__(self, other: Any) -> Tensor:
        return record(rules.ADD, (self, self._operand(other, "+")))

    def __radd__(self, other: Any) -> Tensor:  # other + self
        return record(rules.ADD, (self._operand(other, "+"), self))

    def __sub__(self, other: Any) -> Tensor:
        return record(rules.SUB, (self, self._operand(other, "-")))

    def __rsub__(self, other: Any) -> Tensor:  # other - self
        return record(rules.SUB, (self._operand(other, "-"), self))

    def __mul__(self, other: Any) -> Tensor:
        return record(rules.MUL, (self, self._operand(other, "*")))

    def __rmul__(self, other: Any) -> Tensor:  # other * self
        return record(rules.MUL, (self._operand(other, "*"), self))

    def __truediv__(self, other: Any) -> Tensor:
        return record(rules.DIV, (self, self._operand(other, "/")))

    def __rtruediv__(self, other: Any) -> Tensor:  # other / self
        return record(rules.DIV, (self._operand(other, "/"), self))

    def __pow__(self, exponent: Any) -> Tensor:
        if isinstance(exponent, Number) and not isinstance(exponent, bool):
            return record(rules.POW, (self,), Attrs(exponent=float(exponent)))
        return record(rules.POWV, (self, self._operand(exponent, "**")))

    def __rpow__(self, base: Any) -> Tensor:  # base ** self
        return record(rules.POWV, (self._operand(base, "**"), self))

    def __matmul__(self, other: Any) -> Tensor:
        """Matrix product (see ``tensor_functions.matmul``)."""
        other = self._operand(other, "@")
        checks.matmul_shapes(self, other)
        return record(trules.MATMUL, (self, other))

    def __rmatmul__(self, other: Any) -> Tensor:  # other @ self
        return self._operand(other, "@") @ self

    # --- elementwise functions: exp, log, tanh, relu, ... are in Node (shared with Value)
    def clip(self, low: float | None = None, high: float | None = None) -> Tensor:
        """Entries limited to [low, high]; d/dx = 1 inside, 0 where clipped.

        >>> Tensor([-2.0, 0.5, 3.0]).clip(0, 1).data
        array([0. , 0.5, 1. ])
        """
        if low is None and high is None:
            raise ValueError("clip needs low, high or both")
        return record(trules.CLIP, (self,), Attrs(low=low, high=high))

    def softmax(self, axis: int = -1) -> Tensor:
        """e**x_i / Σ_j e**x_j along ``axis``, shifted by the maximum so it never overflows.

        >>> Tensor([1000.0, 1000.0]).softmax().data
        array([0.5, 0.5])
        """
        return record(trules.SOFTMAX, (self,), Attrs(axis=checks.one_axis(axis, self.ndim)))

    def log_softmax(self, axis: int = -1) -> Tensor:
        """x_i - log Σ_j e**x_j along ``axis`` (stable; use it for cross-entropy).

        >>> Tensor([0.0, 1000.0]).log_softmax().data
        array([-1000.,     0.])
        """
        return record(trules.LOG_SOFTMAX, (self,),
                      Attrs(axis=checks.one_axis(axis, self.ndim)))

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
        return record(rule, (self,), Attrs(axis=checks.axes(axis, self.ndim),
                                           keepdims=bool(keepdims)))

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
        return record(trules.RESHAPE, (self,), Attrs(shape=target))

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Axes ``start_dim..end_dim`` merged into one (``x.flatten(1)``: one row per sample)."""
        if self.ndim == 0:  # as PyTorch: one entry, one axis
            return self.reshape(1)
        start, end = (checks.one_axis(a, self.ndim) for a in (start_dim, end_dim))
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
        if sorted(checks.one_axis(a, self.ndim) for a in axes) != list(range(self.ndim)):
            raise ValueError(f"transpose{axes}: give each axis of a Tensor of shape "
                             f"{self.shape} exactly once")
        axes = tuple(checks.one_axis(a, self.ndim) for a in axes)
        return record(trules.TRANSPOSE, (self,), Attrs(axes=axes))

    T = property(lambda self: self.transpose(), doc="Axes reversed (the matrix transpose).")

    def broadcast_to(self, shape: Sequence[int]) -> Tensor:
        """Repeated along axes of size 1 (or new leading axes) to ``shape``."""
        shape = tuple(shape)
        if shape == self.shape:
            return self
        return record(trules.BROADCAST_TO, (self,), Attrs(shape=shape))

    def __getitem__(self, key: Any) -> Tensor:
        """Indexing as numpy: ints, slices, None, ``...``, integer arrays and masks.

        >>> logp = Tensor([[0.1, 0.9], [0.8, 0.2]])
        >>> logp[np.arange(2), np.array([1, 0])].data     # each row's target entry
        array([0.9, 0.8])
        """
        return record(trules.INDEX, (self,), Attrs(key=checks.index_key(key)))

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
        return float(checks.one_number(self, "float() of", "use .data for the array").item())

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


# --- recording an operation -----------------------------------------------------------------
def record(rule: rules.Rule, parents: tuple[Tensor, ...], attrs: Attrs = NO_ATTRS) -> Tensor:
    """Apply ``rule`` to the parents' arrays and return the new node.

    The one way a Tensor operation is recorded. The node keeps its parents only when
    one of them requires gradients (and not under ``no_grad()``); else it is a leaf.

    >>> a = Tensor([1.0, 2.0], requires_grad=True)
    >>> record(rules.MUL, (a, a)).data
    array([1., 4.])
    """
    try:
        out = rule.forward(array_math, *[p.data for p in parents], **attrs)
    except (ValueError, IndexError) as error:
        raise checks.with_shapes(error, rule, parents, attrs) from None
    # Not Tensor(out): __init__ converts and checks data that is known good here, and a
    # label and role this node does not have. test_node.py pins every field set here.
    node = _new(Tensor)
    node.data = out if type(out) is np.ndarray else np.asarray(out)
    node.grad = None
    node._notes = STATE.notes
    node._waiting = 0
    node._pending = None
    recording = False
    if STATE.grad_enabled:
        for p in parents:
            if p._requires_grad:
                recording = True
                break
    if recording:
        node._requires_grad = True
        node.op = rule.op
        node._parents = parents
        node.attrs = attrs
    else:  # nothing to differentiate: a leaf, as in PyTorch
        node._requires_grad = False
        node.op = ""
        node._parents = ()
        node.attrs = NO_ATTRS
    return node


_new = object.__new__


def _constant_leaf(array: np.ndarray) -> Tensor:
    """A leaf with role ``"constant"`` for a number or array in an operation."""
    return Tensor(array, role="constant")


# --- the ``ops`` namespace for rules applied to Tensors (gradients as graphs) -------------
def _sum_to(x: Tensor, shape: tuple) -> Tensor:
    if x.shape == shape:
        return x
    return x.sum(axis=array_math.broadcast_axes(x.shape, shape), keepdims=True).reshape(shape)


def _scatter(values: Tensor, shape: tuple, key: Any) -> Tensor:
    return record(trules.SCATTER, (values,), Attrs(shape=shape, key=key))


def _where(condition: np.ndarray, a: Tensor, b: Tensor) -> Tensor:
    return record(trules.WHERE, (a, b), Attrs(condition=condition))


def _log_or_nan(x: Tensor) -> Tensor:
    positive = x.data > 0
    safe = _where(positive, x, _constant_leaf(np.ones((), dtype=x.dtype))).log()
    return _where(positive, safe, _constant_leaf(np.full((), np.nan, dtype=x.dtype)))


TENSOR_OPS = SimpleNamespace(
    exp=Tensor.exp, log=Tensor.log, sqrt=Tensor.sqrt, tanh=Tensor.tanh,
    sigmoid=Tensor.sigmoid, sin=Tensor.sin, cos=Tensor.cos, step=Tensor.step,
    sign=Tensor.sign, relu=Tensor.relu, leaky_relu=Tensor.leaky_relu,
    power=lambda a, b: a ** b, divide=lambda a, b: a / b, log_or_nan=_log_or_nan,
    power_slope=lambda x, n: n * x ** (n - 1) if n != 0 else _constant_leaf(
        np.zeros_like(x.data)),
    matmul=lambda a, b: a @ b,
    swap_last=lambda x: x.transpose(*range(x.ndim - 2), x.ndim - 1, x.ndim - 2),
    sum=lambda x, axis=None, keepdims=False: x.sum(axis, keepdims),
    sum_to=_sum_to, broadcast_to=lambda x, shape: x.broadcast_to(shape),
    reshape=lambda x, shape: x.reshape(shape), transpose=lambda x, axes: x.transpose(axes),
    scatter=_scatter, constant=_data, softmax=lambda x, axis: x.softmax(axis),
)
