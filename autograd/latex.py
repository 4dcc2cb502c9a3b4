"""The chain rule as LaTeX: escaping, node names, partial derivatives, explanations, steps.

Every user string goes through ``text`` (text mode) or ``symbol`` (math mode): LaTeX's
special characters are escaped, Greek letters and the rule table's symbols (σ Σ √ · ∂ ²)
become LaTeX commands, and a character these commands cannot set (e.g. Hangul) is
written as its code point, visibly, never as a compile error. The output is plain
ASCII and needs only LaTeX's base packages (``amsmath`` for ``align*``).

    >>> text("50% of a_b & {c}")
    '50\\\\% of a\\\\_b \\\\& \\\\{c\\\\}'
    >>> text("σ(x)·2"), text("한")
    ('\\\\ensuremath{\\\\sigma}(x)\\\\ensuremath{\\\\cdot}2', '\\\\texttt{[U+D55C]}')
    >>> symbol("h1"), symbol("L"), partial("L", "w1")
    ('h_{1}', 'L', '\\\\frac{\\\\partial L}{\\\\partial w_{1}}')
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from . import graph

_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
            "#": r"\#", "%": r"\%", "_": r"\_", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
            "|": r"\ensuremath{|}", '"': r"\texttt{\char34}", "-": "-{}", "!": "!{}", "?": "?{}",
            "\n": " ", "\t": " ", "\ufffd": "?"}
_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
          "omicron pi rho varsigma sigma tau upsilon phi chi psi omega").split()
_MATH = {chr(0x3B1 + i): "o" if name == "omicron" else "\\" + name
         for i, name in enumerate(_GREEK)}
# Capitals: those unlike a Latin letter have commands, the rest are upright Latin.
_MATH.update({chr(0x391 + i): ("\\" + name.capitalize()) if name.capitalize() in (
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi",
    "Omega") else r"\mathrm{" + latin + "}" for i, (name, latin) in
    enumerate(zip(_GREEK, "ABGDEZHTIKLMNXOPR?STYFXYO")) if latin != "?"})
_MATH.update({"·": r"\cdot", "×": r"\times", "∂": r"\partial", "√": r"\surd", "∑": r"\sum",
              "∏": r"\prod", "²": "^{2}", "³": "^{3}", "¹": "^{1}", "½": r"\frac{1}{2}",
              "−": "-", "±": r"\pm", "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "≈": r"\approx",
              "→": r"\rightarrow", "←": r"\leftarrow", "∞": r"\infty", "⊙": r"\odot",
              "∇": r"\nabla", "›": r"\rangle", "‹": r"\langle", "°": r"^{\circ}",
              "ϵ": r"\epsilon", "ϕ": r"\phi", "ℓ": r"\ell", "∘": r"\circ", "…": r"\ldots"})
_TEXT = {"—": "---", "–": "--", "‘": "`", "’": "'", "“": "``", "”": "''",
         "•": r"\ensuremath{\bullet}"}
_ACCENTS = {"\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0308": '"',
            "\u0327": "c", "\u030a": "r", "\u030c": "v", "\u0304": "="}


def text(value: Any) -> str:
    """``value`` as text-mode LaTeX (ASCII only): escaped, symbols as commands."""
    out = []
    for char in str(value):
        if char in _SPECIAL:
            out.append(_SPECIAL[char])
        elif " " <= char <= "~":
            out.append(char)
        elif char in _TEXT:
            out.append(_TEXT[char])
        elif char in _MATH:
            out.append(rf"\ensuremath{{{_MATH[char]}}}")
        else:
            out.append(_accented(char) or _code_point(char))
    return "".join(out)


def _accented(char: str) -> str | None:
    """``é`` as ``\\'{e}``: an ASCII letter and one accent LaTeX's base fonts have."""
    parts = unicodedata.normalize("NFD", char)
    if len(parts) == 2 and parts[0].isascii() and parts[0].isalpha() and parts[1] in _ACCENTS:
        return f"\\{_ACCENTS[parts[1]]}{{{parts[0]}}}"
    return None


def _code_point(char: str) -> str:
    return f"\\texttt{{[U+{ord(char):04X}]}}"


# Spelled as commands, so that Markdown around a $$ block never reads them as syntax.
_MATH_ASCII = {"*": r"\cdot ", "[": r"\lbrack ", "]": r"\rbrack ", "|": r"\vert "}


def math_text(value: Any) -> str:
    """``value`` for math mode: symbols as math commands, anything else in ``\\mbox``."""
    out = []
    for char in str(value):
        if char in _MATH and _MATH[char].startswith("^"):
            out.append("{{}" + _MATH[char] + "}")  # one atom: a prime after it is no error
        elif char in _MATH:
            out.append(_MATH[char] + (" " if _MATH[char][-1].isalpha() else ""))
        elif char in _MATH_ASCII:
            out.append(_MATH_ASCII[char])
        elif char.isascii() and (char.isalnum() or char in "+-/=().,:;' "):
            out.append(char)
        else:
            out.append(r"\mbox{" + text(char) + "}")
    return "".join(out).strip()


_NAME = re.compile(r"([A-Za-z]+|[\u0370-\u03ff])_?(\d+)?([²³¹]?)")


def symbol(name: str) -> str:
    """A node's name in math mode: ``h1`` -> ``h_{1}``, ``loss`` -> ``\\mathit{loss}``,
    ``σ`` -> ``\\sigma``; anything else ``(\\mbox{...})``-quoted as text."""
    name = str(name)
    if name in _MATH:  # one symbol: ½, ∂, σ
        return _MATH[name]
    match = _NAME.fullmatch(name)
    if match is None:
        return "(" + math_text(name) + ")" if name else r"\mbox{?}"
    letters, digits, power = match.groups()
    if letters in _MATH:
        head = _MATH[letters]
    elif letters in _GREEK or letters.capitalize() in ("Gamma", "Delta", "Sigma", "Omega"):
        head = "\\" + letters
    else:
        head = letters if len(letters) == 1 else r"\mathit{" + letters + "}"
    return head + (f"_{{{digits}}}" if digits else "") + (_MATH[power] if power else "")


def partial(top: str, bottom: str) -> str:
    """``\\frac{\\partial top}{\\partial bottom}`` for two node names."""
    return rf"\frac{{\partial {symbol(top)}}}{{\partial {symbol(bottom)}}}"


def number(x: Any) -> str:
    """A number as in the text output (4 significant digits), in math mode.

    >>> number(-3.0), number(2.5e-07), number(float("nan"))
    ('-3', '2.5 \\\\times 10^{-7}', '\\\\mathrm{nan}')
    """
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        if not math.isfinite(x):
            return r"\mathrm{nan}" if math.isnan(x) else ("-" if x < 0 else "") + r"\infty"
        shown = f"{x:.4g}"
        if "e" in shown:
            mantissa, exponent = shown.split("e")
            return rf"{mantissa} \times 10^{{{int(exponent)}}}"
        return shown
    return r"\mbox{" + text(x) + "}"


def signed(x: Any) -> str:
    """A negative factor in brackets, so a product reads as one: ``2 \\cdot (-3)``."""
    shown = number(x)
    return f"({shown})" if shown.startswith("-") else shown


def _joined(terms: list[list[str]], per_line: int) -> list[str]:
    """Products (lists of factors) joined by ``+``, at most ``per_line`` factors to a
    line: a long sum wraps between terms, a long product after a ``\\cdot``."""
    lines: list[str] = []
    line, count = "", 0
    for factors in terms:
        for position, factor in enumerate(factors):
            joint = " + " if position == 0 else r" \cdot "
            if count == per_line:
                lines.append(line + (joint.rstrip() if position else ""))
                line, count, joint = ("+ " if position == 0 else ""), 0, ""
            line += (joint if line and joint else "") + factor
            count += 1
    return lines + [line]


def explanation_rows(explanation: Any) -> list[str]:
    """The rows of an ``explain`` result: ``left &= right``, wrapped between terms."""
    names = explanation.names
    name = lambda node: names.get(node) or getattr(node, "label", "") or "x"
    head = partial(name(explanation.root), name(explanation.wrt))
    if explanation.wrt is explanation.root:  # an empty path: the seed
        return [rf"{head} &= 1 && \mbox{{(the seed: backward starts here)}}"]
    if not explanation.paths:
        if explanation.path_count == 0:
            return [rf"{head} &= 0 && \mbox{{({text(name(explanation.wrt))} does not "
                    rf"reach {text(name(explanation.root))})}}"]
        return _per_node_rows(explanation, name) + [rf"{head} &= {number(explanation.total)}"]
    symbolic = [[partial(name(f.node), name(f.parent)) for f in p.factors]
                for p in explanation.paths]
    numeric = [[signed(f.local) for f in p.factors] for p in explanation.paths]
    rows = []
    for lines, first in ((_joined(symbolic, 4), head), (_joined(numeric, 8), "")):
        rows.append(f"{first} &= {lines[0]}")
        rows += [rf" &\quad {line}" for line in lines[1:]]
    rows.append(f" &= {number(explanation.total)}")
    return rows


def _per_node_rows(explanation: Any, name: Any, shown: int = 8) -> list[str]:
    """Too many paths (or too long a path) to write out: the per-node form instead,
    d root / d v = Σ over consumers c of d root / d c · d c / d v, nearest the root first
    (``shown`` rows, then a row of dots)."""
    order = graph.topological_order(explanation.root)
    reaches = {explanation.wrt}
    consumers: dict = {}
    for node in order:
        for parent in node.parents:
            consumers.setdefault(parent, []).append(node)
            if parent in reaches:
                reaches.add(node)
    adjoint = graph.propagate(explanation.root, 1.0)
    top = name(explanation.root)
    rows = [rf"&\mbox{{{explanation.path_count:,} paths: node by node, each gradient is "
            rf"the sum over its consumers}}"]
    nodes = [n for n in reversed(order) if n in reaches and n is not explanation.root]
    for node in nodes[:shown]:
        terms = " + ".join(f"{partial(top, name(c))} {partial(name(c), name(node))}"
                           for c in dict.fromkeys(consumers.get(node, [])))
        rows.append(f"{partial(top, name(node))} &= {terms} = "
                    f"{number(adjoint.get(node, 0.0))}")
    if len(nodes) > shown:
        rows.append(rf"&\vdots \quad \mbox{{({len(nodes) - shown:,} more nodes)}}")
    return rows


def explanation_latex(explanation: Any) -> str:
    """An ``align*`` block: the symbolic chain, the numbers, the total."""
    return "\\begin{align*}\n" + " \\\\\n".join(explanation_rows(explanation)) + \
        "\n\\end{align*}"


def explanation_markdown(explanation: Any) -> str:
    """``$$\\begin{aligned} ... \\end{aligned}$$`` (what JupyterLab's Markdown shows)."""
    return "$$\\begin{aligned}\n" + " \\\\\n".join(explanation_rows(explanation)) + \
        "\n\\end{aligned}$$"


def step_latex(step: Any) -> str:
    """One backward step: ``\\frac{∂L}{∂a} \\mathrel{+}= \\frac{∂L}{∂c} \\cdot
    \\frac{∂c}{∂a} = 1 \\cdot (-3) = -3`` (``=`` on the first path to reach ``a``)."""
    names = step.names
    name = lambda node: names.get(node) or getattr(node, "label", "") or "x"
    root, node, parent = name(step.root), name(step.node), name(step.parent)
    assign = r"\mathrel{+}=" if step.accumulates else "="
    arithmetic = ""
    if isinstance(step.local, (int, float)):
        arithmetic = (f" = {signed(step.upstream)} \\cdot {signed(step.local)} = "
                      f"{number(step.contribution)}")
    return (f"{partial(root, parent)} {assign} {partial(root, node)} \\cdot "
            f"{partial(node, parent)}{arithmetic}")
