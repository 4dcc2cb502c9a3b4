"""``player.save_beamer(path)``: the backprop player as a Beamer deck, one slide per step.

Every slide shows the same layout (the player's, laid out once by Graphviz) with the
numbers and highlights of its step filled in, as the HTML player does: the gradient
text of the node receiving it, the product on the edge walked, that edge and node in
the highlight colour, edges already walked in blue. Under the picture, the step as an
equation (``autograd.latex.step_latex``) and the rule it used.

    >>> from autograd import Value
    >>> from viz import step_through
    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b"); c = a * b; c.label = "c"
    >>> deck = beamer_source(step_through(c))
    >>> deck.count("\\\\begin{frame}"), "\\\\frac{\\\\partial c}{\\\\partial a} = " in deck
    (3, True)
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path as FilePath
from typing import Any

from autograd import latex

from . import shapes, themes
from .shapes import Path, Picture, Text
from .tikz import HOW_TO_GET_PDFLATEX, LatexError, compile_pdf, find_pdflatex, picture_tikz

CURRENT, RECEIVING, DONE = "cr-current", "cr-receiving", "cr-done"  # as viz.player_svg


def fitted(tikz: str, box: tuple[float, float, float, float]) -> str:
    """``tikz`` scaled to a 16:9 frame: to the text width when the picture is wide, else
    to 72% of the text height (the caption goes under it)."""
    x0, y0, x1, y1 = box
    if (x1 - x0) / max(y1 - y0, 1.0) > 2.4:
        return f"\\resizebox{{\\textwidth}}{{!}}{{%\n{tikz}%\n}}"
    return f"\\resizebox{{!}}{{0.72\\textheight}}{{%\n{tikz}%\n}}"


def beamer(frames: Sequence[tuple[str, str, str]], title: str = "", shared: str = "") -> str:
    """A Beamer deck (16:9): one frame per ``(frame title, picture, caption)``, all LaTeX.

    ``shared`` is a picture saved once in the box ``\\crshared`` for frames to reuse.
    """
    pages = []
    for frame_title, picture, caption in frames:
        pages.append("\n".join([f"\\begin{{frame}}{{{frame_title}}}", "\\centering",
                                picture, "", "\\vfill", "\\raggedright\\footnotesize " + caption,
                                "\\end{frame}"]))
    head = ["\\documentclass[aspectratio=169]{beamer}", "\\usepackage{tikz}",
            "\\usepackage{amsmath}", "\\setbeamertemplate{navigation symbols}{}",
            "\\newsavebox\\crshared"]
    if title:
        head.append(f"\\title{{{latex.text(title)}}}")
    body = ["\\begin{document}"] + ([f"\\sbox\\crshared{{%\n{shared}%\n}}"] if shared else [])
    return "\n".join(head + body + [*pages, "\\end{document}", ""])


def frame_caption(player: Any, frame: int) -> str:
    """A player frame's caption as LaTeX: the step as an equation, then its rule."""
    first, second = player.caption(frame)
    step = player.steps[frame - 1] if frame else None
    if step is not None and isinstance(getattr(step, "local", None), (int, float)):
        return f"\\(\\displaystyle {latex.step_latex(step)}\\)\\\\\n{latex.text(second)}"
    return f"{latex.text(first)}\\\\\n{latex.text(second)}"


def _edge_owners(player: Any) -> dict[str, str]:
    """Player edge key ("n3:1") -> shape owner ("n0->n3op#0"), as draw_graph writes edges."""
    owners: dict[str, str] = {}
    seen: dict[str, int] = {}
    for node, node_id in player.ids.items():
        for index, parent in enumerate(getattr(node, "parents", ())):
            if parent not in player.ids:
                continue
            pair = f"{player.ids[parent]}->{node_id}op"
            seen[pair] = seen.get(pair, -1) + 1
            owners[f"{node_id}:{index}"] = f"{pair}#{seen[pair]}"
    return owners


