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

Long sums wrap between terms (never inside a name) at ``WIDTH`` characters. A path
of more than ``MAX_FACTORS`` edges is shown node by node instead: a product of
thousands of factors teaches nothing.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from . import graph, latex, rules
from .stepping import _num, node_names
from .stepping import symbol as _symbol
from .value import Value

WIDTH = 88             # characters per line of text (a notebook cell shows ~120)
MAX_FACTORS = 20       # longer paths are shown in the per-node form
MAX_PER_NODE_LINES = 40  # the per-node form shows the first and last 20 nodes
MAX_TERMS = 8          # and of a node with more consumers, the first 6 terms


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
    there are more than ``path_limit`` paths or a path is longer than ``MAX_FACTORS``,
    ``.per_node``: the dynamic-programming form, one line per node, d root / d node =
    Σ over its consumers (the first and last nodes of a long graph, the rest counted)."""

    root: Any
    wrt: Any
    paths: list[Path]
    path_count: int
    total: float
    names: dict = field(repr=False, default_factory=dict)
    per_node: list[str] = field(default_factory=list)
    longest: int = 0  # factors on the longest path from wrt to root

    def _d(self, top: Any, bottom: Any) -> str:
        return f"d{_symbol(self.names[top])}/d{_symbol(self.names[bottom])}"

    def lines(self, width: int = WIDTH) -> list[str]:
        """The text, wrapped between terms to ``width`` characters where it can be."""
        head = f"{self._d(self.root, self.wrt)} = "
        pad = " " * (len(head) - 2)
        if self.wrt is self.root:  # an empty path: no edge to multiply along
            return [f"{head}1    (the seed: backward starts here)"]
        if not self.paths:
            if self.path_count == 0:
                return [f"{head}0    ({self.names[self.wrt]} does not reach "
                        f"{self.names[self.root]})"]
            if self.path_count == 1:
                why = (f"the one path from {self.names[self.wrt]} to {self.names[self.root]} "
                       f"has {self.longest:,} factors: too long to write out")
            else:
                why = (f"{self.path_count} paths lead from {self.names[self.wrt]} to "
                       f"{self.names[self.root]}: too many to write out")
            per_node = [line for text in self.per_node
                        for line in wrap(text, " + ", width, "      ")]
            return ([f"{why};", "node by node, each gradient is the sum over its consumers:"]
                    + per_node + [f"{head}{_num(self.total)}"])
        symbolic = [" · ".join(self._d(f.node, f.parent) for f in p.factors)
                    for p in self.paths]
        numeric = [" · ".join(_signed(f.local) for f in p.factors) for p in self.paths]
        return (wrap_terms(head, symbolic, width) + wrap_terms(f"{pad}= ", numeric, width)
                + [f"{pad}= {_num(self.total)}"])

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_markdown_(self) -> str:
        text = str(self)
        fence = "`" * max(3, 1 + max(map(len, re.findall("`+", text)), default=0))
        text = f"{fence}\n{text}\n{fence}\n"  # a fence longer than any backticks inside
        rows = {(id(f.node), f.index): f for p in self.paths for f in p.factors}
        if rows:
            text += "\n| local derivative | rule | value |\n|---|---|---|\n"
            for f in rows.values():
                text += (f"| {markdown_text(self._d(f.node, f.parent))} | "
                         f"{markdown_code(f.formula)} | {_num(f.local)} |\n")
        # JupyterLab shows Markdown before LaTeX: the maths rides along as a $$ block.
        return text + "\n" + latex.explanation_markdown(self) + "\n"

    def latex(self) -> str:
        """The chain rule as an ``align*`` block: symbolic, numbers, total
        (``autograd.latex``)."""
        return latex.explanation_latex(self)

    def _repr_latex_(self) -> str:
        return latex.explanation_markdown(self)


def markdown_text(text: str) -> str:
    """``text`` shown as itself in Markdown (and a table cell): no tags, no emphasis.

    >>> print(markdown_text("<img src=x> | *a*"))
    &lt;img src=x&gt; \\| \\*a\\*
    """
    text = html.escape(" ".join(text.split()), quote=False)
    return re.sub(r"([\\`*_\[\]{}()#+\-.!|~])", r"\\\1", text)


def markdown_code(text: str) -> str:
    """``text`` as an inline code span that survives backticks, ``|`` and tags in it."""
    text = " ".join(text.split()).replace("|", "\\|")  # GFM splits cells even in code
    ticks = "`" * (1 + max(map(len, re.findall("`+", text)), default=0))
    space = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{space}{text}{space}{ticks}"


def wrap_terms(head: str, terms: list[str], width: int = WIDTH) -> list[str]:
    """``head`` + the terms joined by `` + ``, wrapped between terms (then factors)."""
    return wrap(head + " + ".join(terms), " + ", width, " " * (len(head) - 2))


def wrap(text: str, separator: str, width: int, pad: str) -> list[str]:
    """``text`` cut at ``separator`` into lines of at most ``width`` characters; a
    continuation line starts with ``pad`` and the operator. A part still too long is
    cut at `` · ``; a name longer than the line stays whole.

    >>> wrap("y = a · b + c · d", " + ", 12, "  ")
    ['y = a · b', '  + c · d']
    """
    if len(text) <= width:
        return [text]
    lines = [""]
    for part in text.split(separator):
        joined = lines[-1] + separator + part if lines[-1] else part
        if len(joined) <= width or not lines[-1].strip():
            lines[-1] = joined
        else:
            lines.append(pad + separator.lstrip() + part)
    if separator == " · ":
        return lines
    return [piece for line in lines
            for piece in wrap(line, " · ", width, pad + "  ")]


def _signed(x: float) -> str:
    """Negative factors in brackets, so ``2 · (-3)`` reads as a product."""
    return f"({_num(x)})" if x < 0 else _num(x)


def explain(root: Any, wrt: Any, path_limit: int = 16) -> Explanation:
    """Write d root / d wrt as a sum over paths of products of local derivatives.

    Over ``path_limit`` paths, or on a path of more than ``MAX_FACTORS`` edges, says
    so and gives the per-node form (d root / d v = Σ over consumers c of
    d root / d c · d c / d v) instead. Time and memory grow linearly with the graph.
    """
    if not isinstance(root, Value):  # a Tensor's local derivatives are not single numbers
        raise TypeError(f"explain() writes the chain rule with numbers, so it needs a Value "
                        f"graph, got a {type(root).__name__}; for Tensors use "
                        f"backward_steps(root) to see each edge, or grad(root, [x])")
    order = graph.topological_order(root)
    names = node_names(order, root)
    if wrt not in names:
        names[wrt] = getattr(wrt, "label", "") or "x"
    count, longest = _count_paths(order, wrt)
    adjoint = graph.propagate(root, 1.0)  # d root / d v for every v, walked once
    explanation = Explanation(root, wrt, [], count.get(root, 0), adjoint.get(wrt, 0.0), names,
                              longest=longest.get(root, 0))
    if 0 < explanation.path_count <= path_limit and explanation.longest <= MAX_FACTORS:
        explanation.paths = _paths(root, wrt, count)
        explanation.total = sum(p.product for p in explanation.paths)
    elif explanation.path_count:
        explanation.per_node = _per_node_lines(order, count, names, adjoint)
    return explanation


def _count_paths(order: list, wrt: Any) -> tuple[dict, dict]:
    """Number of distinct edge paths from ``wrt`` up to each node (absent when none),
    and the number of edges on the longest of them."""
    count: dict = {}
    longest: dict = {}
    for node in order:
        if node is wrt:
            count[node], longest[node] = 1, 0
            continue
        reached = [p for p in node.parents if p in count]
        if reached:
            count[node] = sum(count[p] for p in reached)
            longest[node] = 1 + max(longest[p] for p in reached)
    return count, longest


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
    """One line per node that ``wrt`` reaches, from the root down; past
    ``MAX_PER_NODE_LINES`` nodes, the first and last halves and a count between."""
    consumers: dict = {}
    for node in order:
        for parent in node.parents:
            consumers.setdefault(parent, []).append(node)
    root = order[-1]
    shown = [node for node in reversed(order) if node is not root and node in count]
    half = MAX_PER_NODE_LINES // 2
    skipped = len(shown) - 2 * half if len(shown) > MAX_PER_NODE_LINES else 0
    top = _symbol(names[root])
    lines = []
    for number, node in enumerate(shown):
        if skipped and number == half:
            lines.append(f"  ⋮ ({skipped:,} more nodes, each the same sum over its consumers)")
        if skipped and half <= number < half + skipped:
            continue
        this = _symbol(names[node])
        users = consumers.get(node, [])
        terms = [f"d{top}/d{_symbol(names[c])} · d{_symbol(names[c])}/d{this}"
                 for c in users[:MAX_TERMS - 2 if len(users) > MAX_TERMS else MAX_TERMS]]
        if len(users) > len(terms):
            terms.append(f"… ({len(users) - len(terms):,} more terms)")
        terms = " + ".join(terms)
        lines.append(f"  d{top}/d{this} = {terms} = {_num(adjoint[node])}")
    return lines
