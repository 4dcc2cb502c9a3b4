"""``viz.explore``: what the page is given (texts, boxes, module paths), escaping, bad input.

The page itself is driven in a real browser in test_explore_browser.py.
"""

from __future__ import annotations

import json
import random
import re
import time
from xml.etree import ElementTree

import numpy as np
import pytest

from autograd import RULES, Tensor, Value, explain, topological_order
from nn import MLP, Linear, ReLU, Sequential, cross_entropy, manual_seed
from viz import GraphTooLargeError, explore
from viz.explore_data import FOLD, gather
from viz.explore_static import (
    FONT_PX,
    MIN_TEXT_PX,
    VIEW,
    Structure,
    fit_scale,
    layout,
    opening,
)

NASTY = ('</script><script>alert(1)</script><img src=x onerror="alert(2)">&amp; '
         '\u2028\u2029 lone \ud800 surrogate')


def page_data(html: str) -> dict:
    """The JSON the page's script reads (as the browser's JSON.parse would)."""
    match = re.search(r'<script type="application/json" class="cr-data">(.*?)</script>', html,
                      re.S)
    assert match, "no data block"
    return json.loads(match.group(1))


def mlp_loss(sizes=(3, 1), samples=2):
    random.seed(0)
    model = MLP(2, list(sizes))
    loss = Value(0.0)
    for k in range(samples):
        loss = loss + (model([0.5 * k, -1.0]) - 1.0) ** 2
    loss.label = "loss"
    loss.backward()
    return loss, model


def test_each_node_carries_its_texts_formulas_and_explanation(neuron):
    o, nodes = neuron
    o.backward()
    data = gather(o)
    order = topological_order(o)
    assert len(data.nodes) == len(order)
    unnamed = 0
    for i, node in enumerate(order):
        name, op, kind, data_text, grad_text = data.nodes[i][:5]
        unnamed += not node.label
        assert name == (node.label or f"v{unnamed}")  # the names explain() prints
        assert data_text == f"{node.data:.4f}"
        assert data.parents[i] == [order.index(p) for p in node.parents]
        assert grad_text == f"{node.grad:.4f}"
        # the local derivative of each input edge, from the one rule table
        for k, formula in enumerate(data.formulas[i]):
            assert formula.startswith(RULES[node.op].formula(k, len(node.parents)))
        # the chain-rule summary is explain's own text
        assert data.explanations[i] == str(explain(o, wrt=node))
    assert data.explanations[order.index(o)] == "do/do = 1    (the seed: backward starts here)"
    assert data.nodes[order.index(o)][2] == "output"
    assert data.nodes[order.index(nodes["w1"])][2] == "parameter"
    assert data.nodes[order.index(nodes["x1"])][2] == "input"


def test_module_boxes_carry_named_parameters_dotted_paths():
    loss, model = mlp_loss()
    data = gather(loss, model=model)
    order = topological_order(loss)
    paths = {g.path for g in data.groups if g.kind == "module"}
    assert paths == {"", "layers.0", "layers.1", "layers.0.neurons.0", "layers.0.neurons.1",
                     "layers.0.neurons.2", "layers.1.neurons.0"}
    # every parameter sits in the box of the module that owns it
    names = {id(p): name for name, p in model.named_parameters()}
    for i, node in enumerate(order):
        if id(node) in names:
            box = data.groups[data.nodes[i][7]]
            assert names[id(node)] == f"{box.path}.{names[id(node)][len(box.path) + 1:]}"
            assert names[id(node)].rsplit(".", 2 if ".w." in names[id(node)] else 1)[0] \
                == box.path
    # without the model, and parameters named by hand: the recorded module names
    for p in model.parameters():
        p.label = "p"
    assert {g.path for g in gather(loss).groups} >= {"MLP.layer 0.neuron 2"}


def test_a_box_says_how_big_the_gradient_leaving_it_is():
    loss, model = mlp_loss()
    data = gather(loss, model=model)
    layer = next(g for g in data.groups if g.path == "layers.1")
    order = topological_order(loss)
    outputs = [n for n in order if n.scope == ("MLP", "layer 1", "neuron 0") and n.op == "dot"]
    norm = float(np.sqrt(sum(n.grad ** 2 for n in outputs)))
    assert f"‖grad out‖ {norm:.4f}" in layer.summary
    assert "2 ops" in layer.summary


