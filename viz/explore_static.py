"""The explorer's opening view, laid out in Python: which boxes open, and its picture.

The page's script (``explore_layout.html``) lays out whatever boxes a reader opens;
the view it opens with is laid out here the same way (sizes from character counts,
layers by longest path, columns ordered by barycentre), for two reasons: Python
chooses what opens (as many levels as keep text at least 9 px tall when fitted to
the view), and writes the same picture as a static SVG for viewers that run no
scripts (a saved notebook's HTML export, a code host's notebook viewer). The browser
tests check that the script's first frame and this picture agree box for box.

    >>> from autograd import Value
    >>> from viz.explore_data import gather
    >>> x = Value(3.0, label="x"); y = (x * x).tanh(); y.label = "y"; y.backward()
    >>> view = opening(gather(y))
    >>> view.open, round(view.scale, 2), picture(gather(y)).count("<rect")
    ([], 1.25, 3)
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

from . import style
from .explore_data import ExploreData

# Sizes in px at zoom 1 (the page's script reads them from the payload: one source)
METRICS = {"char": 7.3, "line": 15, "padx": 7, "gapx": 46, "gapy": 12, "gapDown": 34,
           "gapyDown": 14, "pad": 10, "title": 22, "maxChars": 34, "margin": 16}
FONT_PX = 12  # the SVG text's size at zoom 1 (the template's CSS says the same)
VIEW = (960, 640)  # the view a notebook cell gives (980 px wide) and the page's height
MIN_TEXT_PX = 9  # smaller text does not teach: a level opens only if its text stays this big
MAX_SCALE = 1.25  # a small graph is not blown up further than this
OPEN_BUDGET = 60  # and never more boxes and values than this on the first view
FONT_FAMILY = 'Menlo, Consolas, "DejaVu Sans Mono", monospace'


def js_length(text: str) -> int:
    """``text.length`` as the page's script counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def cut(text: str) -> tuple[str, int]:
    """A line cut to ``maxChars`` with an ellipsis, and its length as the script counts it."""
    limit = METRICS["maxChars"]
    if js_length(text) <= limit:
        return text, js_length(text)
    kept, used = "", 0
    for char in text:
        used += js_length(char)
        if used > limit - 1:
            break
        kept += char
    return kept + "…", limit


@dataclass
class Layout:
    """One box laid out: its size, and each item's [x, y, w, h] inside it."""

    w: float
    h: float
    pos: dict
    items: list = field(default_factory=list)
    inner: dict = field(default_factory=dict)


class Structure:
    """Items are nodes 0..N-1 and boxes N..N+G-1, as in the page's script."""

    def __init__(self, data: ExploreData) -> None:
        self.data = data
        self.n, self.g = len(data.nodes), len(data.groups)
        self.kids: list[list[int]] = [[] for _ in range(self.g + 1)]
        for item in range(self.n + self.g):
            self.kids[self.container(item) + 1].append(item)
        for items in self.kids:
            items.sort(key=self.first)
        self.edges_in: list[dict] = [{} for _ in range(self.g + 1)]
        chains = [self.chain(i) for i in range(self.n)]
        for i in range(self.n):
            for p in data.parents[i]:
                meet = next(g for g in chains[p] if g in chains[i])
                a, b = self.under(p, meet), self.under(i, meet)
                if a != b:
                    edges = self.edges_in[meet + 1]
                    edges[a, b] = edges.get((a, b), 0) + 1

    def container(self, item: int) -> int:
        if item < self.n:
            return self.data.nodes[item][7]
        return self.data.groups[item - self.n].parent

    def first(self, item: int) -> int:
        return item if item < self.n else self.data.groups[item - self.n].first

    def chain(self, item: int) -> list[int]:
        boxes, g = [], self.container(item)
        while g >= 0:
            boxes.append(g)
            g = self.data.groups[g].parent
        return boxes + [-1]

    def under(self, item: int, box: int) -> int:
        """The item directly inside ``box`` that holds ``item``."""
        while self.container(item) != box:
            item = self.n + self.container(item)
        return item

    def short_name(self, i: int) -> str:
        """Inside box ``layers.0.neurons.3`` a parameter is ``w.0`` (details show all)."""
        name, g = self.data.nodes[i][0], self.container(i)
        groups = self.data.groups
        while g >= 0 and not (groups[g].kind == "module" and groups[g].path):
            g = groups[g].parent
        path = groups[g].path + "." if g >= 0 else ""
        return name[len(path):] if path and name.startswith(path) and name != path else name

    def node_lines(self, i: int) -> list[tuple[str, int]]:
        row, name = self.data.nodes[i], self.short_name(i)
        return [cut(f"{name} = {row[1]}" if row[1] else name), cut("data " + row[3]),
                cut("grad " + row[4])]

    def box_lines(self, k: int) -> list[tuple[str, int]]:
        group = self.data.groups[k]
        return [cut("▸ " + group.title)] + [cut(line) for line in group.summary.split("\n")]


