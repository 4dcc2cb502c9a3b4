"""``render(root_or_drawing, "graph.svg")``: a drawing into an image file (.svg .png .pdf).

Lays out with the renderer chain of ``viz.rendering``; a node is drawn with
``draw_graph`` first. PDF without a system Graphviz is painted from the layout by
matplotlib (``viz.pdf``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import pdf, rendering
from .draw import draw_graph


def render(root_or_graph: Any, path: str | os.PathLike, *, dpi: int = rendering.PNG_DPI,
           scale: float = 1, max_pixels: int = rendering.PNG_MAX_PIXELS,
           **draw_options: Any) -> Path:
    """Draw ``root_or_graph`` (a Value, Tensor or a ready drawing) into an image file.

    The format comes from the suffix (.svg, .png, .pdf). ``draw_options`` go to
    ``draw_graph`` when a node is given. ``scale=2`` makes a PNG twice as many pixels
    wide and high (``dpi`` x ``scale``, e.g. for high-density screens). Returns the path
    written.

    >>> from autograd import Value
    >>> import tempfile, os
    >>> y = Value(2.0, label="x") ** 2
    >>> out = render(y, os.path.join(tempfile.mkdtemp(), "y.svg"))
    >>> out.read_text().startswith("<?xml")
    True
    """
    format = rendering.format_from_path(path)
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 0 < scale <= 16:
        raise ValueError(f"scale must be a number between 0 and 16 (2 = twice the pixels), "
                         f"got {scale!r}")
    if hasattr(root_or_graph, "source"):
        if draw_options:
            raise TypeError(f"render() got drawing options {sorted(draw_options)} with a "
                            f"ready drawing; pass them to draw_graph instead")
        source = root_or_graph.source
    else:
        source = draw_graph(root_or_graph, **draw_options).source
    renderer = rendering.find_renderer(format)
    if format == "pdf" and renderer is not None and "pdf" not in renderer.formats:
        data = pdf.pdf_bytes(source)
    else:
        data = rendering.render_source(source, format, dpi=round(dpi * scale),
                                       max_pixels=round(max_pixels * scale))
    path = Path(path)
    path.write_bytes(data)
    return path
