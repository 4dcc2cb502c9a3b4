"""Drawing one training step of MLP(2, [16, 16, 1]), and the backprop player of four graphs.

    python benchmarks/viz_render.py

Prints, for each drawing, the number of drawn nodes (values + operation nodes, or
boxes) and the seconds for DOT generation, SVG and PNG rendering, with the renderer
used (``dot`` on PATH, else the bundled graphviz-pure). Targets: full graph to SVG under
3 s, collapsed under 0.5 s. Each figure is the best of ``REPEATS`` runs.

Then the player (``step_through``) of the README neuron, notebook 02's 2-2-2 network,
MLP(2, [16, 16, 1]) (stepped module by module) and the benchmarks/mnist_cnn.py model
on a batch of 8: steps, HTML size, build seconds (stepping, layout, HTML) and the
seconds Chromium takes to load the page (when /usr/bin/chromium and playwright are
there). Targets: the MLP's player under 1.5 MB and 2 s.

Last, the explorer's figures from ``benchmarks/viz_explore.py`` (run it alone for
its options).
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
from mnist_cnn import build_model  # beside this file: the CNN it times

import viz
from autograd import Tensor, Value, dot
from nn import MLP, cross_entropy, manual_seed
from viz.cli import build_neuron
from viz.rendering import find_renderer, render_source

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

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


def network_222() -> Value:
    """Notebook 02's network and loss (Mazur's worked example)."""
    x1, x2 = Value(0.05, label="x1"), Value(0.10, label="x2")
    t1, t2 = Value(0.01, label="t1", role="constant"), Value(0.99, label="t2", role="constant")
    w = {name: Value(v, label=name, role="parameter") for name, v in zip(
        ["W1", "W2", "W3", "W4", "b1", "V1", "V2", "V3", "V4", "b2"],
        [0.15, 0.25, 0.20, 0.30, 0.35, 0.40, 0.50, 0.45, 0.55, 0.60], strict=True)}
    H1 = dot([w["W1"], w["W3"]], [x1, x2], w["b1"]).sigmoid()
    H2 = dot([w["W2"], w["W4"]], [x1, x2], w["b1"]).sigmoid()
    Y1 = dot([w["V1"], w["V3"]], [H1, H2], w["b2"]).sigmoid()
    Y2 = dot([w["V2"], w["V4"]], [H1, H2], w["b2"]).sigmoid()
    half = Value(0.5, label="½", role="constant")
    E = half * (t1 - Y1) ** 2 + half * (t2 - Y2) ** 2
    E.label = "E"
    return E


def cnn_loss() -> Tensor:
    """The benchmarks/mnist_cnn.py model on a batch of 8 random images."""
    manual_seed(0)
    images = np.random.default_rng(0).random((8, 1, 28, 28)).astype(np.float32)
    return cross_entropy(build_model()(Tensor(images)), np.arange(8) % 10)


def load_seconds(paths: list[Path]) -> list[float | None]:
    """Seconds for Chromium to load each page and run its script (None without it)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return [None] * len(paths)
    if not Path(CHROMIUM).is_file():
        return [None] * len(paths)
    seconds = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 980, "height": 800})
        for path in paths:
            best = float("inf")
            for _ in range(REPEATS):
                start = time.perf_counter()
                page.goto(path.resolve().as_uri(), wait_until="load")
                page.wait_for_selector(".cr-counter")
                best = min(best, time.perf_counter() - start)
            seconds.append(best)
        browser.close()
    return seconds


def players() -> None:
    random.seed(0)
    model = MLP(2, [16, 16, 1])
    mlp_loss = (model([0.5, -1.0]) - 1.0) ** 2
    cases = {"README neuron": (build_neuron(), {}),
             "2-2-2 network (nb 02)": (network_222(), {}),
             "MLP(2, [16, 16, 1])": (mlp_loss, {}),
             "MLP, every edge": (mlp_loss, {"max_nodes": None}),
             "mnist_cnn.py model": (cnn_loss(), {})}
    folder = Path(tempfile.mkdtemp())
    rows, paths = [], []
    for name, (root, options) in cases.items():
        path = folder / f"{len(paths)}.html"

        def build(r: object = root, p: Path = path, o: dict = options) -> object:
            player = viz.step_through(r, **o)
            player.save_html(p)
            return player

        seconds, player = best_time(build)
        rows.append((name, type(player).__name__, len(player), path.stat().st_size, seconds))
        paths.append(path)
    loads = load_seconds(paths)
    print(f"\n{'player of':<24}{'kind':<14}{'steps':>6}{'HTML kB':>9}{'build s':>9}"
          f"{'load s':>8}")
    for (name, kind, steps, size, seconds), load in zip(rows, loads, strict=True):
        shown = f"{load:.2f}" if load is not None else "n/a"
        print(f"{name:<24}{kind:<14}{steps:>6}{size / 1000:>9.1f}{seconds:>9.2f}{shown:>8}")


if __name__ == "__main__":
    main()
    players()
    import viz_explore  # beside this file: the explorer's build, size and load figures

    viz_explore.main()
