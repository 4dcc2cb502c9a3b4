"""The backprop player: one frame per edge, the right gradients in each, one layout."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET

import pytest

from autograd import Value, backward_steps, grad
from viz import draw_graph, step_through
from viz.draw import graph_nodes
from viz.player_svg import SVG_NS
from viz.rendering import render_source
from viz.style import format_number

TEXT, TITLE, G = f"{{{SVG_NS}}}text", f"{{{SVG_NS}}}title", f"{{{SVG_NS}}}g"


OPS = {"+": lambda x, y: x + y, "*": lambda x, y: x * y, "-": lambda x, y: x - y,
       "tanh": lambda x, _: x.tanh(), "relu": lambda x, _: x.relu(),
       "square": lambda x, _: x * x}


def random_graph(seed: int) -> Value:
    """A random expression over three leaves, with fan-out (values reused)."""
    rng = random.Random(seed)
    values = [Value(rng.uniform(-2, 2), label=name) for name in "abc"]
    for number in range(rng.randint(3, 9)):
        x, y = rng.choice(values), rng.choice(values)
        z = OPS[rng.choice(sorted(OPS))](x, y)
        z.label = f"v{number}"
        values.append(z)
    out = values[-1] + values[-2]
    out.label = "out"
    return out


def edge_count(root: Value) -> int:
    return sum(len(node.parents) for node in graph_nodes([root]))


def shown_texts(svg: str) -> dict[str, str]:
    """``data-cr`` key -> text of every changeable text in a frame's SVG."""
    return {e.get("data-cr"): e.text for e in ET.fromstring(svg).iter(TEXT) if e.get("data-cr")}


@pytest.mark.parametrize("seed", range(6))
def test_one_step_and_one_frame_per_edge(seed):
    root = random_graph(seed)
    player = step_through(root)
    assert len(player) == len(player.steps) == edge_count(root)
    # the last frame exists, the one after it does not
    player.highlights(len(player))
    with pytest.raises(IndexError, match="frames 0 .."):
        player.highlights(len(player) + 1)


def test_building_a_player_leaves_every_grad_as_it_was(neuron):
    o, nodes = neuron
    nodes["w1"].grad = 7.0
    step_through(o)
    assert nodes["w1"].grad == 7.0
    assert all(n.grad == 0.0 for n in graph_nodes([o]) if n is not nodes["w1"])


@pytest.mark.parametrize("seed", [0, 3])
def test_frame_k_shows_exactly_the_gradients_known_after_k_steps(seed):
    root = random_graph(seed)
    player = step_through(root)
    ids = player.ids
    # Independently: consume the engine's steps one by one and read .grad.
    fresh = random_graph(seed)
    fresh_nodes = graph_nodes([fresh])
    same = dict(zip(fresh_nodes, graph_nodes([root]), strict=True))
    walk = backward_steps(fresh)
    reached = {fresh}
    for k in range(len(player) + 1):
        if k:
            reached.add(next(walk).parent)
        shown = shown_texts(player.frame_svg(k))
        for node in fresh_nodes:
            text = shown[ids[same[node]] + "-grad"]
            if node in reached:  # the root's 1 is set when the walk starts, at step 1
                value = 1.0 if node is fresh and k == 0 else node.grad
                assert text == "grad " + format_number(value, 4), (k, node.label)
            else:
                assert text == "grad —", (k, node.label)
    # and the last frame shows what backward() computes
    root.backward()
    last = shown_texts(player.frame_svg(len(player)))
    for node in graph_nodes([root]):
        assert last[ids[node] + "-grad"] == "grad " + format_number(node.grad, 4)