def test_a_long_chain_folds_so_no_box_holds_more_than_a_screenful():
    y = x = Value(0.5, label="x")
    for _ in range(5_000):
        y = y + 1
    y.label = "y"
    y.backward()
    data = gather(y)
    held: dict = {}
    for row in data.nodes:
        held[row[7]] = held.get(row[7], 0) + 1
    for group in data.groups:
        held[group.parent] = held.get(group.parent, 0) + 1
    assert max(held.values()) <= FOLD + 1  # (+1: the output is never folded away)
    top = [i for i, row in enumerate(data.nodes) if row[7] == -1]
    assert [data.nodes[i][0] for i in top] == ["y"]
    assert data.nodes[0][0] == x.label and data.nodes[0][7] != -1


def test_explain_is_written_for_the_nodes_a_budget_allows_on_a_big_graph():
    loss, model = mlp_loss(sizes=(40, 40, 1), samples=1)
    data = gather(loss, model=model)
    order = topological_order(loss)
    written = [i for i, e in enumerate(data.explanations) if e is not None]
    assert 0 < len(written) < len(order)
    assert all(not order[i].parents for i in written[:10])  # parameters and inputs first
    i = written[0]
    lines = data.explanations[i].splitlines()
    assert len(lines) <= 12
    assert lines[0] == explain(loss, wrt=order[i]).lines()[0]
    assert "explain(root, wrt=node)" in data.explain_note


def test_a_tensor_graph_shows_shapes_and_rule_formulas():
    manual_seed(0)
    model = Sequential(Linear(4, 3), ReLU(), Linear(3, 2))
    loss = cross_entropy(model(Tensor(np.ones((5, 4)))), np.array([0, 1, 0, 1, 1]))
    loss.backward()
    view = explore(loss, model=model)
    data = view.data
    assert {g.path for g in data.groups} == {"", "layers.0", "layers.1", "layers.2"}
    matmul = next(i for i, row in enumerate(data.nodes) if row[1] == "@")
    assert data.nodes[matmul][3].startswith("5×3 ")
    assert data.formulas[matmul][0] == RULES["matmul"].formula(0, 2)
    # a box's gradient size is the norm of every number leaving it
    first = next(g for g in data.groups if g.path == "layers.0")
    out = next(n for n in topological_order(loss) if n.scope[-1:] == ("0: Linear",)
               and not any(n in m.parents for m in topological_order(loss)
                           if m.scope[-1:] == ("0: Linear",)))
    assert f"‖grad out‖ {np.linalg.norm(out.grad):.4f}" in first.summary
    assert all(e is None for e in data.explanations)
    assert "Tensor graph" in data.explain_note


def test_html_is_one_offline_block_and_every_label_is_escaped(tmp_path):
    a = Value(2.0, label=NASTY)
    out = a * Value(-3.0, label="b")
    out.label = "out"
    out.backward()
    view = explore(out)
    html = view.html()
    # only the two script blocks the template has; the label cannot close one
    assert html.count("</script>") == 2 and html.count("<script") == 2
    assert "<img" not in html and "\u2028" not in html and "\u2029" not in html
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html)  # nothing fetched
    data = page_data(html)
    assert data["nodes"][0][0] == NASTY.replace("\ud800", "\ufffd")
    path = view.save_html(tmp_path / "nasty.html")  # a lone surrogate cannot be UTF-8
    assert path.read_text(encoding="utf-8").count("</script>") == 2
    # the static picture, shown where scripts are stripped, holds the label as text only
    svg = ElementTree.fromstring(view.picture())
    tags = {element.tag.split("}")[1] for element in svg.iter()}
    assert tags == {"svg", "defs", "marker", "path", "g", "rect", "text"}
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert NASTY[:33].replace("\ud800", "\ufffd") + "…" in texts and "out = *" in texts
    static = html[html.index('<div class="cr-static">'):html.index('<p class="cr-hint">')]
    assert static.count("<svg") == 1 and "<img" not in static and "<script" not in static


