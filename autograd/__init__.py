"""chainrule's automatic-differentiation engine.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> y = (x * x).tanh()
    >>> y.backward()

Where to start reading (how ``a * b`` is computed and differentiated):

1. ``value.py``: ``Value.__mul__`` records the operation with ``record(rules.MUL, ...)``,
   which computes the output and the local derivatives and keeps them on the new node;
2. ``rules.py``: the rule for ``*`` — forward ``a * b``, local derivatives ``(b, a)``,
   and the formula as text; every operation is one entry of this table;
3. ``graph.py``: the backward walk, ``propagate``: Kahn's order from the output, and
   ``parent grad += upstream × local`` on each edge. ``backward()`` runs its optimised
   twin, ``fast_backward.py``: the same walk, faster on large graphs.

Then: ``node.py`` (what Value and Tensor share), ``tensor.py`` (arrays; VJPs in
``tensor_rules.py``), ``stepping.py`` and ``explain.py`` (backprop watched edge by edge).

Public names: ``Value``, ``grad``, ``hessian``, ``gradcheck``, ``no_grad``,
``scope``, ``dot``, ``sum_values``, ``topological_order`` and the rule table ``RULES``;
for arrays ``Tensor`` with ``matmul``, ``concatenate``, ``stack``, ``where``, ``maximum``,
``minimum``, ``softmax``, ``log_softmax``, ``cross_entropy``, ``conv2d``, ``max_pool2d``,
``avg_pool2d``;
watching backprop: ``backward_steps``, ``explain``, and forward mode's ``derivative``.
"""

from .conv import avg_pool2d, conv2d, max_pool2d
from .derivatives import grad, hessian
from .explain import Explanation, explain
from .forward_mode import Dual, derivative
from .gradcheck import GradcheckError, gradcheck
from .graph import topological_order
from .rules import RULES, Rule
from .state import enable_grad, is_grad_enabled, no_grad, scope
from .stepping import Step, backward_steps
from .tensor import Tensor
from .tensor_functions import (
    concatenate,
    cross_entropy,
    log_softmax,
    matmul,
    maximum,
    minimum,
    softmax,
    stack,
    where,
)
from .value import Value, dot, sum_values

__version__ = "0.1.0"

__all__ = [
    "RULES", "GradcheckError", "Rule", "Value", "dot", "enable_grad", "grad", "gradcheck",
    "hessian", "is_grad_enabled", "no_grad", "scope", "sum_values", "topological_order",
    "Tensor", "avg_pool2d", "concatenate", "conv2d", "cross_entropy", "log_softmax", "matmul",
    "max_pool2d", "maximum", "minimum", "softmax", "stack", "where",
    "Dual", "Explanation", "Step", "backward_steps", "derivative", "explain",
]
