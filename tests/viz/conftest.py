"""Fixtures for the visualiser tests: a small neuron, and a PATH without system Graphviz."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from autograd import Value, dot, topological_order
from viz.cli import build_neuron


@pytest.fixture(autouse=True)
def no_system_dot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drop every PATH entry holding a ``dot`` program, so graphviz-pure does the rendering.

    CI then proves the path a user without system Graphviz takes.
    """
    entries = os.environ.get("PATH", "").split(os.pathsep)
    kept = [e for e in entries if not shutil.which("dot", path=e)]
    monkeypatch.setenv("PATH", os.pathsep.join(kept))


def make_neuron() -> tuple[Value, dict[str, Value]]:
    """The command line demo's neuron, o = tanh(x1·w1 + x2·w2 + b) (x2 = 0, so dw2 = 0),
    with its nodes by label."""
    o = build_neuron()
    return o, {node.label: node for node in topological_order(o)}


def make_network_222() -> Value:
    """Notebook 02's 2-2-2 network (Mazur's worked example) and its loss E."""
    x1, x2 = Value(0.05, label="x1"), Value(0.10, label="x2")
    t1 = Value(0.01, label="t1", role="constant")
    t2 = Value(0.99, label="t2", role="constant")
    start = {"W1": 0.15, "W2": 0.25, "W3": 0.20, "W4": 0.30, "b1": 0.35,
             "V1": 0.40, "V2": 0.50, "V3": 0.45, "V4": 0.55, "b2": 0.60}
    p = {name: Value(number, label=name, role="parameter") for name, number in start.items()}
    n = {}
    n["h1"] = dot([p["W1"], p["W3"]], [x1, x2], p["b1"])
    n["h2"] = dot([p["W2"], p["W4"]], [x1, x2], p["b1"])
    n["H1"], n["H2"] = n["h1"].sigmoid(), n["h2"].sigmoid()
    n["y1"] = dot([p["V1"], p["V3"]], [n["H1"], n["H2"]], p["b2"])
    n["y2"] = dot([p["V2"], p["V4"]], [n["H1"], n["H2"]], p["b2"])
    n["Y1"], n["Y2"] = n["y1"].sigmoid(), n["y2"].sigmoid()
    n["e1"], n["e2"] = t1 - n["Y1"], t2 - n["Y2"]
    n["e1²"], n["e2²"] = n["e1"] ** 2, n["e2"] ** 2
    n["E1"] = Value(0.5, label="½", role="constant") * n["e1²"]
    n["E2"] = Value(0.5, label="½", role="constant") * n["e2²"]
    n["E"] = n["E1"] + n["E2"]
    for name, node in n.items():
        node.label = name
    return n["E"]


@pytest.fixture
def neuron() -> tuple[Value, dict[str, Value]]:
    return make_neuron()


@pytest.fixture(name="make_network_222")
def make_network_222_fixture():
    """Builds notebook 02's network afresh on each call."""
    return make_network_222


@pytest.fixture(name="make_neuron")
def make_neuron_fixture():
    """The builder itself, for tests that need two identical graphs."""
    return make_neuron


# --- a real browser (headless Chromium driven by Playwright) --------------------------
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# No network, no updates, no profile set-up: the page must work offline.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def browser():
    problems = []
    if not Path(CHROMIUM).is_file():
        problems.append(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set "
                        f"CHROMIUM=/path/to/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problems.append("no playwright package (pip install -e '.[test]')")
    if problems:
        message = "browser test: " + "; ".join(problems)
        if _in_ci():
            pytest.fail(message + " — CI must run this test (.ci/run installs Chromium)")
        pytest.skip(message)
    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


