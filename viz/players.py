"""``step_through(root)``: the right player for the graph.

Edge by edge (``viz.player.Player``) while the graph is small enough to read; a model
too big for that (past ``viz.detail.DETAIL_LIMIT`` drawn nodes, built from modules) is
stepped one module at a time (``viz.module_player.ModulePlayer``); ``depth=`` asks for
module steps at that depth.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
    >>> player = step_through(y)
    >>> [player.caption(k)[0] for k in range(len(player) + 1)][1:]
    ['dy/dx = dy/dy · dy/dx = 1 · 3 = 3', 'dy/dx += dy/dy · dy/dx = 1 · 3 = 3']
"""

from __future__ import annotations

from typing import Any

from . import themes
from .detail import DETAIL_LIMIT, drawn_count
from .module_player import ModulePlayer
from .player import Player, check_size, checked_nodes


def step_through(root: Any, *, precision: int = 4, rankdir: str = "auto",
                 max_nodes: int | str | None = "auto", skip_constants: bool = False,
                 depth: int | None = None, theme: str | None = None) -> Player:
    """A player over ``root``'s backward steps, one frame per step plus the start.

    - ``skip_constants=True`` leaves out the steps into leaves with ``role="constant"``;
    - ``depth``: one step per module box, modules opened ``depth`` levels (1: layers,
      2: neurons); chosen by itself (``depth=1``) for a model past the size limit;
    - ``theme``: one of ``viz.THEMES`` (default: ``viz.set_theme``'s).

    The edge-by-edge player draws every edge: past the limit without modules, or for a
    layout estimated to take minutes, it raises ``GraphTooLargeError`` at once saying
    what to do (``max_nodes=n`` sets the limit, ``None`` lifts it).
    """
    nodes = checked_nodes(root)
    big = drawn_count(nodes) > DETAIL_LIMIT
    if depth is None and max_nodes == "auto" and big and any(
            getattr(node, "scope", ()) for node in nodes):
        depth = 1
    if depth is not None:
        if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
            raise ValueError(f"depth must be a whole number >= 0 (how many levels of "
                             f"modules to open), got {depth!r}")
        with themes.using(theme):
            return ModulePlayer(root, depth=depth, precision=precision, rankdir=rankdir)
    if big:
        check_size(nodes, max_nodes)  # refuses now, without walking the graph again
    return Player(root, precision=precision, rankdir=rankdir, max_nodes=max_nodes,
                  skip_constants=skip_constants, theme=theme)
