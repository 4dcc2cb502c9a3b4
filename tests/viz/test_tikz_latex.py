"""The chain rule as LaTeX: explain(...) and backward steps, compiled by pdflatex."""

from __future__ import annotations

import re

from latex_check import compile_pages, two_paths

from autograd import Value, backward_steps, explain, latex


def _numbers(row: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+\.?\d*(?:e-?\d+)?", row)]


def _central_difference(f, x: Value, h: float = 1e-6) -> float:
    start = x.data
    x.data = start + h
    up = f().data
    x.data = start - h
    down = f().data
    x.data = start
    return (up - down) / (2 * h)


def test_two_paths_written_symbolically_and_with_numbers():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")

    def forward():
        return two_paths(a, b)

    L = forward()
    block = latex.explanation_latex(explain(L, wrt=a))
    assert block.startswith("\\begin{align*}") and block.endswith("\\end{align*}")
    assert ("\\frac{\\partial L}{\\partial a} &= \\frac{\\partial L}{\\partial c} \\cdot "
            "\\frac{\\partial c}{\\partial a} + \\frac{\\partial L}{\\partial a}") in block
    assert "&= 1 \\cdot (-3) + 1" in block
    total = _numbers(block.splitlines()[-2])[-1]
    L.backward()
    assert total == a.grad == -2.0
    assert abs(total - _central_difference(forward, a)) < 1e-6


def test_aligned_form_for_markdown_and_a_graph_with_no_path():
    x = Value(1.0, label="x")
    y = Value(2.0, label="y")
    z = y * 3.0
    z.label = "z"
    aligned = latex.explanation_markdown(explain(z, wrt=x))
    assert aligned.startswith("$$\\begin{aligned}") and aligned.endswith("\\end{aligned}$$")
    assert "&= 0" in aligned and "does not reach" in aligned


def test_explanations_and_steps_compile(neuron):
    o, nodes = neuron
    blocks = [latex.explanation_latex(explain(o, wrt=nodes[name])) for name in ("x1", "w1")]
    x = Value(0.5, label="σ_x")
    y = x
    for _ in range(5):  # 63 paths: more than explain writes out
        y = y * y + x
    y.label = "ŷ"
    many = latex.explanation_latex(explain(y, wrt=x))
    assert "63 paths: node by node" in many and "\\vdots" in many
    y.backward()
    assert float(many.splitlines()[-2].split("&= ")[1]) == float(f"{x.grad:.4g}")
    blocks.append(many)
    steps = [latex.step_latex(step) for step in backward_steps(o)]
    blocks.append("\\begin{gather*}\n" + " \\\\\n".join(steps) + "\n\\end{gather*}")
    assert compile_pages(blocks).startswith(b"%PDF")


def test_a_step_that_adds_to_a_gradient_says_plus_equals():
    a = Value(3.0, label="a")
    y = a * a
    y.label = "y"
    first, second = (latex.step_latex(step) for step in backward_steps(y))
    assert first == ("\\frac{\\partial y}{\\partial a} = \\frac{\\partial y}{\\partial y} "
                     "\\cdot \\frac{\\partial y}{\\partial a} = 1 \\cdot 3 = 3")
    assert second.startswith("\\frac{\\partial y}{\\partial a} \\mathrel{+}= ")
    assert a.grad == 6.0  # the two steps add up: d(a²)/da = 2a


def test_names_are_typeset():
    assert latex.partial("h1", "W3") == "\\frac{\\partial h_{1}}{\\partial W_{3}}"
    assert latex.symbol("loss") == "\\mathit{loss}"
    assert latex.symbol("x1*w1") == "(x1\\cdot w1)"
    assert latex.symbol("e1²") == "e_{1}^{2}"
    assert latex.symbol("½") == "\\frac{1}{2}"


def test_explain_and_steps_carry_their_latex():
    L = two_paths()
    a = L.parents[1]
    explanation = explain(L, wrt=a)
    assert explanation.latex() == latex.explanation_latex(explanation)
    assert explanation._repr_latex_().startswith("$$\\begin{aligned}")
    markdown = explanation._repr_markdown_()  # what JupyterLab shows: text, table, maths
    assert markdown.index("| local derivative") < markdown.index("$$\\begin{aligned}")
    assert markdown.rstrip().endswith("\\end{aligned}$$")
    steps = list(backward_steps(L))
    assert [step.latex() for step in steps] == [latex.step_latex(step) for step in steps]
    pages = [explanation.latex(), "$" + steps[-1].latex() + "$"]
    assert compile_pages(pages).startswith(b"%PDF")
