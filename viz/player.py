"""The edge-by-edge player (what ``step_through(root)`` gives for graphs that fit):
watch backprop send the gradient back one edge at a time.

    >>> from autograd import Value
    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    >>> c = a * b; c.label = "c"
    >>> player = Player(c)
    >>> len(player)                      # one step per edge
    2
    >>> player.caption(1)[0]
    'dc/da = dc/dc · dc/da = 1 · -3 = -3'
    >>> player.grads_at(1) == {c: 1.0, a: -3.0}
    True

Frame 0 is before any step (only the root's gradient, 1, is known); frame k shows the
gradients known after k steps, the k-th edge highlighted and its arithmetic under the
graph. The steps come from ``autograd.backward_steps``: the player draws, it does not
differentiate. In Jupyter it shows the same self-contained HTML player as ``save_html``
(previous / next / play; frame 0 and its caption are plain HTML and SVG, so a saved
notebook shows them with no kernel); ``player.widget()`` is the ipywidgets version.
``skip_constants=True`` leaves out the steps into constants (leaves with
``role="constant"``, e.g. targets or the ½ of a squared error): they teach nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from autograd import backward_steps
from autograd.stepping import node_names, symbol

from . import beamer, labels, layout, player_html, rendering, themes
from .detail import DETAIL_LIMIT, drawn_count
from .draw import GraphTooLargeError, draw_graph, graph_nodes
from .fit import LEGIBLE_PX, FittedSvg, smallest_text_px
from .player_svg import CURRENT, DONE, RECEIVING, BaseSvg, apply_frame
from .style import format_number

FRAME_FORMATS = ("svg", "png")


class Player:
    """The backward steps of one graph, as frames (see the module docstring).

    ``steps`` are ``autograd.Step`` objects; ``len(player)`` is their number, and
    there are ``len(player) + 1`` frames. Building a player leaves every ``.grad`` of
    the graph as it was.
    """

    theme: str | None = None  # None: the theme in use when a frame is drawn

    def __init__(self, root: Any, *, precision: int = 4, rankdir: str = "auto",
                 max_nodes: int | str | None = "auto",
                 skip_constants: bool = False, within: Any = None,
                 theme: str | None = None) -> None:
        """``within``: only the steps into the nodes of this set, and only they are
        drawn (with their inputs): one module opened (``ModulePlayer.open``)."""
        self.root = root
        self.theme = themes.check(theme) if theme is not None else themes.get_theme()
        self.precision = precision
        self.seed: Any = 1.0  # d root / d root, shown on the root from the first frame
        nodes = checked_nodes(root)
        check_size(nodes if within is None else [n for n in nodes if n in within],
                   max_nodes)
        if labels.is_array_node(root):
            self.seed = np.ones_like(root.data)
        # The names the steps print (label, else L for the root, v1, v2, ...), for captions.
        self.names = node_names(nodes, root)
        before = [(node, node.grad) for node in nodes]
        try:
            self.steps = list(backward_steps(root))
        finally:  # stepping fills .grad as backward() would; a viewer should not
            for node, grad in before:
                node.grad = grad
        if skip_constants:
            self.steps = [step for step in self.steps if not _is_constant(step.parent)]
        # What frame 0 knows: the seed on the root; for one module opened (the root is
        # outside it), what backward sent its outputs before reaching it.
        self.seeds: dict = {root: self.seed}
        if within is not None:
            self.steps = [step for step in self.steps if step.node in within]
            within = set(within) | {step.parent for step in self.steps}
            if root not in within:
                parents = {step.parent for step in self.steps}
                self.seeds = {step.node: step.upstream for step in self.steps
                              if step.node not in parents}
        self.within = within
        # Every gradient unknown and fixed cell sizes: frames only fill text in. Nodes
        # without a label show the name the captions give them (L, v1, v2, ...).
        self.drawing = draw_graph(root, rankdir, precision=precision, grads={},
                                  show_edge_grads=True, stable_layout=True,
                                  max_nodes=None, names=self.names, within=within,
                                  theme=self.theme)
        self.ids: dict = self.drawing.node_ids
        self._base: BaseSvg | None = None
        self._still: BaseSvg | None = None

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def base(self) -> BaseSvg:
        """The one layout every frame uses (rendered on first use)."""
        if self._base is None:
            self._base = BaseSvg.lay_out(self.drawing)
        return self._base

    @property
    def still(self) -> BaseSvg:
        """The layout of frames shown as still pictures (``frame(k)``, a saved notebook),
        fitted to a cell: the player's own while all its text stays >= 9 px there, else
        the same graph without edge labels (the caption holds the current edge's
        arithmetic), top to bottom if that is what stays legible."""
        if self._still is None:
            self._still = self.base
            # Past the detail limit no layout is legible at fit: keep one layout then.
            directions = self._still_directions() if len(self.ids) <= DETAIL_LIMIT else ()
            for rankdir in directions:
                if self._legible(self._still):
                    break
                candidate = BaseSvg.lay_out(draw_graph(
                    self.root, rankdir, precision=self.precision, grads={},
                    stable_layout=True, max_nodes=None, names=self.names,
                    within=self.within, theme=self.theme))
                if self._legible(candidate):
                    self._still = candidate
        return self._still

    def _still_directions(self) -> tuple[str, ...]:
        return (self.drawing.graph_attr["rankdir"], "TB")

    def _legible(self, base: BaseSvg) -> bool:
        return smallest_text_px(apply_frame(base, base.texts, {}, self._caption_lines(0),
                                            self._caption_room())) >= LEGIBLE_PX

    def still_svg(self, frame: int) -> str:
        """Frame ``frame`` in the still layout (see ``still``), its caption under it."""
        return apply_frame(self.still, self.texts_at(frame), self.highlights(frame),
                           self._caption_lines(frame), self._caption_room())

    # --- what each frame shows ----------------------------------------------------
    def grads_at(self, frame: int) -> dict:
        """``{node: gradient}`` known after ``frame`` steps (this pass only)."""
        self._check(frame)
        known = dict(self.seeds)
        for step in self.steps[:frame]:
            known[step.parent] = step.grad_after
        return known

    def changes(self, frame: int) -> dict[str, str]:
        """The texts frame ``frame`` changes: the new gradient and the edge's product."""
        self._check(frame)
        if frame == 0:
            return {self.ids[node] + "-grad": self._grad_text(gradient)
                    for node, gradient in self.seeds.items()}
        step = self.steps[frame - 1]
        texts = {self.ids[step.parent] + "-grad": self._grad_text(step.grad_after)}
        if not labels.is_array_node(step.node) and step.local is not None:
            number = lambda x: format_number(x, self.precision)
            texts[self._edge(step) + "-text"] = (f"{number(step.upstream)} × "
                                                 f"{number(step.local)} = "
                                                 f"{number(step.contribution)}")
        return texts

    def texts_at(self, frame: int) -> dict[str, str]:
        """Every changeable text of the picture at ``frame``."""
        texts = dict(self.base.texts)  # (the still layout ignores its edges' texts)
        for number in range(frame + 1):
            texts.update(self.changes(number))
        return texts

    def highlights(self, frame: int) -> dict[str, str]:
        """Part key -> class: the current edge and node, the parent receiving, done edges."""
        self._check(frame)
        if frame == 0:
            return {self.ids[node]: CURRENT for node in self.seeds}
        marks = {self._edge(step): DONE for step in self.steps[:frame - 1]}
        step = self.steps[frame - 1]
        node = self.ids[step.node]
        marks.update({self._edge(step): CURRENT, node: CURRENT, node + "op": CURRENT,
                      self.ids[step.parent]: RECEIVING})
        return marks

    def caption(self, frame: int) -> tuple[str, str]:
        """Two lines under the graph: the step's arithmetic and the rule it used."""
        self._check(frame)
        name = self._name(self.root)
        how = "each step sends the gradient back along one edge: parent gradient += " \
              "upstream · local"
        if frame == 0 and self.root not in self.seeds:  # one module opened
            known = ", ".join(f"d{name}/d{self._name(node)} = {format_number(g, self.precision)}"
                              for node, g in list(self.seeds.items())[:3])
            more = f" (+{len(self.seeds) - 3} more)" if len(self.seeds) > 3 else ""
            return f"backward reaches the module knowing {known}{more}", how
        if frame == 0:
            return f"before backward: only d{name}/d{name} = 1 is known (the seed)", how
        step = self.steps[frame - 1]
        arithmetic = str(step).split("    [")[0]
        if labels.is_array_node(step.node):  # a vector-Jacobian product, not a number
            assign = "+=" if step.accumulates else "="
            arithmetic = " ".join(f"d{name}/d{self._name(step.parent)} {assign} "
                                  f"{step.contribution}".split())
        rule = f"rule: {step.formula}"
        if step.accumulates:
            rule += (f"   (+= : {self._name(step.parent)} is reached by a second path, so "
                     f"the two add up)")
        return arithmetic, rule

    def frame_svg(self, frame: int) -> str:
        """Frame ``frame`` as an SVG document, its caption under the graph."""
        return themes.recolor(apply_frame(self.base, self.texts_at(frame),
                                          self.highlights(frame), self._caption_lines(frame),
                                          self._caption_room()), self.theme)

    # What the colours mean, under the player (HTML; the module player says its own).
    key_html = ('<b style="color: #e8590c">orange</b>: the edge the gradient flows along '
                'now, from the node it leaves; <b style="color: #e8590c">dashed</b>: the '
                'input receiving it; <b style="color: #1c5fa8">blue</b>: edges already '
                'walked; <b>grad &#8212;</b>: not reached yet (not the same as 0).')

    def frame(self, frame: int) -> FittedSvg:
        """Frame ``frame`` for a notebook cell: fitted to its width, caption included,
        all text >= 9 px (the still layout)."""
        first, second = self._caption_lines(frame)
        return FittedSvg(self.still_svg(frame), f"{first}\n{second}")

    def _caption_lines(self, frame: int) -> tuple[str, str]:
        first, second = self.caption(frame)
        return f"step {frame} / {len(self)}:  {first}", second

    def _caption_room(self) -> tuple[int, int]:
        """The longest caption lines of all frames: one picture size for every frame."""
        lines = [self._caption_lines(k) for k in range(len(self) + 1)]
        return max(len(a) for a, _ in lines), max(len(b) for _, b in lines)

    # --- saving -----------------------------------------------------------------------
    def save_html(self, path: str | Path, title: str | None = None) -> Path:
        """One self-contained HTML file (no network): previous / next / play, a step
        counter and the arrow keys. Returns the path written."""
        path = Path(path)
        path.write_text(labels.xml_safe(themes.recolor(player_html.page(self, title),
                                                       self.theme)), encoding="utf-8")
        return path

    def save_frames(self, directory: str | Path, format: str = "svg") -> list[Path]:
        """One image per frame, ``frame_000.svg`` (or ``.png``) ...; returns the paths.

        SVG frames are the one layout with text filled in. PNG frames are drawn by the
        renderer from ``draw_graph(..., stable_layout=True)``, whose fixed cell sizes
        give every frame the same layout.
        """
        if format not in FRAME_FORMATS:
            raise ValueError(f"frames can be saved as 'svg' or 'png', got {format!r}")
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        paths = []
        for frame in range(len(self) + 1):
            path = directory / f"frame_{frame:03d}.{format}"
            if format == "svg":
                path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                                + labels.xml_safe(self.frame_svg(frame)), encoding="utf-8")
            else:
                path.write_bytes(rendering.render_source(self.frame_source(frame), "png"))
            paths.append(path)
        return paths

    def save_beamer(self, path: str | Path, title: str | None = None,
                    compile: bool = False) -> Path:
        """A Beamer deck (``.tex``): one slide per frame, its TikZ picture and its caption
        in LaTeX (``viz.beamer``); ``compile=True`` also writes the PDF."""
        return beamer.save_beamer(self, path, title, compile)

    def frame_source(self, frame: int) -> str:
        """DOT text of frame ``frame`` (for PNG): gradients known so far, highlights, caption."""
        highlight = list(self.seeds)
        if frame:
            step = self.steps[frame - 1]
            highlight = [step.node, (step.node, step.index)]
        known = self.grads_at(frame)
        drawing = draw_graph(self.root, self.drawing.graph_attr["rankdir"],
                             precision=self.precision, grads=known,
                             highlight=highlight, show_edge_grads=True, stable_layout=True,
                             max_nodes=None, names=self.names, within=self.within,
                             theme=self.theme)
        self._unsend_edges(drawing, frame, known)
        lines = self._caption_lines(frame)
        # Same caption box size in every frame, so the caption cannot move the graph.
        width = 7 * max(self._caption_room())
        rows = "".join(f'<tr><td align="left" width="{width}" height="18" fixedsize="true">'
                       f'{labels.html_text(line)}</td></tr>' for line in lines)
        drawing.attr(label=f'<<table border="0" cellpadding="1">{rows}</table>>',
                     labelloc="b", labeljust="l", fontsize="12")
        return drawing.source

    def _unsend_edges(self, drawing: Any, frame: int, known: dict) -> None:
        """Edges not yet walked read "— × local", as in the SVG frames.

        draw_graph labels an edge with upstream × local as soon as the node's gradient
        is known, but before its step that gradient may still be partial: the edge
        has sent nothing yet.
        """
        walked = {(id(step.node), step.index) for step in self.steps[:frame]}
        lines: dict[str, list[int]] = {}
        for number, line in enumerate(drawing.body):
            lines.setdefault(line.split(" [", 1)[0], []).append(number)
        for node, node_id in self.ids.items():
            local_grads = getattr(node, "local_grads", None)
            seen: dict[str, int] = {}
            for index, parent in enumerate(node.parents):
                if parent not in self.ids:
                    continue  # not drawn: the player was opened on one module
                head = f"\t{self.ids[parent]} -> {node_id}op"
                occurrence = seen.get(head, 0)
                seen[head] = occurrence + 1
                if (id(node), index) in walked or node not in known or not local_grads:
                    continue
                local = float(local_grads[index])
                shown = labels.edge_label(local, float(known[node]), self.precision, True)
                waiting = labels.edge_label(local, None, self.precision, True)
                number = lines[head][occurrence]
                drawing.body[number] = drawing.body[number].replace(shown, waiting, 1)

    def save_gif(self, path: str | Path, seconds_per_frame: float = 1.5) -> Path:
        """An animated GIF of the PNG frames, looping, for slides. Needs Pillow
        (``pip install 'chainrule[gif]'``)."""
        try:
            from PIL import Image
        except ImportError:
            raise ImportError("save_gif needs Pillow: pip install 'chainrule[gif]' "
                              "(or save_frames(directory, 'png') and assemble them "
                              "yourself)") from None
        with tempfile.TemporaryDirectory() as folder:
            images = [Image.open(p).convert("RGB") for p in self.save_frames(folder, "png")]
        size = (max(i.width for i in images), max(i.height for i in images))
        frames = []
        for image in images:  # a GIF has one size: pad any smaller frame with white
            canvas = Image.new("RGB", size, "white")
            canvas.paste(image, (0, 0))
            frames.append(canvas)
        path = Path(path)
        frames[0].save(path, save_all=True, append_images=frames[1:], loop=0,
                       duration=int(seconds_per_frame * 1000))
        return path

    # --- notebooks ----------------------------------------------------------------------
    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict:
        """The HTML player; frame 0 as SVG and its caption as text for viewers without
        HTML. Never a widget: a saved notebook holds no widget state."""
        first, second = self._caption_lines(0)
        bundle = {"text/html": self._repr_html_(),
                  "image/svg+xml": self.still_svg(0),
                  "text/plain": f"{first}\n{second}"}
        wanted = set(include) if include is not None else set(bundle)
        wanted -= set(exclude or ())
        return {key: value for key, value in bundle.items() if key in wanted}

    def _repr_html_(self) -> str:
        return themes.recolor(player_html.fragment(self, global_keys=False), self.theme)

    def html(self) -> Any:
        """The self-contained HTML player for a notebook cell (what displaying the player
        shows too); it keeps working in a saved notebook, where a widget would not."""
        from IPython.display import HTML

        return HTML(self._repr_html_())

    def widget(self) -> Any:
        """An ipywidgets player: slider, previous / next / play, the frame below."""
        import ipywidgets as widgets  # optional: only notebooks with widgets need it

        count = len(self)
        slider = widgets.IntSlider(value=0, min=0, max=count, description="step",
                                   continuous_update=True)
        play = widgets.Play(value=0, min=0, max=count, interval=1200)
        widgets.jslink((play, "value"), (slider, "value"))
        previous = widgets.Button(description="◀ previous")
        following = widgets.Button(description="next ▶")
        picture = widgets.HTML()

        def show(change: Any = None) -> None:
            picture.value = (f"<b>step {slider.value} / {count}</b>"
                             + player_html.frame_block(self, slider.value))

        def move(by: int) -> None:
            slider.value = max(0, min(count, slider.value + by))

        previous.on_click(lambda _: move(-1))
        following.on_click(lambda _: move(1))
        slider.observe(show, names="value")
        show()
        return widgets.VBox([widgets.HBox([previous, play, following, slider]), picture])

    def _name(self, node: Any) -> str:
        return symbol(self.names[node])

    def _edge(self, step: Any) -> str:
        return f"{self.ids[step.node]}:{step.index}"

    def edge_key(self, number: int) -> str:
        """The ``data-cr`` key of the edge step ``number`` (from 0) walks."""
        return self._edge(self.steps[number])

    def _grad_text(self, gradient: Any) -> str:
        if hasattr(gradient, "shape") and getattr(gradient, "size", 1) != 1:
            return "grad " + " ".join(labels.summarize(gradient, self.precision).split())
        return "grad " + format_number(gradient, self.precision)

    def _check(self, frame: int) -> None:
        if not 0 <= frame <= len(self):
            raise IndexError(f"frame {frame} does not exist: this player has frames "
                             f"0 .. {len(self)} (frame 0 is before the first step)")


