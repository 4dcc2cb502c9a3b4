"""``explore(root)``: one offline HTML view of a graph of any size, opened by module.

The graph is shown folded: one box per ``nn.Module`` call (the ``autograd.scope`` tags),
opened in place with a click; a graph without modules (a long chain) is folded into
boxes of consecutive operations instead, so no level shows more than a screenful of
boxes. Clicking a value opens its details: data, grad, the rule table's formula for
each parent edge and the chain rule ``explain(root, wrt=node)`` writes out.

Python gathers the texts (``viz.explore_data``) and chooses the first view: as many
levels open as keep the text at least 9 px tall when fitted to a notebook cell
(``viz.explore_static``, which also draws that view as a static SVG for viewers that
run no scripts). The page's script lays out only the boxes that are open, so a
10,000-node graph costs what its open levels cost.

    >>> import random; random.seed(0)
    >>> from nn import MLP
    >>> from viz import explore
    >>> model = MLP(2, [3, 1]); loss = (model([1.0, -2.0]) - 1) ** 2; loss.backward()
    >>> view = explore(loss, model=model)
    >>> 'data-cr-module' in view.html(), view.node_count
    (True, 24)
"""

from __future__ import annotations

import html
import re
from importlib import resources
from pathlib import Path
from typing import Any

from . import themes
from .explore_data import DEFAULT_MAX_NODES, ExploreData, gather, outline
from .explore_static import FONT_PX, MAX_SCALE, METRICS, VIEW, opening, picture
from .fit import element_id
from .player_html import script_json

TEMPLATE = "explore_template.html"
# The page's script, in two parts: what is drawn (layout), then how it is used.
SCRIPT = ("explore_layout.html", "explore_controls.html")
_PLACEHOLDER = re.compile(r"__CR_[A-Z]+__")


class Explorer:
    """The explorer of one graph: displays in notebooks, ``save_html(path)`` for a file."""

    def __init__(self, data: ExploreData, theme: str | None = None) -> None:
        self.data = data
        self.first = opening(data)  # what opens first, laid out (for the static picture)
        self.theme = themes.check(theme) if theme is not None else themes.get_theme()

    @property
    def node_count(self) -> int:
        """How many value nodes the graph has."""
        return len(self.data.nodes)

    def html(self) -> str:
        """The explorer as one ``<div>`` with its style, data and script (no network)."""
        folder = resources.files("viz")
        script = "".join(folder.joinpath(name).read_text(encoding="utf-8") for name in SCRIPT)
        template = folder.joinpath(TEMPLATE).read_text(encoding="utf-8").replace(
            "__CR_SCRIPT__", script)
        payload = script_json(self.data.payload() | {
            "open": self.first.open, "metrics": METRICS, "view": VIEW, "font": FONT_PX,
            "maxScale": MAX_SCALE,
            "direction": {str(box): way for box, way in self.first.direction.items()}})
        # unique on the page (several explorers in one notebook), same on every rebuild
        view_id = element_id("cr-explore", payload)
        values = {
            "__CR_ID__": view_id,
            "__CR_STATIC__": self.picture(view_id),
            "__CR_DATA__": payload,
        }
        # One pass: a placeholder-like string inside a label is never substituted.
        return themes.recolor(_PLACEHOLDER.sub(lambda m: values[m.group(0)], template),
                              self.theme)

    def picture(self, view_id: str = "cr-explore") -> str:
        """The first view as a static SVG: what a viewer that runs no scripts shows."""
        return themes.recolor(picture(self.data, view_id, self.first), self.theme)

    def page(self, title: str | None = None) -> str:
        """A whole HTML document holding the explorer; opens from disk with no network."""
        title = title or f"chainrule: the graph of {self.data.root_name}"
        return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                f"<title>{html.escape(title)}</title>\n</head>\n<body>\n{self.html()}\n"
                "</body>\n</html>\n")

    def save_html(self, path: str | Path, title: str | None = None) -> Path:
        """Write the explorer as a standalone page; returns the path."""
        path = Path(path)
        path.write_text(self.page(title), encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict:
        # a viewer that strips scripts or HTML shows the picture, a terminal the outline
        bundle = {"text/html": self.html(), "image/svg+xml": self.picture(),
                  "text/plain": outline(self.data)}
        if include is not None:
            bundle = {k: v for k, v in bundle.items() if k in set(include)}
        return {k: v for k, v in bundle.items() if k not in set(exclude or ())}

    def __repr__(self) -> str:
        return (f"<Explorer of {self.data.root_name}: {self.node_count:,} nodes, "
                f"{len(self.data.groups):,} boxes; display it or save_html(path)>")


def explore(root: Any, *, model: Any = None, precision: int = 4,
            max_nodes: int | None = DEFAULT_MAX_NODES, theme: str | None = None) -> Explorer:
    """An interactive, offline view of the graph under ``root`` (a Value or one-number
    Tensor, or a list of them).

    - ``model``: the ``nn.Module`` that made the graph, so module boxes carry its dotted
      paths (``layers.1.neurons.3``, as ``named_parameters`` prefixes); without it the
      module names recorded in the graph are joined with dots;
    - ``max_nodes``: refuse graphs with more value nodes than this (counted without
      walking further), since the page holds every node's texts; None for no limit;
    - ``theme``: one of ``viz.THEMES`` (default: the one ``set_theme`` chose).

    >>> from autograd import Value
    >>> x = Value(3.0, label="x"); y = (x * x).tanh(); y.label = "y"; y.backward()
    >>> explore(y)
    <Explorer of y: 3 nodes, 0 boxes; display it or save_html(path)>
    """
    with themes.using(theme) as chosen:  # node colours are gathered in the theme
        data = gather(root, model=model, precision=precision, max_nodes=max_nodes)
    return Explorer(data, chosen.name)
