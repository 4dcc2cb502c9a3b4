"""A laid-out drawing as plain shapes (outlines, fills, curves, texts) in points.

Graphviz (``dot`` or the bundled graphviz-pure) lays out the DOT text once and writes
JSON with its drawing operations (xdot): every box, cell, edge, arrowhead and line of
text, already placed and coloured. ``viz.tikz`` turns these shapes into TikZ and
``viz.pdf`` into a vector PDF, so each backend only paints; nothing is laid out twice.

Coordinates are points (1/72 inch), y upwards, as in the layout.

    >>> from autograd import Value
    >>> from viz.draw import draw_graph
    >>> a = Value(2.0, label="a"); y = a * a; y.label = "y"
    >>> picture = lay_out(draw_graph(y))
    >>> sorted(s.text for s in picture.shapes if isinstance(s, Text))[:3]
    ['*', 'a', 'data 2.0000']
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from typing import Any

from . import rendering

Point = tuple[float, float]
_NAMED = {"black": "#000000", "white": "#ffffff", "grey": "#c0c0c0", "gray": "#c0c0c0",
          "red": "#ff0000", "blue": "#0000ff", "green": "#00ff00", "lightgrey": "#d3d3d3"}


@dataclass(frozen=True)
class Pen:
    """Stroke colour (``#rrggbb`` or None for no outline), opacity, width and dash."""

    color: str | None = "#000000"
    opacity: float = 1.0
    width: float = 1.0
    dash: str = "solid"  # solid, dashed or dotted


@dataclass(frozen=True)
class Path:
    """A polygon (``closed``), a polyline, or a cubic Bézier curve (``curve``)."""

    points: tuple[Point, ...]
    pen: Pen
    fill: str | None = None
    fill_opacity: float = 1.0
    closed: bool = False
    curve: bool = False
    owner: str = ""  # the DOT node ("n3") or edge ("n0->n3op#0": nth such edge) drawn


@dataclass(frozen=True)
class Ellipse:
    """An ellipse centred at ``centre`` with radii ``rx``, ``ry``."""

    centre: Point
    rx: float
    ry: float
    pen: Pen
    fill: str | None = None
    fill_opacity: float = 1.0
    owner: str = ""


@dataclass(frozen=True)
class Text:
    """One line of text; ``at`` is on the baseline, ``align`` is l, c or r, ``width`` the
    width the layout measured for it (a backend may shrink the text to fit it)."""

    at: Point
    align: str
    width: float
    text: str
    size: float
    color: str
    bold: bool = False
    italic: bool = False
    owner: str = ""


Shape = Path | Ellipse | Text


@dataclass
class Picture:
    """Shapes in drawing order and the box around them ``(x0, y0, x1, y1)``;
    ``label_centres``: edge owner -> the centre of its label."""

    shapes: list[Shape] = field(default_factory=list)
    background: str = "#ffffff"
    label_centres: dict[str, Point] = field(default_factory=dict)

    @property
    def box(self) -> tuple[float, float, float, float]:
        xs: list[float] = []
        ys: list[float] = []
        for shape in self.shapes:
            if isinstance(shape, Path):
                xs += [p[0] for p in shape.points]
                ys += [p[1] for p in shape.points]
            elif isinstance(shape, Ellipse):
                xs += [shape.centre[0] - shape.rx, shape.centre[0] + shape.rx]
                ys += [shape.centre[1] - shape.ry, shape.centre[1] + shape.ry]
            else:
                start = {"l": 0.0, "c": -0.5, "r": -1.0}[shape.align] * shape.width
                xs += [shape.at[0] + start, shape.at[0] + start + shape.width]
                ys += [shape.at[1] - 0.25 * shape.size, shape.at[1] + shape.size]
        if not xs:
            return (0.0, 0.0, 1.0, 1.0)
        pad = 2.0
        return (min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)


def layout_json(source: str) -> dict:
    """Graphviz's JSON layout of DOT ``source`` (positions and drawing operations)."""
    renderer = rendering.find_renderer("svg")
    if renderer is None:
        raise rendering.NoRendererError(
            f"no Graphviz renderer found: {rendering.HOW_TO_GET_A_RENDERER}")
    done = subprocess.run([renderer.command, "-Tjson"], input=source.encode("utf-8"),
                          capture_output=True, check=False, timeout=300)
    if done.returncode != 0 or not done.stdout:
        raise rendering.RenderError(f"{renderer.name} failed to lay out the graph: "
                                    f"{done.stderr.decode('utf-8', 'replace')[:2000]}")
    return json.loads(done.stdout)


def lay_out(drawing: Any, *, graph_label: bool = True) -> Picture:
    """Lay out ``drawing`` (a ``draw_graph`` / ``draw_network`` result, or DOT text).

    ``graph_label=False`` leaves out the graph's own label (a caption or note).
    """
    source = drawing if isinstance(drawing, str) else drawing.source
    layout = layout_json(source)
    picture = Picture()
    for op in layout.get("_draw_", []):  # the background is the graph's first fill
        if op["op"] == "C":
            picture.background = _color(op["color"])[0] or "#ffffff"
            break
    background = layout.get("_draw_", [])
    first_fill = next((i for i, op in enumerate(background) if op["op"] == "P"), -1)
    lists: list = [background[first_fill + 1:]]  # up to the first fill: the page itself
    if graph_label:
        lists.append(layout.get("_ldraw_", []))
    objects = layout.get("objects", [])
    nodes = [obj for obj in objects if "nodes" not in obj]
    clusters = [obj for obj in objects if "nodes" in obj]
    lists = [("", False, ops) for ops in lists]
    for obj in clusters:
        lists += [("", False, obj.get("_draw_", [])), ("", False, obj.get("_ldraw_", []))]
    edges = sorted(layout.get("edges", []), key=lambda e: e.get("_gvid", 0))
    owners, seen = [], {}
    for edge in edges:
        pair = f"{objects[edge['tail']]['name']}->{objects[edge['head']]['name']}"
        seen[pair] = seen.get(pair, -1) + 1
        owners.append(f"{pair}#{seen[pair]}")
        if "lp" in edge:
            x, y = (float(v) for v in edge["lp"].split(","))
            picture.label_centres[owners[-1]] = (x, y)
    for owner, edge in zip(owners, edges):
        lists += [(owner, True, edge.get(key, [])) for key in ("_draw_", "_hdraw_", "_tdraw_")]
    for obj in nodes:
        lists += [(obj["name"], False, obj.get(key, [])) for key in ("_draw_", "_ldraw_")]
    for owner, edge in zip(owners, edges):  # labels last, above any line they cross
        lists += [(owner, False, edge.get(key, [])) for key in ("_ldraw_", "_hldraw_",
                                                                "_tldraw_")]
    for owner, is_edge, ops in lists:
        picture.shapes += _shapes(ops, is_edge, owner)
    return picture


def _color(text: str) -> tuple[str | None, float]:
    """``#rrggbb`` and opacity from an xdot colour (``#rrggbbaa``, a name, or none)."""
    text = text.strip().lower()
    if text in ("none", "transparent", ""):
        return None, 0.0
    text = _NAMED.get(text, text)
    if re.fullmatch(r"#[0-9a-f]{8}", text):
        alpha = int(text[7:9], 16) / 255
        return (text[:7], alpha) if alpha > 0 else (None, 0.0)
    if re.fullmatch(r"#[0-9a-f]{6}", text):
        return text, 1.0
    return "#000000", 1.0


def _shapes(ops: list[dict], is_edge: bool, owner: str) -> list[Shape]:
    """The shapes one xdot operation list draws (pen, fill and font state start afresh)."""
    pen, pen_opacity, fill, fill_opacity = "#000000", 1.0, None, 1.0
    width, dash = 1.0, "solid"
    size, color, text_color, bold, italic = 14.0, "#000000", "#000000", False, False
    out: list[Shape] = []
    for op in ops:
        kind = op["op"]
        if kind == "c":
            pen, pen_opacity = _color(op["color"])
            text_color = pen or text_color
            color = pen or color
        elif kind == "C":
            fill, fill_opacity = _color(op["color"])
        elif kind == "S":
            style = op["style"]
            match = re.fullmatch(r"setlinewidth\(([\d.]+)\)", style)
            if match:
                width = float(match.group(1))
            elif style in ("dashed", "dotted", "solid"):
                dash = style
            elif style == "bold":
                width = 2.0
        elif kind == "F":
            size = float(op["size"])
        elif kind == "t":
            bold, italic = bool(op["fontchar"] & 1), bool(op["fontchar"] & 2)
        elif kind in "PpLBb":
            points = tuple((float(x), float(y)) for x, y in op["points"])
            filled = kind == "P" or (kind == "b" and not is_edge)  # an edge line is not filled
            out.append(Path(points, Pen(pen, pen_opacity, width, dash),
                            fill if filled else None, fill_opacity,
                            closed=kind in "Pp", curve=kind in "Bb", owner=owner))
        elif kind in "Ee":
            cx, cy, rx, ry = (float(v) for v in op["rect"])
            out.append(Ellipse((cx, cy), rx, ry, Pen(pen, pen_opacity, width, dash),
                               fill if kind == "E" else None, fill_opacity, owner))
        elif kind == "T":
            x, y = op["pt"]
            # html_text doubles a backslash so Graphviz does not expand \N: undo it here.
            text = op["text"].replace("\\\\", "\\")
            out.append(Text((float(x), float(y)), op.get("align", "c"), float(op["width"]),
                            text, size, text_color, bold, italic, owner))
    return out
