"""Backprop through a model one module at a time: the player's view of a big graph.

A model's graph has hundreds of edges (``MLP(2, [16, 16, 1])``: 673); stepping them one
by one shows nothing a student can follow. ``ModulePlayer`` draws the graph collapsed
by module (``draw_graph(..., collapse="module", depth=...)``) and takes one step per
box, outputs first: the gradient arriving at the module's outputs, and what it sends
back to its inputs and its parameters, each as one size (the norm, the square root of
the sum of squares). Through saturating layers the sizes shrink step by step.
``depth=2`` opens every module one level (layer, then neuron); ``open(k)`` steps
through step k's module edge by edge, from the gradients backward sent its outputs.

    >>> import random; random.seed(0)
    >>> from nn import MLP
    >>> model = MLP(2, [3, 1])
    >>> loss = (model([1.0, -1.0]) - 1.0) ** 2
    >>> player = ModulePlayer(loss, depth=1)
    >>> [player.caption(k)[0].split(":")[0] for k in range(1, len(player) + 1)]
    ['**2', '- 1', 'MLP › layer 1 (layers.1)', 'MLP › layer 0 (layers.0)']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd import graph
from autograd.stepping import node_names

from . import labels, themes
from .collapse import assign_groups, module_path, output_text
from .draw import GraphTooLargeError, draw_graph, graph_nodes
from .player import Player
from .player_svg import CURRENT, DONE, RECEIVING
from .style import UNKNOWN, format_number


@dataclass(frozen=True)
class ModuleStep:
    """One box of the collapsed drawing, as backward passes through it."""

    box: str              # DOT id of the box (or of the single operation's value node)
    members: tuple        # the graph nodes drawn in the box
    outputs: tuple        # those used outside it (or the root)
    name: str             # "MLP › layer 1", or the operation's text
    inputs: tuple         # DOT ids of the boxes and nodes it sends gradient back to
    out_norm: float       # size of d root / d (its outputs)
    in_norm: float        # what it sends back to its inputs from outside (their share)
    param_norm: float     # ... / d (its own parameters)
    parameters: int       # how many numbers its parameters hold
    sends: tuple = ()     # (input node, what this box sends it), one per input


def norm(gradients: list) -> float:
    """Square root of the sum of squares of every number in ``gradients``."""
    return math.sqrt(sum(float(np.sum(np.square(np.asarray(g, dtype=float))))
                         for g in gradients if g is not None))


class ModulePlayer(Player):
    """One step per module box, outputs first (see the module docstring)."""

    key_html = ('<b style="color: #e8590c">orange</b>: the module the gradient passes '
                'through now; <b style="color: #e8590c">dashed</b>: the boxes it sends '
                'gradient back to; <b>grad &#8212;</b>: not reached yet. Each box fills '
                'in as backward reaches it; <b>grad size</b> is the norm of the gradient '
                'at its outputs.')

    def __init__(self, root: Any, *, depth: int = 1, precision: int = 4,
                 rankdir: str = "auto") -> None:
        self.root, self.precision, self.depth = root, precision, depth
        self.seed = np.ones_like(root.data) if labels.is_array_node(root) else 1.0
        nodes = graph_nodes([root])
        edges: list = []  # (node, index, contribution) in backward's order
        totals = graph.propagate(root, self.seed,
                                 on_edge=lambda node, index, _, part, __: edges.append(
                                     (node, index, part)))
        # Laid out with the gradients backward ends with (the longest texts); the
        # frames start from "grad —" and fill each box in as backward reaches it.
        self.theme = themes.get_theme()  # the one step_through chose, for every frame
        self.names = node_names(nodes, root)  # as the edge-by-edge players it opens
        self.drawing = draw_graph(root, rankdir, precision=precision, grads=totals,
                                  collapse="module", depth=depth, stable_layout=True,
                                  max_nodes=None, names=self.names, theme=self.theme)
        self.ids: dict = self.drawing.node_ids
        self._base = self._still = None
        self.steps = self._walk(nodes, totals, edges)
        self._outputs_of = {step.box: list(step.outputs) for step in self.steps}
        self._add_size_rows(totals)
        self._frame_texts = self._fill_in()

    def _add_size_rows(self, totals: dict) -> None:
        """A "grad size" row under each box's outputs: the norm of what they received."""
        for number, line in enumerate(self.drawing.body):
            box = line.split(" ", 1)[0].strip()
            if box in self.drawing.box_outputs and line.endswith("</table>>]\n"):
                size = self._size_text(self._box_outputs(box), totals)
                self.drawing.body[number] = line.replace(
                    "</table>>]\n", f"<tr><td>{size}</td></tr></table>>]\n")

    def _box_outputs(self, box: str) -> list:
        """Every output of ``box`` (the drawing lists at most four)."""
        return self._outputs_of.get(box) or list(self.drawing.box_outputs[box])

    def _size_text(self, outputs: list, known: dict) -> str:
        if not any(n in known for n in outputs):
            return f"grad size {UNKNOWN}"
        return f"grad size {format_number(norm([known.get(n) for n in outputs]), self.precision)}"

    def _fill_in(self) -> list[dict[str, str]]:
        """Per frame, the texts it changes: frame 0 sets every gradient unknown but the
        root's; step k adds what its box sends to its inputs, and their boxes show it."""
        known: dict = {self.root: self.seed}
        box_of = self.ids
        rows = {node: (box, number) for box, outputs in self.drawing.box_outputs.items()
                for number, node in enumerate(outputs)}

        def texts_of(nodes: list) -> dict[str, str]:
            texts: dict[str, str] = {}
            for node in nodes:
                box = box_of[node]
                if node in rows:
                    box, number = rows[node]
                    texts[f"{box}-out{number}"] = output_text(
                        node, known.get(node), self.precision).replace("  ", " \xa0")
                    texts[box + "-grad"] = self._size_text(self._box_outputs(box), known)
                elif box not in self.drawing.box_outputs and box + "-grad" in self.base.texts:
                    texts[box + "-grad"] = (self._grad_text(known[node]) if node in known
                                            else f"grad {UNKNOWN}")
            return texts

        drawn = [n for n in self.ids if n in rows or self.ids[n] + "-grad" in self.base.texts]
        frames = [{key: text for key, text in texts_of(drawn).items() if key in self.base.texts}]
        for step in self.steps:
            for node, part in step.sends:
                known[node] = part if node not in known else known[node] + part
            frames.append({key: text for key, text in
                           texts_of([node for node, _ in step.sends]).items()
                           if key in self.base.texts})
        return frames

    def _walk(self, nodes: list, totals: dict, edges: list) -> list[ModuleStep]:
        ids, groups = self.ids, assign_groups(nodes, self.depth)
        # What each box sends to each input outside it: the sum over its edges
        # (the input's total may also hold what other paths send it).
        sent: dict = {}
        for node, index, part in edges:
            parent = node.parents[index]
            if ids[parent] != ids[node]:
                key = (ids[node], parent)
                sent[key] = part if key not in sent else sent[key] + part
        members: dict = {}
        for node in nodes:
            members.setdefault(ids[node], []).append(node)
        consumers: dict = {}
        for node in nodes:
            for parent in node.parents:
                consumers.setdefault(parent, []).append(node)
        position = {node: k for k, node in enumerate(nodes)}
        boxes = [box for box, inside in members.items() if any(n.parents for n in inside)]
        boxes.sort(key=lambda box: -max(position[n] for n in members[box]))
        steps = []
        for box in boxes:
            inside = members[box]
            outputs = [n for n in inside if n is self.root or any(
                ids[c] != box for c in consumers.get(n, ()))]
            inputs = [p for n in inside for p in n.parents if ids[p] != box]
            params = [n for n in inside if not n.parents and n.role == "parameter"]
            first = inside[0]
            name = (" › ".join(groups[first]) if first in groups
                    else labels.op_text(next(n for n in inside if n.parents)))
            path = module_path(params, len(groups[first]) - 1) if first in groups else ""
            if path:  # the name its parameters carry, as in the picture
                name += f" ({path})"
            steps.append(ModuleStep(
                box, tuple(inside), tuple(outputs), name,
                tuple(dict.fromkeys(ids[p] for p in inputs)),
                norm([totals.get(n) for n in outputs]),
                norm([sent.get((box, n)) for n in dict.fromkeys(inputs)]),
                norm([totals.get(n) for n in params]),
                sum(int(np.size(n.data)) for n in params),
                tuple((n, sent[box, n]) for n in dict.fromkeys(inputs) if (box, n) in sent)))
        return steps

    # --- what each frame shows (overrides the edge-by-edge player's) ------------------
    def grads_at(self, frame: int) -> dict:
        raise NotImplementedError("a module-level player shows gradient sizes per module; "
                                  "step_through(root, max_nodes=None) gives every edge")

    def changes(self, frame: int) -> dict[str, str]:
        self._check(frame)
        return self._frame_texts[frame]

    def highlights(self, frame: int) -> dict[str, str]:
        self._check(frame)
        if frame == 0:
            return {self.ids[self.root]: CURRENT}
        marks = {step.box: DONE for step in self.steps[:frame - 1]}
        step = self.steps[frame - 1]
        marks.update({box: RECEIVING for box in step.inputs})
        marks[step.box] = CURRENT
        return marks

    def _still_directions(self) -> tuple[str, ...]:
        return ()  # boxes without edge labels already: the still frames are the player's

    def edge_key(self, number: int) -> None:
        return None  # boxes light up, not edges

    def caption(self, frame: int) -> tuple[str, str]:
        self._check(frame)
        root = f"d{self.names[self.root]}"
        more = (f"step_through(root, depth={self.depth + 1}) opens each module one level; "
                f"max_nodes=None steps every edge")
        if frame == 0:
            return (f"before backward: only {root}/{root} = 1 is known; each step passes "
                    f"the gradient back through one module", more)
        step = self.steps[frame - 1]
        number = lambda x: format_number(x, self.precision)
        text = f"{step.name}: |{root}/d out| = {number(step.out_norm)}"
        if step.inputs:
            text += f"  →  |{root}/d inputs| = {number(step.in_norm)}"
        if step.parameters:
            text += (f",  |{root}/d parameters| = {number(step.param_norm)} "
                     f"({step.parameters:,} numbers)")
        return text, "|g| is the gradient's size (square root of the sum of squares); " + more

    def open(self, step: int, max_nodes: int | str | None = "auto") -> Player:
        """Step ``step``'s module edge by edge (frames 1 .. len): the steps of backward
        inside it, from its outputs, which start with the gradients backward sent them;
        its inputs are drawn beside it. ``max_nodes`` as for ``step_through``."""
        self._check(step)
        if step == 0:
            raise ValueError("frame 0 is before any step; open a step 1 .. "
                             f"{len(self)}")
        module = self.steps[step - 1]
        try:
            return Player(self.root, precision=self.precision, within=module.members,
                          max_nodes=max_nodes)
        except GraphTooLargeError as error:
            raise GraphTooLargeError(
                f"{module.name} ({len(module.members):,} nodes) is too big to step "
                f"through edge by edge in a cell: open its parts instead, "
                f"step_through(root, depth={self.depth + 1}).open(k), or lift the limit "
                f"with open({step}, max_nodes=None) (slow)") from error

    def frame_source(self, frame: int) -> str:
        raise NotImplementedError("PNG frames and GIFs need the edge-by-edge player: "
                                  "step_through(root, max_nodes=None); save_frames(folder, "
                                  "'svg') works here")
