"""Showing drawings inline in Jupyter, with or without a renderer.

``draw_graph`` and ``draw_network`` return a ``GraphDrawing``: a ``graphviz.Digraph``
whose notebook display goes through chainrule's renderer chain (``viz.render``)
instead of requiring ``dot`` on PATH. SVG by default; ``set_format("png")`` for
front-ends that crop SVG. With no renderer at all, the cell shows the graph as text
and its DOT source, with one line on how to get a renderer: never a traceback.

    >>> drawing = GraphDrawing()
    >>> drawing.node("a"); drawing.node("b"); drawing.edge("a", "b")
    >>> sorted(drawing._repr_mimebundle_())
    ['image/svg+xml']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import graphviz

from . import rendering

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

    def __repr__(self) -> str:  # no memory address: a rebuilt notebook stays the same
        return f"<GraphDrawing: {len(self.node_ids)} nodes; display it or render() it>"

    def _repr_mimebundle_(self, include: Iterable[str] | None = None,
                          exclude: Iterable[str] | None = None, **_: Any) -> dict:
        return display_bundle(self.source, self.text, include, exclude)


def fallback_text(source: str, text: str, reason: str) -> str:
    """What a notebook shows without a renderer: text tree, DOT source, how to fix it."""
    if len(source) > _MAX_SOURCE_CHARS:
        left = len(source) - _MAX_SOURCE_CHARS
        source = source[:_MAX_SOURCE_CHARS] + f"\n... ({left} more characters in .source)"
    parts = [text] if text else []
    parts += ["DOT source:", source, reason]
    return "\n\n".join(parts)


def display_bundle(source: str, text: str, include: Iterable[str] | None = None,
                   exclude: Iterable[str] | None = None) -> dict:
    """The notebook mime bundle: the rendered image, or text when that is impossible."""
    format = get_format()
    mime = _MIME[format]
    wanted = set(include) if include is not None else {mime, "text/plain"}
    wanted -= set(exclude or ())
    try:
        image = rendering.render_source(source, format)
    except rendering.NoRendererError:
        reason = f"(No Graphviz renderer found: {rendering.HOW_TO_GET_A_RENDERER}.)"
    except rendering.RenderError as error:
        reason = f"(Could not render this graph: {error})"
    else:
        data: Any = image.decode("utf-8") if format == "svg" else image
        return {mime: data} if mime in wanted else {}
    return {"text/plain": fallback_text(source, text, reason)}
