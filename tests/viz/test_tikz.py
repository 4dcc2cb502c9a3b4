"""TikZ export: the picture as drawn, compiled by pdflatex, every label escaped."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from latex_check import (
    compile_pages,
    compile_standalone,
    page_count,
    pdf_info,
    rasterize,
    two_paths,
)

import viz
from autograd import Tensor, Value, backward_steps, latex
from nn import MLP
from viz.draw import draw_graph
from viz.tikz import LatexError, check_width, compile_pdf, to_tikz


def test_the_neuron_in_every_drawing_option_compiles(neuron, tmp_path):
    o, _ = neuron
    o.backward()
    random.seed(0)
    model = MLP(2, [3, 1])
    x = Tensor(np.arange(6.0).reshape(3, 2), requires_grad=True)
    w = Tensor(np.ones((2, 1)), requires_grad=True)
    tensor_loss = (x @ w).relu().sum()
    tensor_loss.backward()
    pictures = [
        to_tikz(o),
        to_tikz(o, width="\\linewidth", show_edge_grads=True, legend=True),
        to_tikz(o, width=8, color_by="grad", highlight=[o, (o, 0)]),
        to_tikz(model([1.0, -1.0]), width="0.9\\textwidth", collapse="module"),
        to_tikz(viz.draw_network(model), width="12cm"),
        to_tikz(o, theme="dark", show_order=True, width="3in"),
        to_tikz(tensor_loss, width="10cm", show_edge_grads=True),  # shapes: "3×2 float64"
    ]
    pdf = compile_pages(pictures)
    assert pdf.startswith(b"%PDF") and page_count(pdf, tmp_path) == len(pictures)
    page = rasterize(pdf, tmp_path, page=2)
    colours = {page.getpixel((x, y)) for x in range(0, page.width, 3)
               for y in range(0, page.height, 3)}
    assert len(colours) > 20  # boxes, fills, text: not a blank page


def test_tikz_holds_every_box_text_and_edge_of_the_drawing(neuron):
    o, nodes = neuron
    o.backward()
    drawing = draw_graph(o, show_edge_grads=True)
    tikz = to_tikz(drawing)
    for label in ("x1", "w1", "x1*w1 + x2*w2", "tanh"):
        assert "{" + latex.text(label) + "}" in tikz
    edges = sum(1 for line in drawing.body if "->" in line)
    arrowheads = len(re.findall(r"\\path\[[^\]]*fill=[^\]]*\] \([^)]*\) -- \([^)]*\) -- "
                                r"\([^)]*\) -- cycle;", tikz))
    assert arrowheads == edges
    assert "grad 0.5000" in tikz and "local" in tikz


def test_width_scales_and_a_bad_width_is_refused(neuron):
    o, _ = neuron
    assert to_tikz(o, width=5).startswith("\\resizebox{5cm}{!}{")
    assert to_tikz(o, width="0.5\\linewidth").startswith("\\resizebox{0.5\\linewidth}{!}{")
    assert check_width(" 120mm ") == "120mm"
    for bad in ("wide", "12", "-3cm", "0cm", "0\\linewidth", -1, 0, float("inf"), True,
                "\\linewidth}{", [5]):
        with pytest.raises(ValueError, match="width must be a length") as caught:
            to_tikz(o, width=bad)
        assert repr(bad) in str(caught.value)
    with pytest.raises(TypeError, match="draw_graph"):
        to_tikz(draw_graph(o), legend=True)


def test_standalone_page_is_the_size_of_the_picture(neuron, tmp_path):
    o, _ = neuron
    source = to_tikz(o, standalone=True)
    assert source.startswith("\\documentclass{article}") and "standalone" not in source
    pdf = compile_standalone(to_tikz(o))
    info = pdf_info(pdf, tmp_path)
    assert info["Pages"] == "1"
    width, height = (float(v) for v in re.findall(r"[\d.]+", info["Page size"])[:2])
    picture = viz.shapes.lay_out(draw_graph(o))
    x0, y0, x1, y1 = picture.box
    # Big points in the picture, TeX points on the page: equal within rounding.
    assert abs(width - (x1 - x0)) < 2 and abs(height - (y1 - y0)) < 2
    page = rasterize(pdf, tmp_path, dpi=30)
    assert page.getpixel((0, 0)) == (255, 255, 255)


# Any character, and more often the ones that go wrong: LaTeX's specials, the symbols
# mapped to commands, accents, scripts LaTeX's base fonts lack, controls.
TRICKY = st.sampled_from(list("_%&#${}~^\\<>|\"'-!?`.,;*+=/()[] aZ09\n\t") + list(latex._MATH)
                         + list("—–“”•éñçåčāß한€\u0301\u200b\x00\x07"))
LABEL = st.text(st.one_of(st.characters(blacklist_categories=("Cs",)), TRICKY), max_size=12)


@settings(max_examples=4)
@given(st.lists(LABEL, min_size=30, max_size=30))
@example(["°'", "x²'", "''", "^^", "σ'", "½'"] * 5)  # once a "double superscript"
def test_any_label_compiles_in_text_and_in_math(labels):
    escaped = [latex.text(label) for label in labels]
    assert all(text.isascii() for text in escaped)
    rows = [f"{text}\\par ${latex.symbol(label)}$ ${latex.partial(label, label)}$\\par"
            for label, text in zip(labels, escaped)]
    assert compile_pages(["\n".join(rows)]).startswith(b"%PDF")


def test_specials_greek_symbols_and_hangul_come_out_as_commands():
    assert latex.text("_ % & # $ { } ~ ^ \\") == (
        "\\_ \\% \\& \\# \\$ \\{ \\} \\textasciitilde{} \\textasciicircum{} "
        "\\textbackslash{}")
    assert latex.text("σ Σ √ · ∂ ²") == ("\\ensuremath{\\sigma} \\ensuremath{\\Sigma} "
                                         "\\ensuremath{\\surd} \\ensuremath{\\cdot} "
                                         "\\ensuremath{\\partial} \\ensuremath{^{2}}")
    assert latex.text("한글") == "\\texttt{[U+D55C]}\\texttt{[U+AE00]}"  # visible, not an error
    assert latex.symbol("σ") == "\\sigma" and latex.symbol("W1") == "W_{1}"


def test_labels_users_write_survive_the_whole_picture(tmp_path):
    names = ["a_1", "50%", "x & y", "#3", "{z}", "~t", "^u", "\\N", "σ(x)", "x²", "√w",
             "∂L", "Σ", "손실", "</b>", '"q"', "--x", "!`"]
    nodes = [Value(float(i), label=name) for i, name in enumerate(names)]
    total = nodes[0]
    for node in nodes[1:]:
        total = total + node
    total.label = "L·2"
    tikz = to_tikz(total, width="\\linewidth")
    assert "[U+C190]" in tikz and "\\ensuremath{\\sigma}" in tikz
    assert compile_pages([tikz]).startswith(b"%PDF")


def test_show_order_numbers_nodes_as_backward_visits_them():
    a = Value(1.0, label="a")
    b = a + a
    b.label = "b"
    c = b + b
    c.label = "c"
    source = draw_graph(c, show_order=True).source
    numbers = dict((name, int(n)) for n, name in
                   re.findall(r"#(\d+)</font></td><td bgcolor=\"#\w+\"><b>(\w)", source))
    assert numbers == {"c": 1, "b": 2, "a": 3}
    # the same order as the steps backward() takes: every edge out of a node comes first
    visited = [step.node.label for step in backward_steps(c)]
    assert visited == ["c", "c", "b", "b"]
    assert a.grad == 4.0  # d(4a)/da, complete only because b was finished before a


def test_compiling_without_pdflatex_says_how_to_get_it(monkeypatch, neuron, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(LatexError, match="pdflatex, which is not on PATH.*texlive"):
        compile_pdf(to_tikz(neuron[0], standalone=True))
    player = viz.step_through(neuron[0])
    with pytest.raises(LatexError, match="pdflatex"):
        player.save_beamer(tmp_path / "deck.tex", compile=True)
    assert not (tmp_path / "deck.tex").exists()


def test_beamer_deck_has_one_slide_per_step_with_its_equation(tmp_path):
    player = viz.step_through(two_paths())
    path = player.save_beamer(tmp_path / "deck.tex", title="d L / d a", compile=True)
    source = path.read_text()
    assert source.count("\\begin{frame}") == len(player) + 1
    assert ("\\frac{\\partial L}{\\partial a} \\mathrel{+}= \\frac{\\partial L}{\\partial c} "
            "\\cdot \\frac{\\partial c}{\\partial a} = 1 \\cdot (-3) = -3") in source
    pdf = path.with_suffix(".pdf").read_bytes()
    assert page_count(pdf, tmp_path) == len(player) + 1
    with pytest.raises(ValueError, match="end the name with .tex"):
        player.save_beamer(tmp_path / "deck.pdf")
