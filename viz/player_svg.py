"""One layout for every frame of the backprop player: lay the graph out once, then
change only text and colours.

The drawing (``draw_graph(..., stable_layout=True)``, every gradient unknown) is laid
out by the renderer once, as SVG, and once more as JSON for the centres of edge labels
(the SVG only has the start of each line of text). ``BaseSvg`` tags the parts a frame
changes with ``data-cr`` attributes:

    data-cr="n3"        the box of value node n3      data-cr="n3op"  its operation
    data-cr="n3-grad"   its "grad ..." text
    data-cr="n3:1"      the edge from n3's parent 1   data-cr="n3:1-text"  its product line

A frame is then a dict of texts and a set of highlighted parts (``apply_frame``), done
the same way here for SVG files and in the browser by the HTML player: nothing moves.

    >>> from autograd import Value
    >>> from viz.draw import draw_graph
    >>> y = Value(2.0, label="x") * Value(3.0, label="k")
    >>> base = BaseSvg.lay_out(draw_graph(y, grads={}, stable_layout=True, show_edge_grads=True))
    >>> sorted(base.texts)
    ['n0-grad', 'n1-grad', 'n2-grad', 'n2:0-text', 'n2:1-text']
    >>> 'grad 1' in apply_frame(base, {"n2-grad": "grad 1"}, {})
    True
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from . import rendering, shapes
from .labels import xml_safe
from .style import HIGHLIGHT_COLOR

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)  # serialise as plain <svg>, not <ns0:svg>
ET.register_namespace("xlink", XLINK_NS)
_G, _TEXT, _TITLE = f"{{{SVG_NS}}}g", f"{{{SVG_NS}}}text", f"{{{SVG_NS}}}title"
_SHAPES = (f"{{{SVG_NS}}}polygon", f"{{{SVG_NS}}}path", f"{{{SVG_NS}}}ellipse")

# Classes a frame sets on tagged parts; the CSS below gives them their look, both in
# SVG files and in the HTML player (CSS beats Graphviz's presentation attributes).
CURRENT, RECEIVING, DONE, UNKNOWN_TEXT = "cr-current", "cr-receiving", "cr-done", "cr-unknown"
FRAME_CSS = f"""
.cr-edge.cr-done path, .cr-edge.cr-done polygon {{ stroke: #1c5fa8; }}
.cr-edge.cr-done polygon {{ fill: #1c5fa8; }}
.cr-edge.cr-current path, .cr-edge.cr-current polygon {{
  stroke: {HIGHLIGHT_COLOR}; stroke-width: 3.5px; }}
.cr-edge.cr-current polygon {{ fill: {HIGHLIGHT_COLOR}; }}
.cr-edge.cr-current text {{ fill: {HIGHLIGHT_COLOR}; font-weight: bold; }}
.cr-current .cr-border {{ stroke: {HIGHLIGHT_COLOR}; stroke-width: 3.5px; }}
.cr-receiving .cr-border {{ stroke: {HIGHLIGHT_COLOR}; stroke-width: 3px;
  stroke-dasharray: 5 3; }}
.cr-receiving .cr-grad {{ fill: {HIGHLIGHT_COLOR}; font-weight: bold; }}
text.cr-unknown {{ fill: #8a8a8a; }}
"""


@dataclass
class BaseSvg:
    """The laid-out drawing with its changeable parts tagged (see the module docstring).

    ``texts`` holds each changeable text as drawn (every gradient unknown);
    ``parts`` the keys of every tagged box and edge.
    """

    root: ET.Element
    texts: dict[str, str]
    parts: set[str]

    @classmethod
    def lay_out(cls, drawing: Any) -> BaseSvg:
        """Render ``drawing`` (a ``draw_graph`` result) once and tag its parts."""
        svg = rendering.render_source(drawing.source, "svg")
        label_centres = _edge_label_centres(drawing.source)
        root = ET.fromstring(svg)
        value_ids = set(drawing.node_ids.values())
        # Edge key "n3:1" from DOT ids: edges into the same operation from the same
        # parent (a * a) come in the order of the parents, as draw_graph writes them.
        edge_keys: dict[tuple[str, str], list[str]] = defaultdict(list)
        for node, node_id in drawing.node_ids.items():
            for index, parent in enumerate(node.parents):
                if parent in drawing.node_ids:  # else not drawn (``draw_graph(within=)``)
                    edge_keys[drawing.node_ids[parent], node_id + "op"].append(
                        f"{node_id}:{index}")
        texts: dict[str, str] = {}
        parts: set[str] = set()
        seen: dict[tuple[str, str], int] = defaultdict(int)
        for group in root.iter(_G):
            kind = group.get("class")
            title = group.findtext(_TITLE, default="")
            is_op = title.endswith("op") and title[:-2] in value_ids
            if kind == "node" and (title in value_ids or is_op):
                _tag(group, title, "cr-box")
                parts.add(title)
                if title in value_ids:
                    _tag_grad_text(group, title, texts)
                    _tag_output_rows(group, title, texts)
            elif kind == "edge" and "->" in title:
                tail, head = title.split("->", 1)
                keys = edge_keys.get((tail, head))
                if not keys:
                    continue  # the edge from an operation to its result: never highlighted
                occurrence = seen[tail, head]
                seen[tail, head] += 1
                key = keys[occurrence]
                _tag(group, key, "cr-edge")
                parts.add(key)
                lines = [t for t in group.iter(_TEXT)]
                if len(lines) >= 2:  # "local 0.5" / "— × 0.5": the second line changes
                    line = lines[-1]
                    line.set("data-cr", key + "-text")
                    centres = label_centres.get((tail, head), [])
                    if occurrence < len(centres):  # else it stays left-aligned: still legible
                        line.set("text-anchor", "middle")
                        line.set("x", f"{centres[occurrence]:.2f}")
                    texts[key + "-text"] = line.text or ""
        style = ET.SubElement(root, f"{{{SVG_NS}}}style")
        style.text = FRAME_CSS
        root.remove(style)
        root.insert(0, style)
        return cls(root, texts, parts)


def _tag(group: ET.Element, key: str, kind: str) -> None:
    group.set("data-cr", key)
    group.set("class", f"{group.get('class')} {kind}")
    group.attrib.pop("id", None)  # Graphviz's node1/edge1 would clash between players
    for shape in group:
        if shape.tag in _SHAPES and shape.get("fill") == "none":
            shape.set("class", "cr-border")  # the first outline is the box's own border
            break


def _tag_grad_text(group: ET.Element, key: str, texts: dict[str, str]) -> None:
    """Tag the last "grad ..." text and centre it in its fixed-width cell, so a longer
    number stays inside the cell (Graphviz wrote it left-anchored for "grad —")."""
    cell = last_shape = grad_text = None
    for child in group:
        if child.tag in _SHAPES and child.get("points"):
            last_shape = child
        elif child.tag == _TEXT and (child.text or "").startswith("grad "):
            grad_text, cell = child, last_shape
    if grad_text is None or cell is None:
        return
    xs = [float(point.split(",")[0]) for point in cell.get("points", "").split()]
    grad_text.set("data-cr", key + "-grad")
    grad_text.set("text-anchor", "middle")
    grad_text.set("x", f"{(min(xs) + max(xs)) / 2:.2f}")
    grad_text.set("class", "cr-grad")
    texts[key + "-grad"] = grad_text.text or ""


def _tag_output_rows(group: ET.Element, key: str, texts: dict[str, str]) -> None:
    """A module box's "out ... grad ..." rows: ``g0-out0``, ``g0-out1``, ... in order."""
    rows = [t for t in group.iter(_TEXT) if (t.text or "").startswith("out ")]
    for number, row in enumerate(rows):
        row.set("data-cr", f"{key}-out{number}")
        texts[f"{key}-out{number}"] = row.text or ""


def _edge_label_centres(source: str) -> dict[tuple[str, str], list[float]]:
    """x of each edge label's centre, by (tail, head) in the order of the edges.

    Same DOT text, same renderer: the same layout as the SVG, read as JSON.
    """
    layout = shapes.layout_json(source)
    names = [obj["name"] for obj in layout.get("objects", [])]
    centres: dict[tuple[str, str], list[float]] = defaultdict(list)
    for edge in sorted(layout.get("edges", []), key=lambda e: e["_gvid"]):
        if "lp" in edge:
            centres[names[edge["tail"]], names[edge["head"]]].append(
                float(edge["lp"].split(",")[0]))
    return centres


def apply_frame(base: BaseSvg, texts: dict[str, str], classes: dict[str, str],
                caption: tuple[str, ...] = (), room: tuple[int, ...] = ()) -> str:
    """The SVG of one frame: ``texts`` replace tagged texts, ``classes`` (key -> class)
    mark parts, ``caption`` lines are written under the graph, with ``room`` characters
    for each (the longest of all frames, so that every frame has one size)."""
    root = copy.deepcopy(base.root)
    for element in root.iter():
        key = element.get("data-cr")
        if key is None:
            continue
        if key in texts:
            element.text = texts[key]
        if element.tag == _TEXT:
            shown = element.text or ""
            extra = UNKNOWN_TEXT if shown.startswith("grad —") or shown.startswith("—") else ""
            names = [n for n in (element.get("class", "").split()) if n != UNKNOWN_TEXT]
            element.set("class", " ".join(names + ([extra] if extra else [])))
        elif key in classes:
            element.set("class", f"{element.get('class')} {classes[key]}")
    if caption:
        _add_caption(root, caption, room or tuple(len(line) for line in caption))
    return ET.tostring(root, encoding="unicode")


def _add_caption(root: ET.Element, lines: tuple[str, ...], room: tuple[int, ...]) -> None:
    """Grow the picture downwards and write ``lines`` under the graph."""
    line_height = 18.0
    x0, y0, width, height = (float(v) for v in root.get("viewBox", "0 0 0 0").split())
    extra = line_height * len(lines) + 12
    # Widen (to the right only, so the graph stays put) when a line would be cut off;
    # about 0.58 em per character of Helvetica.
    width = max(width, *(16 + 0.58 * (13 if n == 0 else 11) * characters
                         for n, characters in enumerate(room)))
    root.set("viewBox", f"{x0:.2f} {y0:.2f} {width:.2f} {height + extra:.2f}")
    root.set("width", f"{width:.0f}pt")
    root.set("height", f"{height + extra:.0f}pt")
    background = ET.SubElement(root, f"{{{SVG_NS}}}rect")
    background.attrib.update(x=f"{x0:.2f}", y=f"{height:.2f}", width=f"{width:.2f}",
                             height=f"{extra:.2f}", fill="white")
    for number, line in enumerate(lines):
        text = ET.SubElement(root, _TEXT)
        text.attrib.update({"x": "8", "y": f"{height + line_height * (number + 1):.2f}",
                            "font-family": "Helvetica,sans-Serif",
                            "font-size": "13" if number == 0 else "11",
                            "fill": "#222222" if number == 0 else "#555555"})
        text.text = xml_safe(line)  # a label's lone surrogate cannot go into XML
