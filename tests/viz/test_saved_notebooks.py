"""The saved notebooks (as a code host or nbconvert shows them, with no kernel and no
scripts): pictures fitted to the cell, the player's first frame and caption, no widget
state, the kernel named, and exercise solutions quiet under Run All."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
OURS = ["01_chain_rule_and_partial_derivatives", "02_backprop_step_by_step",
        "05_training_an_mlp", "10_convolution"]


def load(name: str) -> dict:
    return json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))


def outputs(notebook: dict):
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            yield cell, output.get("data", {})


def text(value) -> str:
    return value if isinstance(value, str) else "".join(value)


@pytest.mark.parametrize("name", OURS)
def test_saved_notebook_has_no_widgets_names_its_kernel_and_keeps_solutions_quiet(name):
    notebook = load(name)
    assert "widgets" not in notebook["metadata"]
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    assert "*Kernel:*" in text(notebook["cells"][0]["source"])
    solutions = [c for c in notebook["cells"] if c["cell_type"] == "code"
                 and text(c["source"]).startswith("%%capture solution")]
    assert solutions, "the exercise solutions run under %%capture"
    assert all(not c.get("outputs") for c in solutions)
    for _, data in outputs(notebook):
        assert not any(key.startswith("application/vnd.jupyter.widget") for key in data)
        if "image/svg+xml" in data:  # every picture also comes fitted, as HTML
            assert "max-width:100%" in text(data["text/html"])


def test_notebook_02_shows_the_players_first_frame_and_caption_without_scripts(browser):
    players = [data for _, data in outputs(load("02_backprop_step_by_step"))
               if 'class="cr-player"' in text(data.get("text/html", ""))]
    assert len(players) == 1
    data = players[0]
    assert "VBox" not in text(data["text/plain"])
    assert text(data["text/plain"]).startswith("step 0 / 32:  before backward")
    assert "before backward" in text(data["image/svg+xml"])
    context = browser.new_context(viewport={"width": 980, "height": 800},
                                  java_script_enabled=False)
    page = context.new_page()
    page.set_content(f'<body style="margin:0">{text(data["text/html"])}</body>')
    assert page.locator(".cr-arithmetic").text_content().startswith("before backward")
    assert page.locator(".cr-counter").text_content() == "step 0 / 32"
    box = page.locator(".cr-graph svg").bounding_box()
    assert 600 < box["width"] <= 980 and box["height"] > 300  # drawn, fitted to the cell
    assert page.evaluate("document.documentElement.scrollWidth") <= 980
    context.close()