def test_frame_highlights_the_current_edge_and_node_and_shows_its_arithmetic(neuron):
    o, nodes = neuron
    player = step_through(o)
    first = player.steps[0]
    assert first.node is o
    frame = ET.fromstring(player.frame_svg(1))
    classes = {g.get("data-cr"): g.get("class") for g in frame.iter(G) if g.get("data-cr")}
    current = [key for key, names in classes.items() if "cr-current" in names.split()]
    assert sorted(current) == sorted([player.ids[o], player.ids[o] + "op",
                                      f"{player.ids[o]}:0"])
    assert "cr-receiving" in classes[player.ids[nodes["n"]]]
    caption = [t.text for t in frame.iter(TEXT) if t.text and t.text.startswith("step 1 / ")]
    assert caption == [f"step 1 / {len(player)}:  {str(first).split('    [')[0]}"]
    assert any(t.text == f"rule: {first.formula}" for t in frame.iter(TEXT))
    # the edge's product line is filled in, the edges not yet walked still read "— × ..."
    texts = shown_texts(player.frame_svg(1))
    assert texts[f"{player.ids[o]}:0-text"] == (
        f"1.0000 × {format_number(first.local, 4)} = {format_number(first.contribution, 4)}")
    assert texts[f"{player.ids[nodes['n']]}:1-text"].startswith("— × ")


def test_a_second_path_is_shown_as_plus_equals():
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    player = step_through(y)
    assert [player.caption(k)[0][:8] for k in (1, 2)] == ["dy/dx = ", "dy/dx +="]
    assert "second path" in player.caption(2)[1]
    assert shown_texts(player.frame_svg(2))[player.ids[x] + "-grad"] == "grad 6.0000"


def geometry(svg: str) -> list[tuple]:
    """Every element's tag and attributes except class (colours come from classes)."""
    return [(e.tag, sorted((k, v) for k, v in e.attrib.items() if k != "class"))
            for e in ET.fromstring(svg).iter()]


def narrow_graph() -> Value:
    """A graph narrower than its captions: the caption sets the picture's width."""
    a = Value(2.0, label="a")
    y = a * a
    y.label = "y"
    return y


@pytest.mark.parametrize("build", [lambda: step_through(random_graph(4)),
                                   lambda: step_through(random_graph(5)),
                                   lambda: step_through(narrow_graph(), rankdir="TB")])
def test_every_frame_has_the_same_layout_only_text_and_classes_change(build):
    player = build()
    frames = [player.frame_svg(k) for k in range(len(player) + 1)]
    assert all(geometry(frame) == geometry(frames[0]) for frame in frames)
    # the picture does change: texts and classes differ between first and last frame
    assert frames[0] != frames[-1]
    first, last = ET.fromstring(frames[0]), ET.fromstring(frames[-1])
    for before, after in zip(first.iter(), last.iter(), strict=True):
        if before.text != after.text:  # only tagged texts and the caption under the graph
            assert before.get("data-cr") or before.get("y") in _caption_rows(first)


def _caption_rows(svg: ET.Element) -> set[str]:
    texts = [e for e in svg if e.tag == TEXT]
    return {e.get("y") for e in texts}


def node_positions(svg: bytes | str) -> dict[str, str]:
    """DOT id -> the outline of its first shape, for every node of a rendered SVG."""
    root = ET.fromstring(svg)
    positions = {}
    for group in root.iter(G):
        if "node" in (group.get("class") or "").split():
            shape = next(e for e in group if e.get("points") or e.get("d"))
            positions[group.findtext(TITLE)] = shape.get("points") or shape.get("d")
    return positions


def test_png_frames_are_drawn_with_one_layout_too(neuron):
    o, _ = neuron
    player = step_through(o)
    layouts = [node_positions(render_source(player.frame_source(k), "svg"))
               for k in range(len(player) + 1)]
    assert len(layouts[0]) == 10 + 5  # ten values, five operations
    assert all(layout == layouts[0] for layout in layouts)


@pytest.mark.parametrize("seed", range(4))
def test_png_frames_show_a_product_only_on_edges_already_walked(seed):
    player = step_through(random_graph(seed))
    for k in range(len(player) + 1):
        # "— × local" until the step that sends the gradient along the edge
        assert player.frame_source(k).count("— × ") == len(player) - k


