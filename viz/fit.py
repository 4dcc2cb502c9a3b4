"""A picture shown whole in a notebook cell, with a switch to its natural size and pan.

``fit_html(svg)`` wraps an SVG (from the renderer) in one self-contained ``<div>``:

- fitted to the cell's width by CSS alone (``max-width: 100%``, written on the SVG
  itself), so a viewer that strips scripts, or even ``<style>``, still shows it whole;
- a "natural size" check box (CSS only, no script) that shows the picture at its own
  size in a box that scrolls both ways: pan with the scroll bars or, where scripts run,
  by dragging.

Reusable by any view (drawings, the explorer): ``fit_html(svg, note=...)``.

    >>> html = fit_html('<svg width="2000pt" height="100pt" viewBox="0 0 2000 100"></svg>')
    >>> 'max-width:100%' in html and 'cr-fit-natural' in html
    True
"""

from __future__ import annotations

import hashlib
import html as _html
import itertools
import re
import xml.etree.ElementTree as ET

FIT_CSS = """
.cr-fit { font-family: Helvetica, Arial, sans-serif; font-size: 13px; color: #444; }
.cr-fit .cr-fit-note { color: #666; }
.cr-fit .cr-fit-view { max-width: 100%; overflow: hidden; }
.cr-fit .cr-fit-view svg { max-width: 100%; height: auto; display: block; }
.cr-fit .cr-fit-natural:checked ~ .cr-fit-view { overflow: auto; max-height: 85vh;
  border: 1px solid #ddd; cursor: grab; }
.cr-fit .cr-fit-natural:checked ~ .cr-fit-view svg { max-width: none !important; }
"""

# Drag to pan where scripts run; the scroll bars do the same without them.
_PAN_SCRIPT = """<script>(function () {
  var view = document.getElementById("%s"); if (!view) { return; }
  var start = null;
  view.addEventListener("mousedown", function (e) {
    if (view.scrollWidth <= view.clientWidth && view.scrollHeight <= view.clientHeight) { return; }
    start = [e.clientX, e.clientY, view.scrollLeft, view.scrollTop]; e.preventDefault();
  });
  window.addEventListener("mousemove", function (e) {
    if (!start) { return; }
    view.scrollLeft = start[2] - (e.clientX - start[0]);
    view.scrollTop = start[3] - (e.clientY - start[1]);
  });
  window.addEventListener("mouseup", function () { start = null; });
})();</script>"""

CELL_PX = 980      # a notebook cell's width
LEGIBLE_PX = 9.0   # the smallest text a reader should meet on screen
_NUMBERS = itertools.count()
_SVG_OPEN = re.compile(r"<svg\b[^>]*>", re.S)


def element_id(prefix: str, content: str) -> str:
    """An HTML id unique on the page (several pictures in one notebook) that is the same
    in every run of a notebook (its saved file does not change when rebuilt)."""
    digest = hashlib.sha1(content.encode("utf-8", "replace")).hexdigest()[:8]
    return f"{prefix}-{digest}-{next(_NUMBERS)}"


def fitted_svg(svg: str) -> str:
    """The SVG element alone (no XML prolog or doctype), sized by CSS to fit its box.

    The ``style`` attribute is written on the element itself, so it fits even where a
    sanitizer drops ``<style>`` blocks.
    """
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg

    def restyle(match: re.Match) -> str:
        tag = re.sub(r'\sstyle="[^"]*"', "", match.group(0))
        return tag[:-1] + ' style="max-width:100%;height:auto;display:block">'

    return _SVG_OPEN.sub(restyle, svg, count=1)


def smallest_text_px(svg: str, cell: int = CELL_PX) -> float:
    """The smallest text of ``svg`` on screen, in px, when shown fitted to ``cell`` px
    (SVG units are points; a picture narrower than the cell is not enlarged).

    >>> smallest_text_px('<svg width="1960pt" viewBox="0 0 1960 50">'
    ...                  '<text font-size="12">a</text></svg>')
    6.0
    """
    root = ET.fromstring(svg[svg.find("<svg"):])
    width = float(root.get("viewBox", "0 0 1 1").split()[2])
    natural = float(root.get("width", f"{width}pt").rstrip("pt")) * 4 / 3
    scale = min(cell, natural) / width
    sizes = [float(t.get("font-size", "14")) for t in root.iter()
             if t.tag.rsplit("}", 1)[-1] == "text" and (t.text or "").strip()]
    return min(sizes, default=0.0) * scale


def fit_html(svg: str, note: str = "") -> str:
    """``svg`` shown whole at the width given, with a "natural size" switch and panning.

    ``note`` is a line of text above the picture (e.g. that it is drawn collapsed).
    """
    ident = element_id("cr-fit", svg)
    note_html = f'<span class="cr-fit-note">{_html.escape(note)}</span>' if note else ""
    return (f'<div class="cr-fit"><style>{FIT_CSS}</style>'
            f'<input type="checkbox" class="cr-fit-natural" id="{ident}-box">'
            f'<label for="{ident}-box"> natural size (scroll or drag to pan)</label>'
            f'{note_html}'
            f'<div class="cr-fit-view" id="{ident}">{fitted_svg(svg)}</div>'
            f'{_PAN_SCRIPT % ident}</div>')


class FittedSvg:
    """An SVG that a notebook shows fitted to the cell (``text/html``), with the SVG
    itself for viewers without HTML.

    >>> sorted(FittedSvg('<svg viewBox="0 0 10 10"></svg>')._repr_mimebundle_())
    ['image/svg+xml', 'text/html', 'text/plain']
    """

    def __init__(self, svg: str, text: str = "an SVG picture") -> None:
        self.svg, self.text = svg, text

    def __repr__(self) -> str:
        return self.text

    def _repr_mimebundle_(self, include: object = None, exclude: object = None,
                          **_: object) -> dict:
        return {"text/html": fit_html(self.svg), "image/svg+xml": self.svg,
                "text/plain": self.text}
