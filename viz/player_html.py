"""The backprop player as HTML: one self-contained page, or a block for a notebook.

Everything is inline (the SVG, the script, the styles); nothing is fetched. Each user
string is escaped for where it lands: in the SVG by the XML serializer, in HTML text by
``html.escape``, in the script's data by ``script_json`` (no ``<``, ``>``, ``&``, U+2028
or U+2029 left raw, so a label holding ``</script>`` cannot end the script), and the
script writes labels back with ``textContent``, never as markup.

    >>> script_json({"label": "</script><b>"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from typing import Any

from .fit import element_id, fitted_svg
from .player_svg import DONE, apply_frame
from .style import UNKNOWN

TEMPLATE = "player_template.html"
PLAY_INTERVAL_MS = 1200
_PLACEHOLDER = re.compile(r"__CR_[A-Z]+__")
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                  "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    The replaced characters only ever occur inside JSON strings, where ``\\u003c``
    means the same as ``<``: the data is unchanged, the HTML parser sees no tag.
    """
    text = json.dumps(data, ensure_ascii=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group(0)], text)


def player_data(player: Any, global_keys: bool) -> dict:
    """What the script needs: the texts as drawn, and per frame only what it changes
    (its texts, the edge it walks, the parts it highlights, its caption), so the data
    grows linearly with the steps. The script marks the edges of frames 1 .. k-1 done."""
    done = DONE
    frames = []
    for k in range(len(player) + 1):
        marks = {key: mark for key, mark in player.highlights(k).items() if mark != done}
        edge = player.edge_key(k - 1) if k else None
        frames.append({"texts": player.changes(k), "marks": marks, "edge": edge,
                       "caption": list(player.caption(k))})
    return {"base": player.base.texts, "frames": frames, "unknown": UNKNOWN,
            "interval": PLAY_INTERVAL_MS, "globalKeys": global_keys}


def fragment(player: Any, global_keys: bool = False) -> str:
    """The player as one ``<div>`` with its style and script (for notebooks and pages).

    Showing frame 0 without the script too: the SVG and caption are written as frame 0.
    """
    template = resources.files("viz").joinpath(TEMPLATE).read_text(encoding="utf-8")
    arithmetic, rule = player.caption(0)
    live = fitted_svg(apply_frame(player.base, player.texts_at(0), player.highlights(0)))
    still = live
    if player.still is not player.base:  # without scripts: frame 0 legible at fit
        still = fitted_svg(apply_frame(player.still, player.texts_at(0), player.highlights(0)))
        live = f'<template class="cr-live">{live}</template>'
    else:
        live = ""
    data = script_json(player_data(player, global_keys))
    values = {
        # A fresh id per block: a notebook may show several players on one page.
        "__CR_ID__": element_id("cr-player", data),
        "__CR_COUNT__": str(len(player)),
        "__CR_COUNTER__": html.escape(f"step 0 / {len(player)}"),
        # fitted to the width without the script too (a saved notebook, a code host);
        # the script swaps in the live layout (edge labels) if it differs
        "__CR_SVG__": still,
        "__CR_LIVE__": live,
        "__CR_ARITHMETIC__": html.escape(arithmetic),
        "__CR_RULE__": html.escape(rule),
        "__CR_DATA__": data,
        "__CR_KEY__": player.key_html,
    }
    # One pass: a placeholder-like string inside a label is never substituted.
    return _PLACEHOLDER.sub(lambda m: values[m.group(0)], template)


def page(player: Any, title: str | None = None) -> str:
    """A whole HTML document holding the player; opens from disk with no network."""
    name = getattr(player.root, "label", "") or "the output"
    title = title or f"chainrule: backprop through {name}, step by step"
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n</head>\n<body>\n"
            f"<h1 style=\"font-family: Helvetica, Arial, sans-serif; font-size: 20px\">"
            f"{html.escape(title)}</h1>\n"
            f"{fragment(player, global_keys=True)}\n</body>\n</html>\n")


def frame_block(player: Any, frame: int) -> str:
    """One frame as static HTML (SVG and caption), for the ipywidgets player."""
    arithmetic, rule = player.caption(frame)
    svg = fitted_svg(apply_frame(player.still, player.texts_at(frame),
                                 player.highlights(frame)))
    return (f'<div>{svg}</div>'
            f'<div style="font-family:monospace;font-size:15px">{html.escape(arithmetic)}</div>'
            f'<div style="font-family:monospace;color:#555">{html.escape(rule)}</div>')
