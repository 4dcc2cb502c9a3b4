"""``to_tikz``: the drawing as TikZ, for LaTeX documents and Beamer slides.

The graph is laid out by Graphviz as for SVG (``viz.shapes``), then every box, cell,
edge, arrowhead and line of text is written as a TikZ command at its place, in its
colour: the picture on the slide is the picture in the notebook. User strings go
through ``autograd.latex.text`` (escaped; Greek letters and the rule table's symbols
as LaTeX commands; anything else as its code point). ``width="\\linewidth"`` (or
``"8cm"``, or a number of centimetres) scales the picture, text included.

In your own document, load ``\\usepackage{tikz}``; ``standalone=True`` gives a whole
document (``article``, a page the size of the picture) that ``pdflatex`` compiles with
Debian's texlive-latex-base, -latex-recommended and -pictures alone.

    >>> from autograd import Value
    >>> a = Value(2.0, label="a_1"); y = a * a; y.label = "y"
    >>> tikz = to_tikz(y, width="\\\\linewidth")
    >>> tikz.splitlines()[0], "a\\\\_1" in tikz
    ('\\\\resizebox{\\\\linewidth}{!}{%', True)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path as FilePath
from typing import Any

from autograd import latex

from . import shapes
from .shapes import Ellipse, Path, Picture, Text

_UNITS = ("cm", "mm", "in", "pt", "bp", "pc", "em", "ex")
_LENGTH = re.compile(r"(\d+(\.\d*)?|\.\d+)\s*(" + "|".join(_UNITS) + ")")
_LENGTH_COMMAND = re.compile(r"((\d+(\.\d*)?|\.\d+)\s*)?\\(linewidth|textwidth|columnwidth|"
                             r"paperwidth|textheight|hsize)")
_ANCHORS = {"l": "base west", "c": "base", "r": "base east"}
HOW_TO_GET_PDFLATEX = ("install a LaTeX distribution with pdflatex (e.g. apt install "
                       "texlive-latex-base texlive-latex-recommended texlive-pictures), or "
                       "compile the .tex file elsewhere (e.g. Overleaf)")


class LatexError(RuntimeError):
    """pdflatex is missing or could not compile the document."""


def check_width(width: Any) -> str | None:
    """``width`` as a TeX length: a number (centimetres), ``"8cm"``, ``"0.9\\linewidth"``.

    >>> check_width(8), check_width("0.5\\\\textwidth"), check_width(None)
    ('8cm', '0.5\\\\textwidth', None)
    """
    if width is None:
        return None
    if isinstance(width, (int, float)) and not isinstance(width, bool) and \
            0 < width < float("inf"):
        return f"{width:g}cm"
    if isinstance(width, str):
        text = width.strip()
        if _LENGTH.fullmatch(text) or _LENGTH_COMMAND.fullmatch(text):
            factor = re.match(r"\d*\.?\d*", text).group()  # "" before \linewidth
            if not factor or float(factor) > 0:
                return text
    raise ValueError(f"width must be a length such as 8 (centimetres), '8cm', '120mm', "
                     f"'3in' or '\\linewidth' / '0.8\\textwidth', got {width!r}")


def _rgb(color: str) -> str:
    """The name a colour gets in the picture (``\\definecolor``'d once at its start)."""
    return "cr" + color[1:7].lower()


def _color_definitions(commands: list[str]) -> list[str]:
    """``\\definecolor`` for every colour the commands use (local to the picture)."""
    names = sorted(set(re.findall(r"\bcr([0-9a-f]{6})\b", "\n".join(commands))))
    return [f"\\definecolor{{cr{name}}}{{HTML}}{{{name.upper()}}}" for name in names]


def _xy(point: tuple[float, float]) -> str:
    return f"({point[0]:.2f},{point[1]:.2f})"


def _style(pen: shapes.Pen, fill: str | None, fill_opacity: float) -> str:
    parts = []
    if pen.color is not None and pen.width > 0:
        parts.append(f"draw={_rgb(pen.color)}")
        parts.append(f"line width={pen.width * 0.75:.2f}bp")  # Graphviz pen 1 = 0.75 bp
        if pen.opacity < 1:
            parts.append(f"draw opacity={pen.opacity:.2f}")
        if pen.dash != "solid":
            parts.append(pen.dash)
    if fill is not None:
        parts.append(f"fill={_rgb(fill)}")
        if fill_opacity < 1:
            parts.append(f"fill opacity={fill_opacity:.2f}")
    return ",".join(parts)


def _path(shape: Path) -> str | None:
    style = _style(shape.pen, shape.fill, shape.fill_opacity)
    if not style:
        return None
    points = shape.points
    if shape.curve:
        parts = [_xy(points[0])]
        for i in range(1, len(points) - 2, 3):
            parts.append(f".. controls {_xy(points[i])} and {_xy(points[i + 1])} .. "
                         f"{_xy(points[i + 2])}")
        body = " ".join(parts)
    else:
        body = " -- ".join(_xy(p) for p in points)
    if shape.closed:
        body += " -- cycle"
    return f"\\path[{style}] {body};"


def _text(shape: Text) -> str:
    font = f"\\fontsize{{{shape.size:g}}}{{{shape.size * 1.2:g}}}\\selectfont\\sffamily"
    font += "\\bfseries" if shape.bold else ""
    font += "\\itshape" if shape.italic else ""
    body = latex.text(shape.text)
    # A line never spills out of the cell the layout measured it for: LaTeX's sans-serif
    # is about as wide as Helvetica, and the box shrinks it where it is wider. (No macro
    # with parameters: a Beamer frame reads its body as an argument, where # breaks.)
    room = f"{max(shape.width, 1.0) * 1.03:.2f}bp"
    return (f"\\node[anchor={_ANCHORS.get(shape.align, 'base')},inner sep=0pt,"
            f"text={_rgb(shape.color)},font={font}] at {_xy(shape.at)} "
            f"{{\\resizebox{{\\ifdim\\width>{room} {room}\\else\\width\\fi}}{{!}}{{{body}}}}};")


def picture_tikz(picture: Picture, box: tuple[float, float, float, float] | None = None,
                 under: str = "") -> str:
    """A ``tikzpicture`` painting ``picture``'s shapes (units: big points).

    ``box`` fixes the bounding box (default: around the shapes); ``under`` is a box
    (e.g. ``\\usebox\\mybox``) placed at its lower left corner before the shapes, in
    place of the background: the part that all frames of a deck share.
    """
    x0, y0, x1, y1 = box or picture.box
    lines = ["\\begin{tikzpicture}[x=1bp,y=1bp,line join=round,line cap=round]",
             f"\\useasboundingbox {_xy((x0, y0))} rectangle {_xy((x1, y1))};"]
    if under:
        lines.append(f"\\node[anchor=south west,inner sep=0pt] at {_xy((x0, y0))} {{{under}}};")
    else:
        lines.append(f"\\path[fill={_rgb(picture.background)}] {_xy((x0, y0))} rectangle "
                     f"{_xy((x1, y1))};")
    for shape in picture.shapes:
        command = shape_tikz(shape)
        if command:
            lines.append(command)
    lines[1:1] = _color_definitions(lines)
    lines.append("\\end{tikzpicture}")
    return "\n".join(lines)


def shape_tikz(shape: shapes.Shape) -> str | None:
    """One shape as one TikZ command (None for an invisible one)."""
    if isinstance(shape, Text):
        return _text(shape) if shape.text.strip() else None
    if isinstance(shape, Ellipse):
        style = _style(shape.pen, shape.fill, shape.fill_opacity)
        return (f"\\path[{style}] {_xy(shape.centre)} ellipse [x radius={shape.rx:.2f}, "
                f"y radius={shape.ry:.2f}];") if style else None
    return _path(shape)


def scaled(tikz: str, width: str | None) -> str:
    """``tikz`` scaled to ``width`` (text and all), or as it is for None."""
    return tikz if width is None else f"\\resizebox{{{width}}}{{!}}{{%\n{tikz}%\n}}"


def document(body: str, preamble: str = "") -> str:
    """A whole ``article`` whose one page is exactly as large as ``body``.

    The body is boxed, the page made the box's size, and the box shipped out as the
    page by itself (no page builder: no margins, no page number, no second page).
    """
    return "\n".join([
        "\\documentclass{article}", "\\usepackage{tikz}", "\\usepackage{amsmath}", preamble,
        "\\pagestyle{empty}", "\\newsavebox\\crpage", "\\begin{document}",
        "\\sbox\\crpage{%", body + "%", "}",
        "\\pdfpagewidth=\\wd\\crpage \\pdfpageheight=\\dimexpr\\ht\\crpage+\\dp\\crpage\\relax",
        "\\hoffset=-1in \\voffset=-1in",
        "\\shipout\\vbox{\\box\\crpage}", "\\end{document}", ""])


def to_tikz(root_or_drawing: Any, standalone: bool = False, width: Any = None,
            **draw_options: Any) -> str:
    """TikZ source of the graph as ``draw_graph`` draws it (``draw_options`` go there:
    ``show_edge_grads``, ``highlight``, ``color_by``, ``collapse``, ``theme`` ...).

    ``root_or_drawing`` is a Value, Tensor or a ready drawing (``draw_graph``,
    ``draw_network``). ``width`` scales the picture; ``standalone=True`` returns a
    complete document (see the module docstring).
    """
    width = check_width(width)
    if hasattr(root_or_drawing, "source"):
        if draw_options:
            raise TypeError(f"to_tikz() got drawing options {sorted(draw_options)} with a "
                            f"ready drawing; pass them to draw_graph instead")
        drawing = root_or_drawing
    else:
        from .draw import draw_graph  # draw imports nothing from here

        drawing = draw_graph(root_or_drawing, **draw_options)
    tikz = scaled(picture_tikz(shapes.lay_out(drawing)), width)
    return document(tikz) if standalone else tikz


def find_pdflatex() -> str | None:
    """Path of ``pdflatex``, or None."""
    return shutil.which("pdflatex")


def compile_pdf(source: str, path: str | os.PathLike | None = None) -> bytes:
    """Compile a whole LaTeX document with ``pdflatex``; the PDF's bytes (also written
    to ``path`` when given). Raises ``LatexError`` when pdflatex is missing or fails."""
    program = find_pdflatex()
    if program is None:
        raise LatexError(f"compiling LaTeX needs pdflatex, which is not on PATH: "
                         f"{HOW_TO_GET_PDFLATEX}")
    with tempfile.TemporaryDirectory() as folder:
        tex = FilePath(folder) / "picture.tex"
        tex.write_text(source, encoding="utf-8")
        try:
            done = subprocess.run([program, "-interaction=nonstopmode", "-halt-on-error",
                                   "-no-shell-escape", tex.name], cwd=folder,
                                  capture_output=True, timeout=120, check=False)
        except subprocess.TimeoutExpired:
            raise LatexError("pdflatex took over 120 s; the document is too large") from None
        pdf = tex.with_suffix(".pdf")
        if done.returncode != 0 or not pdf.exists():
            log = done.stdout.decode("utf-8", "replace")
            errors = [line for line in log.splitlines() if line.startswith("!")]
            raise LatexError(f"pdflatex failed (exit code {done.returncode}): "
                             f"{'; '.join(errors[:5]) or log[-1500:]}")
        data = pdf.read_bytes()
    if path is not None:
        FilePath(path).write_bytes(data)
    return data