def size_of(lines: list[tuple[str, int]]) -> list[float]:
    longest = max(length for _, length in lines)
    return [longest * METRICS["char"] + 2 * METRICS["padx"], len(lines) * METRICS["line"] + 8]


def layout(s: Structure, box: int, opened: set, direction: dict) -> Layout:
    """Lay out the items of ``box`` (open boxes inside it first), as the script does."""
    m, n = METRICS, s.n
    items, size, inner = s.kids[box + 1], {}, {}
    for item in items:
        if item < n:
            size[item] = size_of(s.node_lines(item))
        elif item - n in opened:
            sub = layout(s, item - n, opened, direction)
            inner[item] = sub
            title = s.data.groups[item - n].title
            size[item] = [max(sub.w + 2 * m["pad"], (js_length(title) + 3) * m["char"]),
                          sub.h + m["pad"] + m["title"]]
        else:
            size[item] = size_of(s.box_lines(item - n))
    preds: dict = {item: [] for item in items}
    succs: dict = {item: [] for item in items}
    for a, b in s.edges_in[box + 1]:
        preds[b].append(a)
        succs[a].append(b)
    # longest path from the sources; a cycle (a module called on its own output) is cut
    layer = {item: 0 for item in items}
    waiting = {item: len(preds[item]) for item in items}
    ready = [item for item in items if not preds[item]]
    taken: set = set()
    while len(taken) < len(items):
        if not ready:
            ready.append(next(item for item in items if item not in taken))
        item = ready.pop(0)
        if item in taken:
            continue
        taken.add(item)
        for after in succs[item]:
            if after in taken:
                continue
            layer[after] = max(layer[after], layer[item] + 1)
            waiting[after] -= 1
            if not waiting[after]:
                ready.append(after)
    # an input drawn next to its first use, not at the far left
    for item in items:
        if not preds[item] and succs[item]:
            layer[item] = max(0, min(layer[after] for after in succs[item]) - 1)
    columns: list[list[int]] = []
    for item in items:
        while len(columns) <= layer[item]:
            columns.append([])
        columns[layer[item]].append(item)
    rank: dict = {}
    for level, column in enumerate(columns):  # order by where the inputs are (uncrossing)
        if level > 0:
            key = {}
            for idx, item in enumerate(column):
                ranked = [rank[p] for p in preds[item] if p in rank]
                total = 0.0
                for r in ranked:  # (added in order, as the script does: the same float)
                    total += r
                key[item] = total / len(ranked) if ranked else idx / max(1, len(column))
            column.sort(key=lambda item: (key[item], s.first(item)))
        for idx, item in enumerate(column):
            rank[item] = idx / max(1, len(column))
    across, down = place(columns, size, False), place(columns, size, True)
    if box not in direction:  # across, or down when that fits the view's shape better
        aspect = VIEW[0] / VIEW[1]

        def misfit(lay: Layout) -> float:
            return abs(math.log(max(lay.w, 1) / max(lay.h, 1) / aspect))

        direction[box] = "down" if misfit(down) < misfit(across) else "across"
    chosen = down if direction[box] == "down" else across
    chosen.items, chosen.inner = items, inner
    return chosen


def place(columns: list[list[int]], size: dict, vertical: bool) -> Layout:
    """Columns side by side (or rows one under another), each centred across."""
    main = 1 if vertical else 0
    cross = 1 - main
    gap_main = METRICS["gapDown"] if vertical else METRICS["gapx"]
    gap_cross = METRICS["gapyDown"] if vertical else METRICS["gapy"]
    extents, widest = [], 0.0
    for column in columns:
        extent = 0.0
        for item in column:
            extent += size[item][cross] + gap_cross
        extents.append(extent - gap_cross)
        widest = max(widest, extent - gap_cross)
    pos, offset = {}, 0.0
    for level, column in enumerate(columns):
        thick, along = 0.0, (widest - extents[level]) / 2
        for item in column:
            thick = max(thick, size[item][main])
        for item in column:
            box = [0.0, 0.0, size[item][0], size[item][1]]
            box[main] = offset + (thick - size[item][main]) / 2
            box[cross] = along
            along += size[item][cross] + gap_cross
            pos[item] = box
        offset += thick + gap_main
    length = max(0.0, offset - gap_main)
    return Layout(widest, length, pos) if vertical else Layout(length, widest, pos)


