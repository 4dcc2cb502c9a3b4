"""Backprop one edge at a time: the reference walk (``graph.propagate``) recorded as steps.

    >>> from autograd import Value, backward_steps
    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    >>> c = a * b; c.label = "c"
    >>> for step in backward_steps(c):
    ...     print(step)
    dc/da = dc/dc · dc/da = 1 · -3 = -3    [d(a*b)/da = b = -3]
    dc/db = dc/dc · dc/db = 1 · 2 = 2    [d(a*b)/db = a = 2]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import graph, latex, rules
from .value import Value


@dataclass(frozen=True)
class Step:
    """One edge of backprop: ``parent.grad += upstream · local``.

    ``upstream`` is d root / d node, ``local`` is d node / d parent (from the rule
    table), ``contribution`` their product. ``grad_before`` is the parent's gradient
    from this pass before the step (``None`` when no path has reached it yet) and
    ``grad_after`` after it: where a node feeds several others you see the ``+=``.
    """

    number: int
    root: Any
    node: Any
    parent: Any
    index: int
    upstream: Any
    local: Any
    contribution: Any
    grad_before: Any
    grad_after: Any
    formula: str
    names: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def accumulates(self) -> bool:
        """True when the parent already had a gradient: this step adds to it."""
        return self.grad_before is not None

    def name_of(self, node: Any) -> str:
        """How ``node`` is written in derivatives: its label, or L for an unlabelled root and
        v1, v2, ... for the other unlabelled nodes (``node_names``)."""
        return symbol(self.names.get(node) or node.label or "x")

    def latex(self) -> str:
        r"""This step as LaTeX: ``\frac{\partial L}{\partial a} \mathrel{+}= ...``
        (``autograd.latex.step_latex``)."""
        return latex.step_latex(self)

    def __str__(self) -> str:
        root = "d" + self.name_of(self.root)
        node, parent = self.name_of(self.node), self.name_of(self.parent)
        assign = "+=" if self.accumulates else "="
        # a Tensor's local derivative is a Jacobian, applied as a VJP: only its result
        numbers = ("" if self.local is None
                   else f"{_num(self.upstream)} · {_num(self.local)} = ")
        return (f"{root}/d{parent} {assign} {root}/d{node} · d{node}/d{parent} = "
                f"{numbers}{_num(self.contribution)}    [{self.formula}]")


def backward_steps(root: Any, seed: float = 1.0) -> Iterator[Step]:
    """Yield one ``Step`` per edge, in exactly the order ``backward()`` applies them.

    Each ``.grad`` is updated as its step is consumed; after the last step every
    ``.grad`` equals what ``root.backward(seed)`` would have left. The root's own
    gradient is set before the first step.
    """
    seed = root._seed(False) * seed  # a Tensor's seed takes the output's shape
    names = node_names(graph.topological_order(root), root)
    recorded: list[tuple] = []
    totals = graph.propagate(
        root, seed, on_edge=lambda *edge: recorded.append(edge))
    start = {node: node.grad for node in totals}  # so the end state equals backward()'s
    root._accumulate(seed)
    root._mark_backward(True)
    for number, (node, index, upstream, contribution, before) in enumerate(recorded):
        parent = node.parents[index]
        after = contribution if before is None else before + contribution
        parent.grad = start[parent]  # then add this pass's total so far, as backward() adds
        parent._accumulate(after)
        yield Step(number, root, node, parent, index, upstream, local_derivative(node, index),
                   contribution, before, after, formula_with_number(node, index), names)


def local_derivative(node: Any, index: int) -> Any:
    """d node / d node.parents[index], the number a Value keeps (None for a Tensor, whose
    gradient comes from a VJP rather than one number per edge)."""
    return node.local_grads[index] if isinstance(node, Value) else None


def formula_with_number(node: Any, index: int) -> str:
    """The rule's text with its value: ``d(a*b)/da = b = -3``; a rule that is a
    number already (``d(a+b)/da = 1``) is not given it twice."""
    text = rules.RULES[node.op].formula(index, len(node.parents))
    local = local_derivative(node, index)
    return text if local is None or _is_number(text.rsplit(" = ", 1)[-1]) \
        else f"{text} = {_num(local)}"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def node_names(order: list, root: Any = None) -> dict:
    """Each node's name in printed derivatives: its label, else v1, v2, ... in order; an
    unlabelled ``root`` is L (the loss, as in dL/dw), unless another node is labelled L.

    >>> from autograd import Value
    >>> a = Value(2.0, label="a"); y = a * a + 1
    >>> list(node_names(graph.topological_order(y), root=y).values())
    ['a', 'v1', 'L']
    """
    taken = any(node.label == "L" for node in order)
    names, unnamed = {}, 0
    for node in order:
        if node.label:
            names[node] = node.label
        elif node is root and not taken:
            names[node] = "L"
        else:
            unnamed += 1
            names[node] = f"v{unnamed}"
    return names


def symbol(name: str) -> str:
    """A label that is not a plain name goes in brackets: ``d(x1*w1)/dw1``."""
    return name if name.isidentifier() else f"({name})"


def _num(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)
