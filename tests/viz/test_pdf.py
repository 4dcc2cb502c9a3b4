"""PDF and PNG files without a system Graphviz: vector PDF with embedded fonts, scale=."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from collections import Counter

import pytest
from latex_check import pdf_info, rasterize, require

import viz
from viz.themes import THEME_TABLE


def _png_size(path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


def test_pdf_is_written_with_no_dot_on_path_and_opens(neuron, tmp_path):
    assert shutil.which("dot") is None  # the conftest's PATH: the pure route
    o, _ = neuron
    o.backward()
    path = viz.render(o, tmp_path / "neuron.pdf", show_edge_grads=True, color_by="grad")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    info = pdf_info(data, tmp_path)
    assert info["Pages"] == "1"
    page = rasterize(data, tmp_path, dpi=30)
    inked = sum(1 for x in range(page.width) for y in range(page.height)
                if page.getpixel((x, y)) != (255, 255, 255))
    assert inked > 0.02 * page.width * page.height  # boxes and text, not an empty page


def test_pdf_text_is_real_text_in_embedded_fonts(neuron, tmp_path):
    o, _ = neuron
    path = viz.render(o, tmp_path / "neuron.pdf")
    program = require("pdffonts", "poppler-utils")
    fonts = subprocess.run([program, str(path)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows)  # every font embedded
    text = subprocess.run([require("pdftotext", "poppler-utils"), str(path), "-"],
                          capture_output=True, text=True).stdout
    assert "x1*w1 + x2*w2" in text and "tanh" in text  # vector text, not a picture of it


@pytest.mark.parametrize("name", ["dark", "print"])
def test_pdf_in_a_theme_has_its_background(name, neuron, tmp_path):
    o, _ = neuron
    data = viz.render(o, tmp_path / "neuron.pdf", theme=name).read_bytes()
    page = rasterize(data, tmp_path, dpi=20)
    colour = THEME_TABLE[name].background
    expected = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    counts = Counter(page.getpixel((x, y)) for x in range(page.width) for y in range(page.height))
    most = counts.most_common(1)[0][0]  # the page shows between the boxes
    assert all(abs(a - b) <= 2 for a, b in zip(most, expected))


def test_pdf_says_what_to_install_without_matplotlib(neuron, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"chainrule\[plots\]"):
        viz.render(neuron[0], tmp_path / "neuron.pdf")


def test_png_scale_multiplies_the_pixels(neuron, tmp_path):
    o, _ = neuron
    one = _png_size(viz.render(o, tmp_path / "one.png"))
    two = _png_size(viz.render(o, tmp_path / "two.png", scale=2))
    assert abs(two[0] - 2 * one[0]) <= 3 and abs(two[1] - 2 * one[1]) <= 3
    for bad in (0, -1, "2", True, 100):
        with pytest.raises(ValueError, match="scale must be a number") as caught:
            viz.render(o, tmp_path / "bad.png", scale=bad)
        assert repr(bad) in str(caught.value)


def test_unknown_suffix_names_the_formats(neuron, tmp_path):
    with pytest.raises(ValueError, match=r"'.*graph\.jpeg'.*\.svg, \.png or \.pdf"):
        viz.render(neuron[0], tmp_path / "graph.jpeg")