def fit_scale(lay: Layout) -> float:
    """The zoom that shows all of ``lay`` in the view, with a margin round it."""
    margin = 2 * METRICS["margin"]
    return min((VIEW[0] - margin) / max(lay.w, 1), (VIEW[1] - margin) / max(lay.h, 1))


@dataclass
class Opening:
    """The first view: the boxes open in it, each laid-out box's direction, the layout."""

    open: list[int]
    direction: dict
    layout: Layout
    scale: float
    structure: Structure


def opening(data: ExploreData, structure: Structure | None = None) -> Opening:
    """Open level after level while the fitted view keeps its text >= MIN_TEXT_PX tall
    (and holds at most OPEN_BUDGET items); a level that would shrink it stays closed."""
    s = structure or Structure(data)
    n, opened = s.n, set()
    visible = len(s.kids[0])
    frontier = [item for item in s.kids[0] if item >= n]
    while frontier:
        extra, deeper = 0, []
        for item in frontier:
            extra += len(s.kids[item - n + 1]) - 1
            deeper += [x for x in s.kids[item - n + 1] if x >= n]
        trial = opened | {item - n for item in frontier}
        if visible + extra > OPEN_BUDGET or \
                FONT_PX * fit_scale(layout(s, -1, trial, {})) < MIN_TEXT_PX:
            break
        opened, visible, frontier = trial, visible + extra, deeper
    direction: dict = {}
    lay = layout(s, -1, opened, direction)
    return Opening(sorted(opened), direction, lay, min(fit_scale(lay), MAX_SCALE), s)


def _escape(text: str) -> str:
    """Text or an attribute value as markup; line and paragraph separators as references
    (raw, they end a line in some viewers' scripts)."""
    return html.escape(text).replace("\u2028", "&#8232;").replace("\u2029", "&#8233;")


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _curve(x1: float, y1: float, x2: float, y2: float, vertical: bool) -> str:
    bend = max(20.0, (abs(y2 - y1) if vertical else abs(x2 - x1)) / 2)
    if vertical:
        c1, c2 = (x1, y1 + (bend if y2 > y1 else -bend)), (x2, y2 - (bend if y2 > y1 else -bend))
    else:
        c1, c2 = (x1 + (bend if x2 > x1 else -bend), y1), (x2 - (bend if x2 > x1 else -bend), y2)
    return "M{},{} C{},{} {},{} {},{}".format(*map(_num, (x1, y1, *c1, *c2, x2, y2)))


def route(a: list, b: list) -> str:
    """An edge leaves sideways towards a box on its right, else from the bottom towards a
    box below (or the top towards one above), else backwards from its left side."""
    ay, by, ax, bx = a[1] + a[3] / 2, b[1] + b[3] / 2, a[0] + a[2] / 2, b[0] + b[2] / 2
    if b[0] >= a[0] + a[2]:
        return _curve(a[0] + a[2], ay, b[0], by, False)
    if b[1] >= a[1] + a[3]:
        return _curve(ax, a[1] + a[3], bx, b[1], True)
    if b[1] + b[3] <= a[1]:
        return _curve(ax, a[1], bx, b[1] + b[3], True)
    return _curve(a[0], ay, b[0] + b[2], by, False)