def test_the_gradient_text_is_centred_in_its_cell(neuron):
    o, _ = neuron
    svg = ET.fromstring(step_through(o).frame_svg(0))
    grad_texts = [t for t in svg.iter(TEXT) if (t.get("data-cr") or "").endswith("-grad")]
    assert len(grad_texts) == 10
    assert all(t.get("text-anchor") == "middle" for t in grad_texts)


def test_save_frames_writes_one_svg_or_png_per_frame(tmp_path, neuron):
    o, _ = neuron
    player = step_through(o)
    svgs = player.save_frames(tmp_path / "svg")
    assert [p.name for p in svgs][:2] == ["frame_000.svg", "frame_001.svg"]
    assert len(svgs) == len(player) + 1
    for path in svgs:
        ET.parse(path)  # well-formed XML, opens in any browser or slide tool
    pngs = player.save_frames(tmp_path / "png", format="png")
    assert len(pngs) == len(player) + 1
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    with pytest.raises(ValueError, match="'svg' or 'png'"):
        player.save_frames(tmp_path, format="pdf")


def test_save_gif_has_one_frame_per_step_plus_the_start(tmp_path):
    from PIL import Image

    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a
    c.label = "c"
    player = step_through(c)
    path = player.save_gif(tmp_path / "backprop.gif", seconds_per_frame=0.5)
    with Image.open(path) as gif:
        assert gif.format == "GIF"
        assert gif.n_frames == len(player) + 1
        assert gif.info["duration"] == 500


def test_save_gif_without_pillow_names_the_extra(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "PIL", None)  # import PIL now raises ImportError
    player = step_through(Value(2.0, label="a") * 3)
    with pytest.raises(ImportError, match=r"chainrule\[gif\]"):
        player.save_gif(tmp_path / "x.gif")


def test_notebook_widget_steps_with_the_buttons(neuron):
    ipywidgets = pytest.importorskip("ipywidgets", reason="ipywidgets is in the test extra")
    o, _ = neuron
    player = step_through(o)
    box = player.widget()
    assert isinstance(box, ipywidgets.VBox)
    previous, play, following, slider = box.children[0].children
    picture = box.children[1]
    assert "step 0 / 9" in picture.value
    following.click()
    following.click()
    previous.click()
    assert slider.value == 1
    assert "step 1 / 9" in picture.value and "grad 1.0000" in picture.value
    assert play.max == slider.max == len(player)


def test_the_notebook_shows_the_html_player_with_frame_0_for_viewers_without_scripts(
        neuron):
    # Changed on purpose (issue 12): with ipywidgets installed the notebook showed a
    # widget, which a saved notebook shows as "VBox(...)". Now always the HTML player.
    from IPython.core.formatters import DisplayFormatter

    o, _ = neuron
    player = step_through(o)
    data, _ = DisplayFormatter().format(player)
    assert sorted(data) == ["image/svg+xml", "text/html", "text/plain"]
    html = data["text/html"]
    assert 'class="cr-player"' in html and "<svg" in html and "step 0 / 9" in html
    assert "VBox" not in str(data)
    # without scripts: frame 0 is in the HTML, fitted by an attribute on the SVG
    assert 'style="max-width:100%;height:auto;display:block"' in html
    assert html.count(">" + _html_escape(player.caption(0)[0]) + "<") == 1
    assert player.caption(0)[0] in data["image/svg+xml"]
    assert data["text/plain"].startswith("step 0 / 9:  before backward")


def _html_escape(text: str) -> str:
    import html

    return html.escape(text)


def test_skip_constants_leaves_out_the_steps_into_constants():
    k = Value(0.5, label="k", role="constant")
    x = Value(3.0, label="x")
    y = k * x * x
    y.label = "y"
    every, shown = step_through(y), step_through(y, skip_constants=True)
    assert len(every) == 4 and len(shown) == 3
    assert all(step.parent is not k for step in shown.steps)
    assert shown.caption(len(shown))[0] == every.caption(len(every))[0]
    assert shown.grads_at(len(shown))[x] == pytest.approx(2 * 0.5 * 3.0)
    assert k not in shown.grads_at(len(shown))


