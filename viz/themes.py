"""Themes: one drawing, restyled for a dark notebook, a washed-out projector, a printer.

``viz.THEMES`` names them; ``set_theme(name)`` picks the default and ``theme=`` on
``draw_graph``, ``draw_network``, ``step_through``, ``to_tikz`` and the ``nn`` plots
picks one for a single picture.

    light       today's look: pastel fills on white
    dark        light text and lines on a dark background, for dark notebooks and slides
    projector   high contrast, stronger fills, larger text and thick lines
    print       black on white, no fills; kinds of node told apart by line style
    colorblind  the light look with a blue-orange gradient map and fills that stay
                apart under deuteranopia (red-green colour blindness)

Drawings are made in the light palette and then recoloured: each theme maps every
colour the light drawing uses to its own (``recolor``), in DOT, SVG and the player's
HTML alike, so the code that draws knows nothing of themes. Colours computed from a
number (the gradient map of ``color_by="grad"``) come from the theme in use
(``current``) while a drawing is made.

    >>> from autograd import Value
    >>> from viz import draw_graph
    >>> y = Value(2.0, label="x") ** 2
    >>> "bgcolor=\\"#1e1e1e\\"" in draw_graph(y, theme="dark").source
    True
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Theme:
    """A name, how each light colour is recoloured, and the gradient map's three colours.

    ``kind_lines`` gives the table style of value nodes by their light fill (print);
    ``edge_lines`` a DOT edge style by the edge's light colour; ``font_size`` and
    ``pen_width`` the DOT defaults; ``plot_rc`` matplotlib settings for the ``nn`` plots.
    """

    name: str
    colors: dict[str, str]
    negative: RGB
    zero: RGB
    positive: RGB
    kind_lines: dict[str, str] = field(default_factory=dict)
    edge_lines: dict[str, str] = field(default_factory=dict)
    font_size: int = 12
    pen_width: float = 1.0
    plot_rc: dict[str, Any] = field(default_factory=dict)

    @property
    def background(self) -> str:
        """The page colour (what ``bgcolor=white`` becomes)."""
        return self.colors.get("white", "#ffffff")


# Every colour the light drawings, player and notebook frame use, by role.
LIGHT = {
    "white": "#ffffff", "#ffffff": "#ffffff",              # page; intermediate fill
    "#000000": "#000000", "#222222": "#222222", "#222": "#222",  # text
    "#333333": "#333333", "#555555": "#555555", "#777777": "#777777",  # lines
    "#555": "#555", "#666": "#666", "#777": "#777", "#444": "#444",
    "#888888": "#888888", "#8a8a8a": "#8a8a8a", "#4a5a8a": "#4a5a8a",
    "#d4e8f7": "#d4e8f7", "#fde2b8": "#fde2b8", "#eeeeee": "#eeeeee",  # kind fills
    "#cdeccd": "#cdeccd", "#f4f4f4": "#f4f4f4", "#eef1fb": "#eef1fb",
    "#fafafa": "#fafafa", "#fff4e0": "#fff4e0", "#f6f6f6": "#f6f6f6",
    "#dddddd": "#dddddd", "#ddd": "#ddd",                  # unknown gradient, frames
    "#fff": "#fff", "#000": "#000", "#888": "#888", "#aaa": "#aaa", "#bbb": "#bbb",
    "#ccc": "#ccc", "#f7f9fe": "#f7f9fe", "#e7eefb": "#e7eefb", "#27335a": "#27335a",
    "#e8590c": "#e8590c", "#1c5fa8": "#1c5fa8",            # highlight, walked edges
    "#b2182b": "#b2182b", "#2166ac": "#2166ac",            # positive, negative
}


def _palette(**roles: str) -> dict[str, str]:
    """A theme's table: each light colour of a role gets the role's colour."""
    groups = {
        "page": ["white"], "node": ["#ffffff", "#fff"],
        "text": ["#000000", "#222222", "#222", "#000"],
        "line": ["#333333", "#555555", "#555", "#444"],
        "soft_line": ["#777777", "#777", "#666", "#888888", "#8a8a8a", "#888", "#aaa",
                      "#bbb", "#ccc"],
        "group_line": ["#4a5a8a", "#27335a"], "input": ["#d4e8f7"], "parameter": ["#fde2b8"],
        "constant": ["#eeeeee"], "output": ["#cdeccd"], "op": ["#f4f4f4"],
        "group": ["#eef1fb", "#f7f9fe", "#e7eefb"], "fold": ["#fafafa", "#f6f6f6"],
        "hidden": ["#fff4e0"],
        "unknown": ["#dddddd", "#ddd"], "highlight": ["#e8590c"], "done": ["#1c5fa8"],
        "positive": ["#b2182b"], "negative": ["#2166ac"]}
    table = dict(LIGHT)
    for role, color in roles.items():
        for light in groups[role]:
            table[light] = color
    return table


THEME_TABLE: dict[str, Theme] = {
    "light": Theme("light", dict(LIGHT), (33, 102, 172), (247, 247, 247), (178, 24, 43)),
    "dark": Theme("dark", _palette(
        page="#1e1e1e", node="#2a2a2a", text="#ececec", line="#b4b4b4", soft_line="#9a9a9a",
        group_line="#8fa0d8", input="#1d3a55", parameter="#5c3b0e", constant="#3c3c3c",
        output="#1f4d2b", op="#353535", group="#2b3150", fold="#262626", hidden="#4a3a1c",
        unknown="#4a4a4a", highlight="#ff8c42", done="#5aa2e8", positive="#ef8a62",
        negative="#67a9cf"), (103, 169, 207), (48, 48, 48), (239, 138, 98),
        plot_rc={"figure.facecolor": "#1e1e1e", "axes.facecolor": "#1e1e1e",
                 "savefig.facecolor": "#1e1e1e", "text.color": "#ececec",
                 "axes.labelcolor": "#ececec", "axes.edgecolor": "#b4b4b4",
                 "xtick.color": "#ececec", "ytick.color": "#ececec",
                 "legend.facecolor": "#2a2a2a", "legend.edgecolor": "#9a9a9a"}),
    "projector": Theme("projector", _palette(
        text="#000000", line="#000000", soft_line="#1a1a1a", group_line="#08306b",
        input="#9ecae1", parameter="#fdae6b", constant="#cfcfcf", output="#a1d99b",
        op="#e0e0e0", group="#c6dbef", fold="#ebebeb", hidden="#fdd49e", unknown="#bdbdbd",
        highlight="#d94801", done="#08519c", positive="#a50f15", negative="#08519c"),
        (8, 81, 156), (255, 255, 255), (165, 15, 21), font_size=14, pen_width=2.2,
        plot_rc={"font.size": 16, "lines.linewidth": 3, "axes.linewidth": 1.6,
                 "axes.titlesize": 18, "axes.labelsize": 16}),
    "print": Theme("print", _palette(
        text="#000000", line="#000000", soft_line="#000000", group_line="#000000",
        input="#ffffff", parameter="#ffffff", constant="#ffffff", output="#ffffff",
        op="#ffffff", group="#ffffff", fold="#ffffff", hidden="#ffffff", unknown="#ffffff",
        highlight="#000000", done="#000000", positive="#000000", negative="#000000"),
        (110, 110, 110), (255, 255, 255), (110, 110, 110),
        kind_lines={"#d4e8f7": "dashed", "#eeeeee": "dotted", "#fde2b8": "rounded"},
        edge_lines={"#2166ac": "dashed"}, pen_width=1.2,
        plot_rc={"image.cmap": "gray"}),
    "colorblind": Theme("colorblind", _palette(
        input="#c6e2f5", parameter="#fbd3a5", output="#9fd4c4", highlight="#d55e00",
        done="#0072b2", positive="#d55e00", negative="#0072b2"),
        (0, 114, 178), (247, 247, 247), (213, 94, 0)),
}
THEMES = tuple(THEME_TABLE)
_DEFAULT = {"name": "light"}
_CURRENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("theme", default=None)


def check(name: Any) -> str:
    """``name`` if it is a theme, else a ValueError naming the choices."""
    if name not in THEME_TABLE:
        raise ValueError(f"unknown theme {name!r}; choose one of {', '.join(THEMES)}")
    return name


def set_theme(name: str) -> None:
    """Make ``name`` the theme of every picture drawn from now on (``theme=`` overrides).

    >>> set_theme("dark"); get_theme()
    'dark'
    >>> set_theme("light")
    """
    _DEFAULT["name"] = check(name)


def get_theme() -> str:
    """The theme in use: the one a drawing is being made in, else the default."""
    return _CURRENT.get() or _DEFAULT["name"]


def current() -> Theme:
    """The ``Theme`` in use (see ``get_theme``)."""
    return THEME_TABLE[get_theme()]


@contextlib.contextmanager
def using(name: str | None) -> Iterator[Theme]:
    """Draw in theme ``name`` (None: the one in use) inside the block."""
    token = _CURRENT.set(check(name) if name is not None else get_theme())
    try:
        yield current()
    finally:
        _CURRENT.reset(token)


_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?=[0-9a-fA-F]{2}(?![0-9a-fA-F])|"
                  r"(?![0-9a-fA-F]))")
_WHITE = re.compile(r'(bgcolor=|bgcolor="|fill="|background: )white\b')


def recolor(text: str, name: str | None = None) -> str:
    """``text`` (DOT, SVG or HTML made in the light palette) in theme ``name``."""
    theme = THEME_TABLE[check(name) if name is not None else get_theme()]
    if theme.name == "light":
        return text
    colors = theme.colors
    if theme.kind_lines:
        text = "\n".join(_line_style(line, theme) for line in text.split("\n"))
    text = _WHITE.sub(lambda m: m.group(1) + (f'"{colors["white"]}"' if m.group(1) == "bgcolor="
                                              else colors["white"]), text)
    # A saved page (the player's save_html) gets the theme's page colour too.
    text = text.replace("<body>", f'<body style="background: {colors["white"]}; '
                                   f'color: {colors["#000000"]}">', 1)
    text = _HEX.sub(lambda m: colors.get("#" + m.group(1).lower(), m.group(0)), text)
    return text


def _line_style(line: str, theme: Theme) -> str:
    """Print: a value node's table border drawn dashed / dotted / rounded by its kind,
    an edge of a given colour dashed (fills and colours are gone)."""
    if line.startswith("\tlegend "):  # the key shows each kind's line style on its swatch
        for light, style in theme.kind_lines.items():
            line = line.replace(f'<td bgcolor="{light}" width="18">',
                                f'<td bgcolor="{light}" width="18" style="{style}">')
        return line
    first_cell = line.find('<td bgcolor="')
    style = theme.kind_lines.get(line[first_cell + 13:first_cell + 20]) if first_cell >= 0 \
        else None
    if style and '<table border="' in line:
        return line.replace('cellborder="1"', f'cellborder="1" style="{style}"', 1)
    if " -> " in line:
        for light, style in theme.edge_lines.items():
            if light in line:
                return line.replace(" [", f" [style={style} ", 1)
    return line


def themed(draw: Callable) -> Callable:
    """Give ``draw`` (a function returning a graphviz drawing) a ``theme=`` option."""

    @functools.wraps(draw)
    def wrapper(*args: Any, theme: str | None = None, **kwargs: Any) -> Any:
        with using(theme) as chosen:
            result = draw(*args, **kwargs)
        restyle(result, chosen)
        return result

    return _with_theme_parameter(draw, wrapper)


def themed_plot(plot: Callable) -> Callable:
    """Give ``plot`` (a matplotlib plot) a ``theme=`` option: its rc settings."""

    @functools.wraps(plot)
    def wrapper(*args: Any, theme: str | None = None, **kwargs: Any) -> Any:
        with using(theme), plot_context(theme):
            return plot(*args, **kwargs)

    return _with_theme_parameter(plot, wrapper)


def _with_theme_parameter(draw: Callable, wrapper: Callable) -> Callable:
    """``wrapper`` with ``draw``'s signature plus ``theme=None`` (for help() and IDEs)."""
    signature = inspect.signature(draw)
    parameters = list(signature.parameters.values())
    extra = inspect.Parameter("theme", inspect.Parameter.KEYWORD_ONLY, default=None,
                              annotation="str | None")
    if not any(p.kind == p.VAR_KEYWORD for p in parameters):
        parameters.append(extra)
    else:
        parameters.insert(len(parameters) - 1, extra)
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return wrapper


