"""chainrule's automatic-differentiation engine.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> y = (x * x).tanh()
    >>> y.backward()

Public names: ``Value``, ``grad``, ``hessian``, ``gradcheck``, ``no_grad``,
``scope``, ``dot``, ``sum_values``, ``topological_order`` and the rule table ``RULES``.
"""

from .derivatives import grad, hessian
from .graph import topological_order
from .gradcheck import GradcheckError, gradcheck
from .rules import RULES, Rule
from .state import enable_grad, is_grad_enabled, no_grad, scope
from .value import Value, dot, sum_values

__version__ = "0.1.0"

__all__ = [
    "RULES", "GradcheckError", "Rule", "Value", "dot", "enable_grad", "grad", "gradcheck",
    "hessian", "is_grad_enabled", "no_grad", "scope", "sum_values", "topological_order",
]
