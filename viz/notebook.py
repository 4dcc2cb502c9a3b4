"""Showing drawings inline in Jupyter, with or without a renderer.

``draw_graph`` and ``draw_network`` return a ``GraphDrawing``: a ``graphviz.Digraph``
whose notebook display goes through chainrule's renderer chain (``viz.render``)
instead of requiring ``dot`` on PATH. A cell gets three forms of one picture:
``text/html`` (the picture fitted to the cell's width, with a switch to its natural
size and panning, see ``viz.fit``), ``image/svg+xml`` (or ``image/png`` after
``set_format("png")``) for viewers that show no HTML, and ``text/plain``. With no
renderer at all, the cell shows the graph as text and its DOT source, with one line
on how to get a renderer: never a traceback.

    >>> drawing = GraphDrawing()
    >>> drawing.node("a"); drawing.node("b"); drawing.edge("a", "b")
    >>> sorted(drawing._repr_mimebundle_())
    ['image/svg+xml', 'text/html', 'text/plain']
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any

import graphviz

from . import rendering, themes
from .fit import fit_html

_DISPLAY = {"format": "svg"}
_MIME = {"svg": "image/svg+xml", "png": "image/png"}
_MAX_SOURCE_CHARS = 6000


def set_format(format: str) -> None:
    """Show drawings in notebooks as ``"svg"`` (default, sharp at any zoom) or ``"png"``.

    >>> set_format("png"); get_format()
    'png'
    >>> set_format("svg")
    """
    if format not in _MIME:
        raise ValueError(f"notebook display format must be 'svg' or 'png', got {format!r}")
    _DISPLAY["format"] = format


def get_format() -> str:
    """The format notebooks display drawings in (see ``set_format``)."""
    return _DISPLAY["format"]


class GraphDrawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` that displays itself in notebooks through our renderer chain.

    Besides the DOT source it carries ``node_ids`` (graph node -> DOT id of its value
    node, for callers that restyle frames) and ``text`` (the graph as an indented
    text tree, shown when there is no renderer).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # per drawing: a dict in the class body would be one dict shared by all drawings
        self.node_ids: dict = {}
        self.text: str = ""
        self.note: str = ""  # one line above the picture, e.g. "drawn collapsed: ..."

    def __repr__(self) -> str:  # no memory address: a rebuilt notebook stays the same
        return f"<GraphDrawing: {len(self.node_ids)} nodes; display it or render() it>"

    def _repr_mimebundle_(self, include: Iterable[str] | None = None,
                          exclude: Iterable[str] | None = None, **_: Any) -> dict:
        bundle = display_bundle(self.source, self.text, include, exclude, note=self.note,
                                plain=repr(self))
        if "text/html" in bundle and getattr(self, "theme", None):  # the frame's colours too
            bundle["text/html"] = themes.recolor(bundle["text/html"], self.theme)
        return bundle


def fallback_text(source: str, text: str, reason: str) -> str:
    """What a notebook shows without a renderer: text tree, DOT source, how to fix it."""
    if len(source) > _MAX_SOURCE_CHARS:
        left = len(source) - _MAX_SOURCE_CHARS
        source = source[:_MAX_SOURCE_CHARS] + f"\n... ({left} more characters in .source)"
    parts = [text] if text else []
    parts += ["DOT source:", source, reason]
    return "\n\n".join(parts)


def display_bundle(source: str, text: str, include: Iterable[str] | None = None,
                   exclude: Iterable[str] | None = None, *, note: str = "",
                   plain: str = "a graph drawing") -> dict:
    """The notebook mime bundle: the fitted picture as HTML, the image and a line of
    text; or text alone when nothing can render."""
    format = get_format()
    mime = _MIME[format]
    wanted = set(include) if include is not None else {mime, "text/html", "text/plain"}
    wanted -= set(exclude or ())
    try:
        image = rendering.render_source(source, format)
    except rendering.NoRendererError:
        reason = f"(No Graphviz renderer found: {rendering.HOW_TO_GET_A_RENDERER}.)"
    except rendering.RenderError as error:
        reason = f"(Could not render this graph: {error})"
    else:
        data: Any = image.decode("utf-8") if format == "svg" else image
        # The note is in the picture itself (a graph label); text needs it spelled out.
        bundle = {mime: data, "text/html": fit_html(data) if format == "svg"
                  else _fit_png(image), "text/plain": f"{note}\n{plain}" if note
                  else plain}
        return {key: value for key, value in bundle.items() if key in wanted}
    return {"text/plain": fallback_text(source, text, reason)}


def _fit_png(image: bytes) -> str:
    """A PNG fitted to the cell's width (``set_format("png")``)."""
    data = base64.b64encode(image).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" '
            f'style="max-width:100%;height:auto" alt="graph drawing">')