def test_player_data_grows_linearly_with_the_steps():
    from viz.player_html import player_data

    def size(length: int) -> int:
        y = Value(0.5, label="x")
        for _ in range(length):
            y = y * 1.01
        return len(str(player_data(step_through(y, rankdir="LR"), False)))

    small, large = size(10), size(40)
    assert large < 4.6 * small  # 4x the steps: about 4x the data, not 16x


def test_draw_graph_shows_the_gradient_graph_of_create_graph():
    x = Value(0.5, label="x")
    y = (x * x).tanh() + x.relu() + abs(x)
    y.label = "y"
    (dy,) = grad(y, [x], create_graph=True)
    drawing = draw_graph(dy)
    ops = {line.split("<td>")[1].split("</td>")[0] for line in drawing.body
           if 'style="rounded"' in line}
    # the gradient is itself a graph: tanh's rule (1 - t²), relu's step, abs's sign
    assert {"*", "+", "step", "sign"} <= ops
    assert any("#eeeeee" in line for line in drawing.body)  # constants of the rules
    assert x in graph_nodes([dy])  # it leads back to x, so it can be differentiated again
    svg = render_source(drawing.source, "svg")
    nodes = graph_nodes([dy])
    assert len(node_positions(svg)) == len(nodes) + sum(1 for n in nodes if n.parents)
    # and the second derivative flows through it, one step per edge
    player = step_through(dy)
    assert len(player) == edge_count(dy)
    (d2y,) = grad(dy, [x])
    assert player.grads_at(len(player))[x] == pytest.approx(d2y)


def test_a_tensor_graph_steps_too():
    import numpy as np

    from autograd import Tensor

    x = Tensor(np.array([[1.0, 2.0], [3.0, -1.0]]), requires_grad=True)
    w = Tensor(np.array([[0.5], [-2.0]]), requires_grad=True)
    x.label, w.label = "x", "w"
    y = (x @ w).relu().sum()
    y.label = "y"
    player = step_through(y)
    assert len(player) == edge_count(y) == 4
    assert x.grad is None and w.grad is None  # left as they were
    y.backward()
    last = shown_texts(player.frame_svg(len(player)))
    assert last[player.ids[x] + "-grad"] == "grad [[0.0000, 0.0000], [0.5000, -2.0000]]"
    assert player.caption(4)[0].startswith("dy/dw = [[")
    with pytest.raises(ValueError, match="reduce it first"):
        step_through(x @ w)


def test_a_lone_value_has_no_steps_and_one_frame_with_its_whole_caption():
    player = step_through(Value(1.5, label="only"))
    assert len(player) == 0
    svg = ET.fromstring(player.frame_svg(0))
    assert shown_texts(player.frame_svg(0)) == {"n0-grad": "grad 1.0000"}
    longest = max(len(line) for line in player.caption(0))
    # the caption is much wider than one box: the picture grows so that it is not cut off
    assert float(svg.get("viewBox").split()[2]) > 6 * longest


def test_captions_name_unlabelled_nodes_as_the_steps_do():
    # One naming for Value and Tensor frames alike: an unlabelled root is L, the other
    # unlabelled nodes v1, v2, ... in graph order; an operation symbol such as "d*" is not
    # a name.
    import numpy as np

    from autograd import Tensor

    a = Value(2.0, label="a")
    player = step_through(a * a)  # the product is the root, L
    assert player.caption(0)[0].startswith("before backward: only dL/dL = 1")
    assert player.caption(1)[0] == str(next(iter(backward_steps(a * a)))).split("    [")[0]
    x = Tensor(np.ones(3), requires_grad=True, label="x")
    player = step_through((x * x).sum())  # x * x is v1, the sum L
    assert player.caption(0)[0].startswith("before backward: only dL/dL = 1")
    assert player.caption(1)[0].startswith("dL/dv1 = [")
    assert player.caption(3)[0].startswith("dL/dx += [")
    assert "(+= : x is reached by a second path" in player.caption(3)[1]
    y = (x * x).sum()
    y.label = "loss"  # a labelled root keeps its label, and L stays free
    assert step_through(y).caption(1)[0].startswith("dloss/dv1 = [")
    z = x.sum() * 2.0
    x.label = "L"  # a node labelled L elsewhere: the unlabelled root is numbered instead
    caption = step_through(z).caption(0)[0]
    assert caption.startswith("before backward: only dv") and "dL" not in caption


