"""The chain rule written out: d root / d x as a sum over paths of products.

    d L / d x = Σ over paths x → ... → L of  Π (local derivative along each edge)

    >>> from autograd import Value, explain
    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    >>> c = a * b; c.label = "c"
    >>> L = c + a; L.label = "L"
    >>> print(explain(L, wrt=a))
    dL/da = dL/dc · dc/da + dL/da
          = 1 · (-3) + 1
          = -2
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import graph, rules
from .stepping import _num, node_names
from .stepping import symbol as _symbol
from .value import Value


@dataclass(frozen=True)
class Factor:
    """One edge on a path: d node / d parent, its formula and its number."""

    node: Any
    parent: Any
    index: int
    local: float
    formula: str


@dataclass(frozen=True)
class Path:
    """Edges from the root down to ``wrt``; the product of their local derivatives."""

    factors: tuple[Factor, ...]

    @property
    def product(self) -> float:
        result = 1.0
        for factor in self.factors:
            result *= factor.local
        return result


@dataclass
class Explanation:
    """``.paths`` (each a list of factors), ``.total`` (= d root / d wrt), and, when
    there are more than ``path_limit`` paths, ``.per_node``: the dynamic-programming
    form, one line per node, d root / d node = Σ over its consumers."""

    root: Any
    wrt: Any
    paths: list[Path]
    path_count: int
    total: float
    names: dict = field(repr=False, default_factory=dict)
    per_node: list[str] = field(default_factory=list)

    def _d(self, top: Any, bottom: Any) -> str:
        return f"d{_symbol(self.names[top])}/d{_symbol(self.names[bottom])}"

    def lines(self) -> list[str]:
        head = f"{self._d(self.root, self.wrt)} = "
        pad = " " * (len(head) - 2)
        if not self.paths:
            if self.path_count == 0:
                return [f"{head}0    ({self.names[self.wrt]} does not reach "
                        f"{self.names[self.root]})"]
            return ([f"{self.path_count} paths lead from {self.names[self.wrt]} to "
                     f"{self.names[self.root]}: too many to write out; node by node, each "
                     f"gradient is the sum over its consumers:"] + self.per_node
                    + [f"{head}{_num(self.total)}"])
        symbolic = " + ".join(" · ".join(self._d(f.node, f.parent) for f in p.factors)
                              for p in self.paths)
        numeric = " + ".join(" · ".join(_signed(f.local) for f in p.factors)
                             for p in self.paths)
        return [head + symbolic, f"{pad}= {numeric}", f"{pad}= {_num(self.total)}"]

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_markdown_(self) -> str:
        text = "```\n" + str(self) + "\n```\n"
        if self.paths:
            rows = {(id(f.node), f.index): f for p in self.paths for f in p.factors}
            text += "\n| local derivative | rule | value |\n|---|---|---|\n"
            for f in rows.values():
                text += f"| {self._d(f.node, f.parent)} | `{f.formula}` | {_num(f.local)} |\n"
        return text


def _signed(x: float) -> str:
    """Negative factors in brackets, so ``2 · (-3)`` reads as a product."""
    return f"({_num(x)})" if x < 0 else _num(x)


def explain(root: Any, wrt: Any, path_limit: int = 16) -> Explanation:
    """Write d root / d wrt as a sum over paths of products of local derivatives.

    Over ``path_limit`` paths, says how many there are and gives the per-node form
    (d root / d v = Σ over consumers c of d root / d c · d c / d v) instead.
    """
    if not isinstance(root, Value):  # a Tensor's local derivatives are not single numbers
        raise TypeError(f"explain() writes the chain rule with numbers, so it needs a Value "
                        f"graph, got a {type(root).__name__}; for Tensors use "
                        f"backward_steps(root) to see each edge, or grad(root, [x])")
    order = graph.topological_order(root)
    names = node_names(order)
    if wrt not in names:
        names[wrt] = getattr(wrt, "label", "") or "x"
    count = _count_paths(order, wrt)
    adjoint = graph.propagate(root, 1.0)  # d root / d v for every v, walked once
    explanation = Explanation(root, wrt, [], count.get(root, 0), adjoint.get(wrt, 0.0), names)
    if 0 < explanation.path_count <= path_limit:
        explanation.paths = _paths(root, wrt, count)
        explanation.total = sum(p.product for p in explanation.paths)
    elif explanation.path_count:
        explanation.per_node = _per_node_lines(order, count, names, adjoint)
    return explanation


def _count_paths(order: list, wrt: Any) -> dict:
    """Number of distinct edge paths from ``wrt`` up to each node (0 when none)."""
    count: dict = {}
    for node in order:
        n = 1 if node is wrt else sum(count.get(p, 0) for p in node.parents)
        if n:
            count[node] = n
    return count


def _factor(node: Any, index: int) -> Factor:
    text = rules.RULES[node.op].formula(index, len(node.parents))
    return Factor(node, node.parents[index], index, node.local_grads[index], text)


def _paths(root: Any, wrt: Any, count: dict) -> list[Path]:
    """Every path from root down to wrt (iterative; only along edges that reach wrt)."""
    found: list[Path] = []
    stack: list[tuple[Any, tuple[Factor, ...]]] = [(root, ())]
    while stack:
        node, factors = stack.pop()
        if node is wrt:
            found.append(Path(factors))
            continue
        for index in reversed(range(len(node.parents))):
            if node.parents[index] in count:
                stack.append((node.parents[index], factors + (_factor(node, index),)))
    return found


def _per_node_lines(order: list, count: dict, names: dict, adjoint: dict) -> list[str]:
    consumers: dict = {}
    for node in order:
        for index, parent in enumerate(node.parents):
            consumers.setdefault(parent, []).append((node, index))
    root = order[-1]
    lines = []
    for node in reversed(order):
        if node is root or node not in count:
            continue
        top, this = _symbol(names[root]), _symbol(names[node])
        terms = " + ".join(f"d{top}/d{_symbol(names[c])} · d{_symbol(names[c])}/d{this}"
                           for c, _ in consumers.get(node, []))
        lines.append(f"  d{top}/d{this} = {terms} = {_num(adjoint[node])}")
    return lines