class _Painter:
    """Writes the opening view as SVG elements, as the script's render() draws it."""

    def __init__(self, s: Structure) -> None:
        self.s, self.placed = s, {}
        self.frames: list[str] = []
        self.boxes: list[str] = []

    def rect(self, p: list, **attrs: object) -> str:
        extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
        return (f'<rect x="{_num(p[0])}" y="{_num(p[1])}" width="{_num(p[2])}" '
                f'height="{_num(p[3])}"{extra}/>')

    def texts(self, lines: list[tuple[str, int]], p: list, ink: str) -> str:
        m, bold = METRICS, ' font-weight="bold"'
        return "".join(
            f'<text x="{_num(p[0] + m["padx"])}" y="{_num(p[1] + 15 + k * m["line"])}" '
            f'fill="{ink}"{bold if k == 0 else ""}>{_escape(text)}</text>'
            for k, (text, _) in enumerate(lines))

    def level(self, lay: Layout, ox: float, oy: float) -> None:
        data, n, m = self.s.data, self.s.n, METRICS
        for item in lay.items:
            q = lay.pos[item]
            p = [q[0] + ox, q[1] + oy, q[2], q[3]]
            self.placed[item] = p
            if item < n:
                row = data.nodes[item]
                border = 2.5 if row[2] == "output" else 1
                self.boxes.append(
                    f'<g data-cr-node="{item}">'
                    + self.rect(p, rx=3, fill=style.KIND_COLORS[row[2]], stroke="#555",
                                stroke_width=border)
                    + self.texts(self.s.node_lines(item), p, "#000") + "</g>")
                continue
            group, k = data.groups[item - n], item - n
            mark = (f'data-cr-module="{_escape(group.path)}"' if group.kind == "module"
                    else f'data-cr-fold="{_escape(group.title)}"')
            if item not in lay.inner:
                self.boxes.append(
                    f'<g {mark}>' + self.rect(p, rx=7, fill="#eef1fb", stroke="#4a5a8a",
                                              stroke_width=1.5)
                    + self.texts(self.s.box_lines(k), p, "#000") + "</g>")
                continue
            title = _escape("▾ " + group.title)
            self.frames.append(
                f'<g {mark}>' + self.rect(p, rx=7, fill="#f7f9fe", stroke="#4a5a8a",
                                          stroke_dasharray="5 3")
                + f'<text x="{_num(p[0] + m["padx"])}" y="{_num(p[1] + 16)}" fill="#27335a" '
                f'font-weight="bold">{title}</text></g>')
            self.level(lay.inner[item], p[0] + m["pad"], p[1] + m["title"])

    def shown(self, i: int, opened: set) -> int:
        """The outermost closed box holding node i, or i itself."""
        item, g = i, self.s.container(i)
        while g >= 0:
            if g not in opened:
                item = self.s.n + g
            g = self.s.data.groups[g].parent
        return item

    def edges(self, opened: set, arrow: str) -> list[str]:
        seen: dict = {}
        for i, parents in enumerate(self.s.data.parents):
            b = self.shown(i, opened)
            for p in parents:
                a = self.shown(p, opened)
                if a != b:
                    seen[a, b] = seen.get((a, b), 0) + 1
        return [f'<path d="{route(self.placed[a], self.placed[b])}" fill="none" stroke="#777" '
                f'stroke-opacity="0.75" stroke-width="{_num(min(4, 1 + math.log2(c) / 2))}" '
                f'marker-end="url(#{arrow})"/>' for (a, b), c in seen.items()]


def picture(data: ExploreData, view_id: str = "cr-explore", first: Opening | None = None) -> str:
    """The opening view as one standalone ``<svg>``, fitted to the width it is given
    (``max-width:100%`` inline, so it fits where style sheets are stripped too)."""
    first = first or opening(data)
    s = first.structure
    painter = _Painter(s)
    painter.level(first.layout, 0, 0)
    arrow = f"{view_id}-static-arrow"
    edges = painter.edges(set(first.open), arrow)
    margin, lay, scale = METRICS["margin"], first.layout, first.scale
    width, height = lay.w + 2 * margin, lay.h + 2 * margin
    label = _escape(f"the graph of {data.root_name}, as the explorer opens it")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cr-picture" role="img" '
        f'aria-label="{label}" viewBox="{_num(-margin)} {_num(-margin)} {_num(width)} '
        f'{_num(height)}" width="{_num(width * scale)}" height="{_num(height * scale)}" '
        f'style="max-width:100%;height:auto;display:block" font-size="{FONT_PX}" '
        f'font-family="{_escape(FONT_FAMILY)}">'
        f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="10" refY="5" '
        f'markerUnits="userSpaceOnUse" markerWidth="8" markerHeight="8" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="#777"/></marker></defs>'
        f'<g>{"".join(painter.frames)}</g><g>{"".join(edges)}</g>'
        f'<g>{"".join(painter.boxes)}</g></svg>')