def _frame_picture(base: Picture, texts: dict[str, str], marks: dict[str, str],
                   owners: dict[str, str], theme: themes.Theme) -> Picture:
    """``base`` with a frame's texts and highlights (``Player.changes`` / ``highlights``)."""
    key_of = {owner: key for key, owner in owners.items()}
    colors = theme.colors
    highlight, done, muted = colors["#e8590c"], colors["#1c5fa8"], colors["#8a8a8a"]
    out: list = []
    bordered: set[str] = set()
    cell: dict[str, Path] = {}
    for shape in base.shapes:
        key = key_of.get(shape.owner, shape.owner)
        mark = marks.get(key)
        if isinstance(shape, Path):
            if shape.closed and shape.fill is not None:
                cell[key] = shape
            if shape.owner in key_of and mark in (CURRENT, DONE):  # an edge and its arrow
                color = highlight if mark == CURRENT else done
                shape = dataclasses.replace(
                    shape, pen=dataclasses.replace(shape.pen, color=color,
                                                   width=3.5 if mark == CURRENT else 1.4),
                    fill=color if shape.fill else None)
            elif mark in (CURRENT, RECEIVING) and shape.fill is None and key not in bordered:
                bordered.add(key)  # a box's first outline is its border
                shape = dataclasses.replace(shape, pen=dataclasses.replace(
                    shape.pen, color=highlight, width=3.5 if mark == CURRENT else 3.0,
                    dash="solid" if mark == CURRENT else "dashed"))
        elif isinstance(shape, Text):
            if shape.text.startswith("grad ") and key + "-grad" in texts and key in cell:
                xs = [p[0] for p in cell[key].points]
                shape = dataclasses.replace(shape, text=texts[key + "-grad"], align="c",
                                            at=((min(xs) + max(xs)) / 2, shape.at[1]),
                                            width=max(xs) - min(xs) - 6)
            elif shape.owner in key_of and not shape.text.startswith("local"):
                centre = base.label_centres.get(shape.owner, shape.at)
                shape = dataclasses.replace(shape, text=texts.get(key + "-text", shape.text),
                                            align="c", at=(centre[0], shape.at[1]),
                                            width=150.0)
            if mark == CURRENT and shape.owner in key_of or (
                    mark == RECEIVING and shape.text.startswith("grad ")):
                shape = dataclasses.replace(shape, color=highlight, bold=True)
            elif shape.text.startswith(("grad —", "—")):
                shape = dataclasses.replace(shape, color=muted)
        out.append(shape)
    return Picture(out, base.background, base.label_centres)


def frame_pictures(player: Any) -> list[Picture]:
    """Every frame of ``player`` as shapes: one layout, texts and highlights per frame.

    A player whose frames this cannot fill in (a module player) is laid out frame by
    frame instead (slower, the same result).
    """
    owners = _edge_owners(player)
    base = shapes.lay_out(player.drawing, graph_label=False)
    known = {s.owner for s in base.shapes} | set(owners)
    theme = themes.THEME_TABLE[player.theme or themes.get_theme()]
    pictures, texts = [], {}
    for frame in range(len(player) + 1):
        changes, marks = player.changes(frame), player.highlights(frame)
        parts = {key.rsplit("-", 1)[0] for key in changes} | set(marks)
        if not parts <= known:
            return [shapes.lay_out(player.frame_source(k), graph_label=False)
                    for k in range(len(player) + 1)]
        texts.update(changes)
        pictures.append(_frame_picture(base, texts, marks, owners, theme))
    return pictures


def beamer_source(player: Any, title: str | None = None) -> str:
    """The LaTeX of ``player``'s deck (see ``save_beamer``).

    What every frame shares (boxes, edges, most texts) is typeset once and reused; each
    frame adds only what differs: pdflatex's time grows with the changes, not frames.
    """
    pictures = frame_pictures(player)
    first = pictures[0]
    box = first.box
    if all(len(p.shapes) == len(first.shapes) for p in pictures):
        changing = {i for i in range(len(first.shapes))
                    if any(p.shapes[i] != first.shapes[i] for p in pictures)}
    else:  # laid out frame by frame: nothing is known to be shared
        changing = set(range(max(len(p.shapes) for p in pictures)))
        first = Picture([], first.background)
    # A text that changes is left out of the shared part (it would show through); a line
    # that changes is drawn over its shared self (same place, thicker or coloured).
    shared = Picture([s for i, s in enumerate(first.shapes)
                      if not (i in changing and isinstance(s, Text))], first.background)
    frames = []
    count = len(player)
    for frame, picture in enumerate(pictures):
        # Texts left out of the shared part, and lines that look different in this frame.
        on_top = Picture([s for i, s in enumerate(picture.shapes) if i in changing and (
            isinstance(s, Text) or i >= len(first.shapes) or s != first.shapes[i])],
            picture.background)
        tikz = picture_tikz(on_top, box, under="\\usebox\\crshared")
        frames.append((f"step {frame} / {count}", fitted(tikz, box),
                       frame_caption(player, frame)))
    return beamer(frames, title or "", shared=picture_tikz(shared, box))


def save_beamer(player: Any, path: str | os.PathLike, title: str | None = None,
                compile: bool = False) -> FilePath:
    """Write ``player``'s frames as a Beamer deck (``.tex``), one slide per step;
    ``compile=True`` also runs pdflatex and writes the ``.pdf`` beside it."""
    path = FilePath(path)
    if path.suffix.lower() != ".tex":
        raise ValueError(f"save_beamer writes a LaTeX file: end the name with .tex, got "
                         f"{str(path)!r} (compile=True writes the PDF beside it)")
    if compile and find_pdflatex() is None:
        raise LatexError(f"save_beamer(compile=True) needs pdflatex, which is not on PATH: "
                         f"{HOW_TO_GET_PDFLATEX}; or save the .tex alone (compile=False)")
    source = beamer_source(player, title)
    path.write_text(source, encoding="utf-8")
    if compile:
        compile_pdf(source, path.with_suffix(".pdf"))
    return path