def test_notebook_display_has_html_a_picture_and_a_text_fallback():
    loss, model = mlp_loss()
    bundle = explore(loss, model=model)._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/svg+xml", "text/plain"}
    svg = ElementTree.fromstring(bundle["image/svg+xml"])  # a standalone picture
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "loss = +" in texts and "▾ MLP" in texts
    assert float(svg.get("width")) <= VIEW[0]
    html = bundle["text/html"]  # holds the same picture, which the script replaces
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="cr-picture"') == 1
    assert bundle["text/plain"].startswith("loss = ")
    text = bundle["text/plain"]
    assert "\n  MLP: 27 nodes" in text
    assert text.index("layer 0: 21 nodes, 12 ops") < text.index("layer 1: 6 nodes")
    assert 'class="cr-explore"' in bundle["text/html"]
    two = explore(loss)
    assert two.html() != two.html()  # a fresh id per block: two views on one page


@pytest.mark.parametrize("given, kind, words", [
    ([], ValueError, "got an empty list"),
    ((), ValueError, "got an empty tuple"),
    (3.0, TypeError, "got 3.0 of type float"),
    ("loss", TypeError, "of type str"),
    (np.ones(3), TypeError, "of type ndarray"),
    ([Value(1.0), None], TypeError, "got None of type NoneType"),
    (Tensor(np.ones((3, 2))), ValueError, "Tensor of shape (3, 2)"),
    (MLP(2, [1]), TypeError, "not the model itself (MLP)"),
])
def test_bad_input_gets_one_clear_error(given, kind, words):
    with pytest.raises(kind) as error:
        explore(given)
    assert words in str(error.value)
    assert "explore(loss" in str(error.value) or "scalar" in str(error.value)  # what to pass


def test_a_cycle_is_a_clear_error_not_a_hang():
    a = Value(1.0, label="a")
    b = a + 1
    a.parents = (b,)  # by hand: autograd never makes one
    with pytest.raises(ValueError, match="acyclic graph.*cycle"):
        explore(b)


def test_a_million_node_chain_is_refused_at_once():
    y = Value(0.0)
    for _ in range(1_000_000):
        y = y + 1
    start = time.perf_counter()
    with pytest.raises(GraphTooLargeError, match="more than max_nodes=20,000.*max_nodes=None"):
        explore(y)
    assert time.perf_counter() - start < 30  # a guard against a hang, not a benchmark
    with pytest.raises(ValueError, match="max_nodes must be"):
        explore(Value(1.0), max_nodes=0)


def test_several_outputs_show_together():
    x = Value(2.0, label="x")
    first, second = x * 3, x.tanh()
    first.label, second.label = "first", "second"
    data = gather([first, second])
    kinds = {row[0]: row[2] for row in data.nodes}
    assert kinds == {"x": "input", "first": "output", "second": "output"}
    assert "follows one output, and this view has 2" in data.explain_note


def test_without_the_model_paths_come_from_stamped_parameter_names():
    # nn labels each parameter with its named_parameters() name; do that here by hand
    manual_seed(0)
    model = Sequential(Linear(4, 3), ReLU(), Linear(3, 2))
    for name, p in model.named_parameters():
        p.label = name
    loss = cross_entropy(model(Tensor(np.ones((5, 4)))), np.array([0, 1, 0, 1, 1]))
    with_model = sorted(g.path for g in gather(loss, model=model).groups)
    assert sorted(g.path for g in gather(loss).groups) == with_model
    assert with_model == ["", "layers.0", "layers.1", "layers.2"]
    loss, model = mlp_loss()
    for name, p in model.named_parameters():
        p.label = name
    assert sorted(g.path for g in gather(loss).groups) == sorted(
        g.path for g in gather(loss, model=model).groups)


def test_the_first_view_opens_only_levels_whose_text_stays_legible_at_fit():
    loss, model = mlp_loss((16, 16, 1), samples=1)
    data = gather(loss, model=model)
    first = opening(data)
    assert FONT_PX * first.scale >= MIN_TEXT_PX
    assert [data.groups[k].path for k in first.open] == [""]  # the MLP, its layers closed
    # its layers are closed because opening them would shrink the text below 9 px
    structure = Structure(data)
    layers = {k for k, g in enumerate(data.groups) if g.parent in first.open}
    wider = layout(structure, -1, set(first.open) | layers, {})
    assert FONT_PX * fit_scale(wider) < MIN_TEXT_PX
    # a chain of 10,000 and a 10,000-node model open legible too (closed boxes at worst)
    y = Value(0.5)
    for _ in range(10_000):
        y = y + 1
    loss, model = mlp_loss((96, 96, 1), samples=2)
    for data in gather(y), gather(loss, model=model):
        assert FONT_PX * opening(data).scale >= MIN_TEXT_PX
