"""The renderer chain on a machine without system Graphviz: graphviz-pure, then nothing."""

from __future__ import annotations

import shutil
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import viz
from autograd import Value
from viz import rendering


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_ci_proves_the_graphviz_pure_path():
    assert shutil.which("dot") is None
    renderer = viz.find_renderer("svg")
    assert renderer is not None and renderer.name == "graphviz-pure"
    assert renderer.formats == ("svg", "png")


def test_graphviz_pure_is_found_without_path(monkeypatch):
    monkeypatch.setenv("PATH", "")
    program = rendering.graphviz_pure_executable()
    assert program is not None and Path(program).name.startswith("graphviz-pure")
    assert viz.find_renderer("png").command == program


def test_render_svg_file(neuron, tmp_path):
    o, _ = neuron
    path = viz.render(o, tmp_path / "neuron.svg")
    root = ET.parse(path).getroot()
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"o", "tanh", "data 0.7071", "grad —"} <= texts


def test_render_accepts_a_drawing_and_draw_options(neuron, tmp_path):
    o, _ = neuron
    drawing = viz.draw_graph(o, legend=True)
    assert b"legend" in viz.render(drawing, tmp_path / "a.svg").read_bytes()
    assert b"legend" in viz.render(o, tmp_path / "b.svg", legend=True).read_bytes()
    with pytest.raises(TypeError, match="legend"):
        viz.render(drawing, tmp_path / "c.svg", legend=True)


def test_small_png_is_readable(neuron, tmp_path):
    o, _ = neuron
    width, height = png_size(viz.render(o, tmp_path / "neuron.png"))
    # the neuron is about 700 x 190 points; at 110 dpi that is about 1070 x 290 pixels
    assert 800 < width < 4096 and 150 < height < 1000


def test_big_png_is_capped(tmp_path):
    y = Value(1.0, label="x")
    for _ in range(150):
        y = y.tanh()
    path = viz.render(y, tmp_path / "chain.png", max_nodes=None, rankdir="LR")
    width, height = png_size(path)
    assert max(width, height) <= rendering.PNG_MAX_PIXELS
    assert max(width, height) > rendering.PNG_MAX_PIXELS * 0.9  # scaled to the cap, not below
    small = png_size(viz.render(y, tmp_path / "small.png", max_nodes=None, max_pixels=1000))
    assert max(small) <= 1000


def test_pdf_without_system_graphviz_is_written(neuron, tmp_path):
    # Issue 17: PDF no longer needs `dot` (tests/viz/test_pdf.py checks it opens).
    o, _ = neuron
    assert viz.render(o, tmp_path / "neuron.pdf").read_bytes().startswith(b"%PDF-")


def test_unknown_suffix_is_refused(neuron, tmp_path):
    o, _ = neuron
    with pytest.raises(ValueError, match=r"'graph.gif'.*\.svg, \.png or \.pdf"):
        viz.render(o, "graph.gif")


def test_no_renderer_raises_with_how_to(monkeypatch, neuron, tmp_path):
    monkeypatch.setattr(rendering, "graphviz_pure_executable", lambda: None)
    o, _ = neuron
    with pytest.raises(viz.NoRendererError, match="pip install graphviz-pure"):
        viz.render(o, tmp_path / "x.svg")


def test_renderer_failure_reports_its_message():
    with pytest.raises(viz.RenderError, match="syntax error"):
        rendering.render_source("digraph { a -> }", "svg")
