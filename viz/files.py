"""``render(root_or_drawing, "graph.svg")``: a drawing into an image file (.svg .png .pdf).

Lays out with the renderer chain of ``viz.rendering``; a node is drawn with
``draw_graph`` first.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import rendering
from .draw import draw_graph


def render(root_or_graph: Any, path: str | os.PathLike, *, dpi: int = rendering.PNG_DPI,
           max_pixels: int = rendering.PNG_MAX_PIXELS, **draw_options: Any) -> Path:
    """Draw ``root_or_graph`` (a Value, Tensor or a ready drawing) into an image file.

    The format comes from the suffix (.svg, .png, .pdf). ``draw_options`` go to
    ``draw_graph`` when a node is given. Returns the path written.

    >>> from autograd import Value
    >>> import tempfile, os
    >>> y = Value(2.0, label="x") ** 2
    >>> out = render(y, os.path.join(tempfile.mkdtemp(), "y.svg"))
    >>> out.read_text().startswith("<?xml")
    True
    """
    format = rendering.format_from_path(path)
    if hasattr(root_or_graph, "source"):
        if draw_options:
            raise TypeError(f"render() got drawing options {sorted(draw_options)} with a "
                            f"ready drawing; pass them to draw_graph instead")
        source = root_or_graph.source
    else:
        source = draw_graph(root_or_graph, **draw_options).source
    data = rendering.render_source(source, format, dpi=dpi, max_pixels=max_pixels)
    path = Path(path)
    path.write_bytes(data)
    return path