def _is_constant(node: Any) -> bool:
    return not node.parents and getattr(node, "role", "") == "constant"




def checked_nodes(root: Any) -> list:
    """The nodes under ``root``, after checking that it is one output to step back from."""
    what = "step_through needs one output to step back from: a Value, or a Tensor holding " \
           "one number (e.g. the loss)"
    if isinstance(root, (list, tuple)):
        given = "an empty list" if not root else f"a {type(root).__name__} of {len(root)} items"
        raise TypeError(f"{what}; got {given}. Pass one node, e.g. step_through(loss)")
    if not (hasattr(root, "parents") and hasattr(root, "data")):
        raise TypeError(f"{what}; got {root!r:.80} of type {type(root).__name__}")
    if labels.is_array_node(root) and root.data.size != 1:
        raise ValueError(f"step_through needs an output holding one number, got a Tensor "
                         f"of shape {root.data.shape}; reduce it first, e.g. "
                         f"step_through(y.sum())")
    try:
        return graph_nodes([root])
    except RuntimeError as error:  # the engine's message names the cycle
        raise ValueError(f"step_through cannot step through {root!r:.60}: {error}") from None


def check_size(nodes: list, max_nodes: int | str | None) -> None:
    """Refuse at once, before stepping or laying out, a graph the player cannot show."""
    if max_nodes is None:
        return
    limit = DETAIL_LIMIT if max_nodes == "auto" else max_nodes
    count = drawn_count(nodes)
    lift = "step_through(root, max_nodes=None) lays it out anyway (slow)"
    if count > limit:
        raise GraphTooLargeError(
            f"the player draws every edge, and this graph has {count:,} nodes (more than "
            f"max_nodes={limit}, what a notebook cell shows legibly); draw_graph(root) "
            f"draws it with less detail, {lift}")
    crossings = layout.virtual_nodes(nodes)
    if crossings > layout.MAX_VIRTUAL_NODES:
        raise GraphTooLargeError(
            f"laying out this graph's player would take minutes: its edges cross "
            f"{crossings:,} ranks (more than {layout.MAX_VIRTUAL_NODES:,}; a value used "
            f"by many operations far apart, as in x*x*...*x); draw_graph(root) draws it "
            f"fast without edge labels, {lift}")
