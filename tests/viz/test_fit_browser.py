"""Drawings in a notebook-cell-wide page (980 px), in headless Chromium: shown whole,
node text at least 9 px on screen, also with scripts off; "natural size" lets them pan.

Browser set-up as in test_player_browser.py (skips without Chromium, fails under CI).
"""

from __future__ import annotations

import pytest

from autograd import Value
from nn import MLP
from viz import draw_graph, draw_network

CELL = 980
# On-screen font size of an SVG's texts: the font size in SVG units times the
# picture's scale (its drawn width over its viewBox width).
MEASURE = """(selector) => {
  const svg = document.querySelector('.cr-fit svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = Array.from(svg.querySelectorAll(selector))
    .filter(t => t.textContent.trim())
    .map(t => parseFloat(t.getAttribute('font-size')) * scale);
  return {min: Math.min(...sizes), count: sizes.length,
          width: svg.getBoundingClientRect().width,
          pageWidth: document.documentElement.scrollWidth};
}"""


def notebook_01_graph() -> Value:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    d = b ** 2
    e = c + d
    L = e.sigmoid()
    for node, name in ((c, "c"), (d, "d"), (e, "e"), (L, "L")):
        node.label = name
    L.backward()
    return L


def _drawings(make_neuron, make_network_222):
    neuron, _ = make_neuron()
    neuron.backward()
    L = notebook_01_graph()
    E = make_network_222()
    E.backward()
    return {
        "README neuron": draw_graph(neuron),
        "README neuron, edge gradients": draw_graph(neuron, show_edge_grads=True),
        "notebook 01, legend": draw_graph(L, legend=True),
        "notebook 01, edge gradients": draw_graph(L, show_edge_grads=True),
        "notebook 02, 2-2-2 network": draw_graph(E),
        "draw_network, MLP(2, [16, 16, 1])": draw_network(MLP(2, [16, 16, 1])),
    }


def _open(browser, html: str, scripts: bool = True):
    context = browser.new_context(viewport={"width": CELL, "height": 800},
                                  java_script_enabled=scripts)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content(f'<body style="margin:0"><div style="width:{CELL}px">{html}</div></body>')
    return page, errors


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no scripts"])
def test_drawings_fit_a_cell_with_node_text_of_9_px_or_more(browser, scripts, make_neuron,
                                                             make_network_222):
    for name, drawing in _drawings(make_neuron, make_network_222).items():
        page, errors = _open(browser, drawing._repr_mimebundle_()["text/html"], scripts)
        nodes = page.evaluate(MEASURE, "g.node text")
        assert nodes["count"] > 5, name
        assert nodes["width"] <= CELL and nodes["pageWidth"] <= CELL, name
        assert nodes["min"] >= 9, (name, nodes)
        if "edge" in name:
            assert page.evaluate(MEASURE, "g.edge text")["min"] >= 9, name
        assert errors == [], name
        page.context.close()


def test_natural_size_switch_shows_the_picture_larger_and_pans(browser):
    y = Value(1.0, label="x")
    for _ in range(12):  # long enough to be scaled down in a cell
        y = (y * 1.5).tanh()
    y.label = "y"
    drawing = draw_graph(y, rankdir="LR")
    page, errors = _open(browser, drawing._repr_mimebundle_()["text/html"])
    fitted = page.evaluate(MEASURE, "g.node text")
    assert fitted["width"] <= CELL
    page.click(".cr-fit label")
    natural = page.evaluate(MEASURE, "g.node text")
    assert natural["width"] > 1.5 * CELL and natural["min"] > fitted["min"]
    view = ".cr-fit-view"
    assert page.eval_on_selector(view, "v => v.scrollWidth > v.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= CELL  # the box pans
    box = page.locator(view).bounding_box()
    page.mouse.move(box["x"] + 600, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + 200, box["y"] + 40)
    page.mouse.up()
    assert page.eval_on_selector(view, "v => v.scrollLeft") >= 300  # dragged 400 px
    assert errors == []
