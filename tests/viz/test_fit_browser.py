"""Drawings in a notebook-cell-wide page (980 px), in headless Chromium: shown whole,
node text at least 9 px on screen, also with scripts off; "natural size" lets them pan.

Browser set-up as in test_player_browser.py (skips without Chromium, fails under CI).
"""

from __future__ import annotations

import pytest

from autograd import Value
from nn import MLP
from viz import draw_graph, draw_network, step_through

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


# Every text of a still player frame, the caption under the graph included.
MEASURE_ALL = MEASURE.replace(".cr-fit svg", "svg")


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no scripts"])
def test_still_player_frames_fit_a_cell_with_all_text_of_9_px_or_more(
        browser, scripts, make_neuron, make_network_222):
    """player.frame(k), and frame 0 as a saved notebook shows it without scripts: the
    2-2-2 network's edge labels would be 6.6 px at fit, so its still frames leave them
    out (the caption holds the current edge's arithmetic)."""
    players = {"README neuron": step_through(make_neuron()[0]),
               "notebook 02": step_through(make_network_222(), skip_constants=True),
               "notebook 02, all steps": step_through(make_network_222())}
    for name, player in players.items():
        shown = [player.frame(k)._repr_mimebundle_()["text/html"]
                 for k in (0, 5, len(player))]
        if not scripts:  # what the notebook shows before (or without) its script
            shown.append(player._repr_mimebundle_()["text/html"])
        for html in shown:
            page, errors = _open(browser, html, scripts)
            text = page.evaluate(MEASURE_ALL, "text")
            assert text["count"] > 10, name
            assert text["width"] <= CELL and text["pageWidth"] <= CELL, name
            assert text["min"] >= 9, (name, text)
            assert errors == [], name
            page.context.close()


def test_the_live_player_keeps_its_edge_labels(browser, make_network_222):
    """Where scripts run, the player swaps the still frame for its own layout, whose
    edge labels it shows at >= 9 px by scrolling its box instead of shrinking."""
    player = step_through(make_network_222(), skip_constants=True)
    page, errors = _open(browser, player._repr_mimebundle_()["text/html"])
    assert page.locator(".cr-graph g.edge text").count() > 10
    page.click("button[data-action=next]")
    assert page.locator(".cr-graph .cr-edge.cr-current").count() == 1
    assert errors == []
    page.context.close()
