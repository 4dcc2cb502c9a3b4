"""What a notebook shows: SVG inline, PNG when asked, and text when nothing can render."""

from __future__ import annotations

import pytest

import viz
from viz import rendering


@pytest.fixture(autouse=True)
def svg_display():
    yield
    viz.set_format("svg")


def test_drawing_displays_as_fitted_html_with_svg_and_text_fallbacks(neuron):
    # Changed on purpose (issue 12): the bundle was SVG alone, which notebooks show at
    # natural size, cut off on the right. Now HTML fits the picture to the cell; SVG
    # and text stay for viewers that do not show HTML.
    import graphviz

    o, _ = neuron
    drawing = viz.draw_graph(o)
    assert isinstance(drawing, graphviz.Digraph)
    bundle = drawing._repr_mimebundle_()
    assert sorted(bundle) == ["image/svg+xml", "text/html", "text/plain"]
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
    page = bundle["text/html"]
    assert "<?xml" not in page and page.count("<svg") == 1
    # fitted by an attribute on the SVG itself: survives sanitizers that drop <style>
    assert 'style="max-width:100%;height:auto;display:block"' in page
    assert "natural size" in page
    assert bundle["text/plain"] == repr(drawing)
    assert sorted(drawing._repr_mimebundle_(include=["image/svg+xml"])) == ["image/svg+xml"]


def test_set_format_png(neuron):
    o, _ = neuron
    viz.set_format("png")
    bundle = viz.draw_graph(o)._repr_mimebundle_()
    assert bundle["image/png"][:4] == b"\x89PNG"
    assert 'src="data:image/png;base64,' in bundle["text/html"]
    with pytest.raises(ValueError, match="'jpeg'"):
        viz.set_format("jpeg")


def test_ipython_display_uses_our_bundle(neuron):
    from IPython.core.formatters import DisplayFormatter

    o, _ = neuron
    data, _ = DisplayFormatter().format(viz.draw_graph(o))
    assert "image/svg+xml" in data


def test_without_renderer_the_notebook_shows_text_not_a_traceback(monkeypatch, neuron):
    monkeypatch.setattr(rendering, "graphviz_pure_executable", lambda: None)
    o, _ = neuron
    o.backward()
    bundle = viz.draw_graph(o)._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    text = bundle["text/plain"]
    assert text.startswith("o  [tanh]  data 0.7071  grad 1.0000\n└── n  [+]  data 0.8814")
    assert "DOT source:\n\ndigraph {" in text
    assert text.rstrip().endswith("`dot` is on PATH.)")
    assert "pip install graphviz-pure" in text.splitlines()[-1]


def test_render_failure_in_a_notebook_is_text(monkeypatch, neuron):
    def broken(*args, **kwargs):
        raise rendering.RenderError("graphviz-pure failed to write svg (exit code 1): boom")

    monkeypatch.setattr(rendering, "render_source", broken)
    o, _ = neuron
    bundle = viz.draw_graph(o)._repr_mimebundle_()
    assert "Could not render this graph" in bundle["text/plain"] and "boom" in bundle["text/plain"]


def test_long_dot_source_is_shortened_in_text(monkeypatch):
    from autograd import Value

    monkeypatch.setattr(rendering, "graphviz_pure_executable", lambda: None)
    def text_of_chain(length: int) -> str:
        y = Value(1.0)
        for _ in range(length):
            y = y * 2.0
        return viz.draw_graph(y, max_nodes=None)._repr_mimebundle_()["text/plain"]

    text = text_of_chain(100)
    assert "more characters in .source" in text and len(text) < 13_000
    assert len(text_of_chain(180)) == len(text)  # bounded, however long the graph


def test_each_drawing_has_its_own_node_ids_and_text():
    from viz.notebook import GraphDrawing

    first = GraphDrawing()
    first.node_ids["a"] = "n0"
    first.text = "a"
    second = GraphDrawing()
    assert second.node_ids == {} and second.text == ""