def restyle(drawing: Any, theme: Theme) -> None:
    """Recolour a graphviz drawing made in the light palette, in place."""
    if theme.name == "light":
        return
    drawing.theme = theme.name  # its notebook display recolours the frame around it
    drawing.body[:] = [recolor(line, theme.name) for line in drawing.body]
    colors = theme.colors
    drawing.graph_attr.setdefault("bgcolor", "white")  # a transparent page stays light
    for attrs in (drawing.graph_attr, drawing.node_attr, drawing.edge_attr):
        for key, value in list(attrs.items()):
            attrs[key] = colors["white"] if value == "white" else recolor(value, theme.name)
        attrs["fontcolor"] = colors["#000000"]  # Graphviz's default text colour is black
    if theme.font_size != 12 and drawing.node_attr.get("fontsize") == "12":
        drawing.node_attr["fontsize"] = str(theme.font_size)
    if theme.pen_width != 1.0 and "arrowsize" in drawing.edge_attr:
        drawing.edge_attr.setdefault("penwidth", str(theme.pen_width))


def plot_context(name: str | None) -> Any:
    """matplotlib settings of theme ``name`` (None: the one in use) for one plot."""
    from matplotlib import rc_context

    theme = THEME_TABLE[check(name) if name is not None else get_theme()]
    rc = {"image.cmap": "coolwarm", **theme.plot_rc}  # class colours, unless the theme's
    if theme.name == "print":  # black lines told apart by their dashes, as in the graphs
        from cycler import cycler

        dashes = ["-", "--", ":", "-.", (0, (8, 2)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 4)),
                  (0, (6, 3, 1, 3))]  # eight runs of plot_history told apart
        rc["axes.prop_cycle"] = cycler(color=["#000000"] * len(dashes), linestyle=dashes)
    return rc_context(rc)
