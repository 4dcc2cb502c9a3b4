"""Turning DOT text into SVG, PNG or PDF, on any machine.

The renderer is chosen each time something is rendered, in this order:

1. ``dot`` on PATH: the user's own Graphviz, the only one that writes PDF;
2. the ``graphviz-pure`` wheel (a self-contained Graphviz port and a dependency of
   chainrule; SVG and PNG). Its program is found through the installed distribution's
   file list, not PATH, because a notebook kernel's PATH often lacks the virtualenv;
3. none: ``render_source`` raises ``NoRendererError`` and notebooks show text instead.

Writing a node's drawing to a file is ``viz.render`` (``viz/files.py``): this module only
turns DOT text into bytes, so that it imports nothing else of ``viz``.

    >>> find_renderer("svg").name in ("dot", "graphviz-pure")
    True
    >>> render_source("digraph { a -> b }", "svg")[:5]
    b'<?xml'
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

FORMATS = ("svg", "png", "pdf")
PNG_DPI = 110          # sharp on screens and slides, text about the size it is on paper
PNG_MAX_PIXELS = 4096  # longest side; larger drawings are scaled down, not cut
_TIMEOUT_SECONDS = 300

HOW_TO_GET_A_RENDERER = ("to draw graphs, `pip install graphviz-pure` (no system packages "
                         "needed), or install Graphviz so that `dot` is on PATH")


class RenderError(RuntimeError):
    """The renderer could not turn the DOT text into the requested format."""


class NoRendererError(RenderError):
    """Neither ``dot`` nor ``graphviz-pure`` could be found."""


@dataclass(frozen=True)
class Renderer:
    """A program that lays out DOT text: its name, path and the formats it writes."""

    name: str
    command: str
    formats: tuple[str, ...]


def graphviz_pure_executable() -> str | None:
    """Path of the ``graphviz-pure`` program installed with the wheel, or None.

    Read from the distribution's RECORD (``importlib.metadata``), so it is found even
    when the virtualenv's ``bin`` directory is not on PATH.
    """
    try:
        dist = importlib.metadata.distribution("graphviz-pure")
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in dist.files or []:
        if file.name in ("graphviz-pure", "graphviz-pure.exe"):
            path = Path(dist.locate_file(file)).resolve()
            if path.is_file() and os.access(path, os.X_OK):
                return str(path)
    return None


def find_renderer(format: str = "svg") -> Renderer | None:
    """The first renderer of the chain that is installed (``format`` is only checked).

    >>> find_renderer("svg") is not None
    True
    """
    _check_format(format)
    dot = shutil.which("dot")
    if dot:
        return Renderer("dot", dot, FORMATS)
    pure = graphviz_pure_executable()
    if pure:
        return Renderer("graphviz-pure", pure, ("svg", "png"))
    return None


def render_source(source: str, format: str, *, dpi: int = PNG_DPI,
                  max_pixels: int = PNG_MAX_PIXELS) -> bytes:
    """Lay out DOT ``source`` and return the image bytes in ``format`` (svg, png, pdf).

    PNG is written at ``dpi`` and scaled down (never up) so that neither side exceeds
    ``max_pixels``: a 1,000-node graph gives a large but bounded image.
    """
    renderer = find_renderer(format)
    if renderer is None:
        raise NoRendererError(f"no Graphviz renderer found: {HOW_TO_GET_A_RENDERER}")
    if format not in renderer.formats:
        raise RenderError(
            f"{format.upper()} needs a system Graphviz (`dot` on PATH); the bundled "
            f"{renderer.name} writes only {', '.join(renderer.formats)}. Install Graphviz "
            f"(e.g. apt install graphviz, brew install graphviz, conda install graphviz) "
            f"or save as .svg or .png instead")
    command = [renderer.command, f"-T{format}"]
    if format == "png":
        inches = (max_pixels - 1) / dpi  # Graphviz rounds the pixel count up
        command += [f"-Gdpi={dpi}", f"-Gsize={inches:.3f},{inches:.3f}"]
    try:
        done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True,
                              timeout=_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"{renderer.name} took over {_TIMEOUT_SECONDS} s to lay out the "
                          f"graph; draw fewer nodes (collapse='module') or save as .svg") from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"{renderer.name} failed to write {format} "
                          f"(exit code {done.returncode}): {message[:2000]}")
    return done.stdout


def format_from_path(path: str | os.PathLike) -> str:
    """``svg``, ``png`` or ``pdf`` from the file name's suffix.

    >>> format_from_path("graph.SVG")
    'svg'
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(f"cannot tell the image format from {str(path)!r}: end the file "
                         f"name with .svg, .png or .pdf")
    return suffix


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise ValueError(f"unknown image format {format!r}; use one of {', '.join(FORMATS)}")
