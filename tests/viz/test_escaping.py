"""Every user string reaches the SVG intact: labels are escaped, never interpreted."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd import Value
from viz import draw_graph
from viz.rendering import render_source

SVG = "{http://www.w3.org/2000/svg}"
SPECIALS = ['"', "<", ">", "{", "}", "|", "\\", "\n", "]]>", "&", "&amp;", "\\N", "\\G",
            "<b>", "ü", "한글", "λ", "😀", "'", "\t", "\r\n", "\x00"]
labels = st.lists(st.sampled_from(SPECIALS) | st.text(max_size=4), max_size=8).map("".join)


def expected_lines(label: str) -> list[str]:
    """The label as the SVG should show it: one text line per line of the label.

    XML cannot hold control characters, so they show as U+FFFD; a tab shows as a space.
    Graphviz drops empty lines and the spaces at line ends (it centres text).
    """
    text = label.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").replace("\xa0", " ")
    text = "".join("\ufffd" if (ord(c) < 32 and c != "\n") or 0xD800 <= ord(c) <= 0xDFFF
                   or c in "\x7f\ufffe\uffff" else c for c in text)
    return [line.strip(" ") for line in text.split("\n") if line.strip(" ")]


def node_texts(svg: bytes, node_id: str) -> list[str]:
    root = ET.fromstring(svg)  # raises if the SVG is not well-formed XML
    for group in root.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        if group.get("class") == "node" and title is not None and title.text == node_id:
            texts = [t.text or "" for t in group.iter(f"{SVG}text")]
            texts = [t.replace("\xa0", " ").strip(" ") for t in texts]
            return [t for t in texts if t]  # a blank line draws nothing to compare
    raise AssertionError(f"node {node_id} not in the SVG")


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(label=labels)
def test_any_label_renders_into_valid_svg_and_reads_back(label):
    x = Value(1.0, label=label)
    svg = render_source(draw_graph(x).source, "svg")
    texts = node_texts(svg, "n0")
    assert texts[-2:] == ["data 1.0000", "grad —"]
    assert texts[:-2] == expected_lines(label)


def test_op_names_and_labels_with_markup_are_text(neuron):
    o, nodes = neuron
    nodes["n"].label = '</td></tr></table>> ]; evil [label="x'
    svg = render_source(draw_graph(o).source, "svg")
    assert node_texts(svg, "n8")[0] == '</td></tr></table>> ]; evil [label="x'
    assert "evil" not in [g.get("id") for g in ET.fromstring(svg).iter(f"{SVG}g")]
