"""Drawing one training step of MLP(2, [16, 16, 1]): in full and collapsed by module.

    python benchmarks/viz_render.py

Prints, for each drawing, the number of drawn nodes (values + operation nodes, or
boxes) and the seconds for DOT generation, SVG and PNG rendering, with the renderer
used (``dot`` on PATH, else the bundled graphviz-pure). Targets: full graph to SVG under
3 s, collapsed under 0.5 s. Each figure is the best of ``REPEATS`` runs.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

import viz
from autograd import Value
from nn import MLP
from viz.rendering import find_renderer, render_source

REPEATS = 3
T = TypeVar("T")


def best_time(work: Callable[[], T]) -> tuple[float, T]:
    """The fastest of ``REPEATS`` runs of ``work`` (seconds) and its result: the best run is
    the one least disturbed by the rest of the machine."""
    best, result = float("inf"), None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def unfused_loss(model: MLP, x: list[float]) -> Value:
    """The same network written micrograd's way: one node per product and per sum.

    Our neurons use one fused ``dot`` node each, which keeps the real graph small; this
    graph has the size the issue's "about 1,000 nodes" refers to, to test layout speed.
    """
    for layer in model.layers:
        outs = []
        for neuron in layer.neurons:
            total = neuron.b
            for w, xi in zip(neuron.w, x, strict=True):
                total = total + w * xi
            outs.append(getattr(total, neuron.activation)() if neuron.activation else total)
        x = outs
    return (x[0] - 1.0) ** 2


def drawn_nodes(source: str) -> int:
    """Node statements in DOT text (value, operation and box nodes; not edges)."""
    return sum(1 for line in source.splitlines()
               if " [label=" in line and "->" not in line)


def main() -> None:
    random.seed(0)
    model = MLP(2, [16, 16, 1])
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.backward()
    unfused = unfused_loss(model, [0.5, -1.0])
    unfused.backward()
    print(f"renderer: {find_renderer('svg').name}; graph of one forward + backward of "
          f"MLP(2, [16, 16, 1]) on one sample, {len(model.parameters())} parameters")
    cases = {
        "full": (loss, dict(max_nodes=None)),
        "full, edge grads": (loss, dict(max_nodes=None, show_edge_grads=True)),
        "collapsed (layers)": (loss, dict(collapse="module", depth=1)),
        "collapsed (neurons)": (loss, dict(collapse="module", depth=2)),
        "unfused full": (unfused, dict(max_nodes=None)),
    }
    print(f"{'drawing':<22}{'nodes':>7}{'DOT s':>9}{'SVG s':>9}{'PNG s':>9}{'PNG px':>14}")
    for name, (root, options) in cases.items():
        dot_seconds, drawing = best_time(lambda r=root, o=options: viz.draw_graph(r, **o))
        source = drawing.source
        svg_seconds, _ = best_time(lambda s=source: render_source(s, "svg"))
        png_seconds, png = best_time(lambda s=source: render_source(s, "png"))
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        print(f"{name:<22}{drawn_nodes(source):>7}{dot_seconds:>9.3f}{svg_seconds:>9.3f}"
              f"{png_seconds:>9.3f}{f'{width}x{height}':>14}")


if __name__ == "__main__":
    main()
