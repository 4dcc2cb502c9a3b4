"""Pictures of the graph: drawing, rendering, the backprop player, plots, the command line.

    >>> from autograd import Value
    >>> from viz import draw_graph
    >>> y = Value(2.0, label="x") ** 2
    >>> drawing = draw_graph(y)          # a graphviz.Digraph; shows inline in Jupyter
    >>> "**2" in drawing.source
    True

In a notebook a drawing is shown fitted to the cell (with a switch to its natural size
and panning), its SVG beside it for viewers without HTML; a big graph is drawn with
less detail (by module, chains folded, or the output's neighbourhood) and says so.
``render(root_or_drawing, "graph.svg")`` writes .svg, .png or .pdf; ``set_format("png")``
switches the notebook display to PNG; ``draw_network(model)`` draws an MLP's layers as
columns of circles. ``step_through(root)`` replays backprop one edge at a time (a model
too big for that, one module at a time): the same self-contained HTML player in a
notebook and in ``save_html``, plus ``save_frames`` and ``save_gif``.
Rendering uses ``dot`` when it is on PATH, else the bundled graphviz-pure (SVG and
PNG), else notebooks show the graph as text; PDF without ``dot`` is painted by matplotlib.
``to_tikz(root)`` writes TikZ for LaTeX, ``player.save_beamer`` a Beamer deck;
``set_theme("dark")`` (or ``theme=``) restyles pictures: ``THEMES`` lists the themes.
"""

from .draw import GraphTooLargeError, draw_graph
from .explore import Explorer, explore
from .files import render
from .network import draw_network
from .notebook import GraphDrawing, get_format, set_format
from .player import Player
from .players import step_through
from .rendering import NoRendererError, RenderError, find_renderer
from .themes import THEMES, get_theme, set_theme
from .tikz import LatexError, to_tikz

__all__ = [
    "GraphDrawing", "GraphTooLargeError", "NoRendererError", "RenderError", "draw_graph",
    "draw_network", "find_renderer", "get_format", "render", "set_format",
    "Player", "step_through", "THEMES", "get_theme", "set_theme", "LatexError", "to_tikz",
    "Explorer", "explore",
]
