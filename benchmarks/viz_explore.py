"""The graph explorer (``viz.explore``): build time, page size and load time in Chromium.

    python benchmarks/viz_explore.py [--no-browser]

Graphs: the README neuron, MLP(2, [16, 16, 1]) on one sample (squared error), the
``benchmarks/mnist_cnn.py`` CNN on a batch of 64 real MNIST images (cross-entropy),
a 10,000-operation chain and a ~10,000-node MLP. Load time is from navigation start
until the page is parsed and has run its script, drawing included (the page's own
``domContentLoadedEventEnd``). The
peer is the HTML backprop player (``step_through(...).save_html``) of the same graph
where it can be built (the neuron), so the ratio is measured in the same run.
Target: under 1 s for the MLP and the CNN. Also printed: the first view's text size on
screen at fit (>= 9 px) and the size of its static picture.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mnist_cnn import build_model  # noqa: E402  (benchmarks/ is on the path when run)

from autograd import Tensor, Value  # noqa: E402
from nn import MLP, Module, cross_entropy, load_mnist, manual_seed  # noqa: E402
from viz import explore, step_through  # noqa: E402
from viz.explore_static import FONT_PX  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
MNIST = ROOT / ".." / "shared" / "data" / "mnist"


def neuron() -> tuple[Value, None]:
    """The README neuron: o = tanh(x1*w1 + x2*w2 + b)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    o.backward()
    return o, None


def mlp(nin: int = 2, sizes: tuple = (16, 16, 1), samples: int = 1) -> tuple[Value, MLP]:
    """Squared error of an MLP over ``samples`` random inputs, after backward."""
    random.seed(0)
    model = MLP(nin, list(sizes))
    loss = Value(0.0)
    for k in range(samples):
        x = [random.uniform(-1, 1) for _ in range(nin)]
        loss = loss + (model(x) - (1.0 if k % 2 else -1.0)) ** 2
    loss.label = "loss"
    loss.backward()
    return loss, model


def mnist_cnn(batch: int = 64) -> tuple[Tensor, Module]:
    """benchmarks/mnist_cnn.py's model on real MNIST images (random ones without the files)."""
    manual_seed(0)
    f32 = np.float32
    model = build_model()
    try:
        (images, labels), _ = load_mnist(str(MNIST))
        images = (images[:batch, None] / 255.0).astype(f32)
        labels = labels[:batch]
    except (OSError, ValueError):
        rng = np.random.default_rng(0)
        images = rng.random((batch, 1, 28, 28), dtype=f32)
        labels = rng.integers(0, 10, batch)
    loss = cross_entropy(model(Tensor(images)), labels)
    loss.label = "loss"
    loss.backward()
    return loss, model


def chain(length: int = 10_000) -> tuple[Value, None]:
    """y = x + 1 + 1 + ... (``length`` operations), after backward."""
    y = Value(0.5, label="x")
    for _ in range(length):
        y = y + 1
    y.label = "y"
    y.backward()
    return y, None


GRAPHS = {
    "neuron": neuron,
    "MLP(2,[16,16,1])": mlp,
    "MNIST CNN, batch 64": mnist_cnn,
    "chain of 10,000": chain,
    "MLP(4,[96,96,1]) x2": lambda: mlp(4, (96, 96, 1), 2),
}


def load_ms(browser, path: Path, repeats: int = 3) -> float:
    """Milliseconds from navigation start until the page is parsed and its inline scripts
    have run (the explorer draws synchronously), as the page measured it; the best of
    ``repeats`` loads, since the machine is shared."""
    times = []
    for _ in range(repeats):
        page = browser.new_page(viewport={"width": 980, "height": 800})
        page.goto(path.resolve().as_uri(), timeout=60_000)
        times.append(float(page.evaluate(
            "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")))
        page.close()
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    browser = None
    if not args.no_browser and Path(CHROMIUM).is_file():
        from playwright.sync_api import sync_playwright

        driver = sync_playwright().start()
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    folder = Path(tempfile.mkdtemp())
    print(f"{'graph':24} {'nodes':>7} {'boxes':>6} {'build s':>8} {'page KB':>8} {'load ms':>8} "
          f"{'text px':>8} {'svg KB':>7}")
    for name, make in GRAPHS.items():
        root, model = make()
        start = time.perf_counter()
        view = explore(root, model=model)
        path = view.save_html(folder / "explore.html")
        built = time.perf_counter() - start
        load = load_ms(browser, path) if browser else float("nan")
        # text px: the first view's text on screen when fitted (Python's opening rule);
        # svg KB: its static picture, what a viewer without scripts shows
        print(f"{name:24} {view.node_count:7,} {len(view.data.groups):6,} {built:8.2f} "
              f"{path.stat().st_size / 1024:8.0f} {load:8.0f} "
              f"{FONT_PX * view.first.scale:8.1f} {len(view.picture()) / 1024:7.1f}", flush=True)
        if name == "neuron" and browser:
            player = step_through(root).save_html(folder / "player.html")
            seen = load_ms(browser, player)
            print(f"{'  peer: HTML player':24} {'':7} {'':6} {'':8} "
                  f"{player.stat().st_size / 1024:8.0f} {seen:8.0f}   explorer/player load "
                  f"{load / seen:.2f}x", flush=True)
    start = time.perf_counter()
    big = chain(1_000_000)[0]
    made = time.perf_counter() - start
    start = time.perf_counter()
    try:
        explore(big)
    except ValueError as error:
        print(f"chain of 1,000,000 (built in {made:.1f} s): refused in "
              f"{time.perf_counter() - start:.3f} s: {str(error)[:90]}...")
    if browser:
        browser.close()
        driver.stop()


if __name__ == "__main__":
    main()