def test_an_opened_module_names_the_root_as_the_module_player_does():
    import random

    from nn import MLP

    random.seed(0)
    loss = (MLP(2, [16, 16, 1])([0.5, -1.0]) - 1.0) ** 2
    player = step_through(loss, depth=2)  # by module: too big to step edge by edge
    assert "|dL/d out|" in player.caption(1)[0]
    opened = player.open(4)  # a neuron
    assert all(caption.startswith("dL/d") for caption in
               (opened.caption(k)[0] for k in range(1, len(opened) + 1)))


@pytest.mark.parametrize("given, error, words", [
    ([], TypeError, "got an empty list"),
    (3, TypeError, "got 3 of type int"),
    ("loss", TypeError, "of type str"),
])
def test_bad_input_gets_one_clear_error_naming_it(given, error, words):
    with pytest.raises(error, match=words) as raised:
        step_through(given)
    assert "step_through needs one output" in str(raised.value)


def test_a_list_of_outputs_and_a_vector_output_say_what_to_pass(neuron):
    import numpy as np

    from autograd import Tensor

    o, _ = neuron
    with pytest.raises(TypeError, match="a list of 2 items. Pass one node"):
        step_through([o, o])
    with pytest.raises(ValueError, match=r"shape \(3,\); reduce it first"):
        step_through(Tensor(np.ones(3), requires_grad=True) * 2.0)


def test_a_cycle_is_named():
    a = Value(1.0, label="a")
    b = a * 2.0
    b.label = "b"
    a.parents = (b,)
    with pytest.raises(ValueError, match="cannot step through .*cycle"):
        step_through(b)


def test_big_or_costly_graphs_are_refused_at_once_before_stepping(monkeypatch):
    import viz.player

    def never(*args, **kwargs):
        raise AssertionError("refused only after stepping or laying out")

    monkeypatch.setattr(viz.player, "backward_steps", never)
    monkeypatch.setattr(viz.player, "draw_graph", never)
    y = Value(0.5, label="x")
    for _ in range(200_000):
        y = y + 1.0
    with pytest.raises(viz.GraphTooLargeError, match="400,001 nodes .* max_nodes=None"):
        step_through(y)
    x = Value(1.01, label="x")
    product = x
    for _ in range(59):  # 119 nodes, but x's 60 edges cross 3,400 ranks: minutes of layout
        product = product * x
    with pytest.raises(viz.GraphTooLargeError, match="would take minutes"):
        step_through(product)


def test_model_parameters_carry_their_dotted_names_in_pictures_and_captions():
    from nn import MLP

    random.seed(0)
    model = MLP(2, [2, 1])
    names = [name for name, _ in model.named_parameters()]
    assert [p.label for p in model.parameters()] == names
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    player = step_through(loss)
    captions = " ".join(player.caption(k)[0] for k in range(len(player) + 1))
    assert "d(layers.0.neurons.1.w.0)" in captions
    assert ">layers.0.neurons.1.w.0<" in player.drawing.source


def test_a_rule_that_is_a_number_is_not_given_its_value_twice(make_network_222):
    """The add, subtract and Σ w·x + b rules already end in their number (d(a+b)/da = 1):
    captions read that, not "= 1 = 1"; rules in symbols still get their value."""
    player = step_through(make_network_222())
    rules = [player.caption(k)[1] for k in range(1, len(player) + 1)]
    assert "rule: d(a+b)/da = 1" in rules and "rule: d(a-b)/db = -1" in rules
    assert "rule: d(a*b)/db = a = 0.5" in rules
    assert not any(" = 1 = 1" in r or " = -1 = -1" in r for r in rules), rules
    steps = [str(step) for step in backward_steps(make_network_222())]
    assert sum("[d(Σ w·x + b)/db = 1]" in s for s in steps) == 4
