"""Themes: every picture in every theme, on the theme's background; bad names refused."""

from __future__ import annotations

import io
import itertools
import random

import numpy as np
import pytest

import viz
from nn import MLP
from viz import rendering, style, themes
from viz.draw import draw_graph
from viz.themes import LIGHT, THEME_TABLE, THEMES


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def _png(data: bytes):
    from PIL import Image

    return Image.open(io.BytesIO(data)).convert("RGB")


def _corner(data: bytes) -> tuple[int, int, int]:
    return _png(data).getpixel((1, 1))


def test_themes_are_listed():
    assert THEMES == ("light", "dark", "projector", "print", "colorblind")
    assert viz.THEMES == THEMES


@pytest.mark.parametrize("name", THEMES)
def test_neuron_player_frame_and_network_render_on_the_theme_background(name, neuron):
    o, _ = neuron
    background = _rgb(THEME_TABLE[name].background)
    neuron_png = rendering.render_source(draw_graph(o, theme=name, legend=True).source, "png")
    assert _corner(neuron_png) == background
    player = viz.step_through(o, theme=name)
    frame_png = rendering.render_source(player.frame_source(3), "png")
    assert _corner(frame_png) == background
    svg = player.frame_svg(3)
    assert "#e8590c" not in svg or name in ("light",)  # the highlight is the theme's
    assert THEME_TABLE[name].colors["#e8590c"] in svg
    random.seed(0)
    network = viz.draw_network(MLP(2, [3, 1]), theme=name)
    assert _corner(rendering.render_source(network.source, "png")) == background
    html = player._repr_html_()
    assert "cr-player" in html and (name == "light" or "background: white" not in html)
    assert f"background: {THEME_TABLE[name].background}" in html or name == "light"


def test_dark_text_is_light_and_fills_are_dark(neuron):
    o, _ = neuron
    source = draw_graph(o, theme="dark").source
    assert 'fontcolor="#ececec"' in source and 'bgcolor="#1e1e1e"' in source
    light_fills = ("#d4e8f7", "#fde2b8", "#cdeccd", "#f4f4f4", "#ffffff")
    assert not any(f'"{fill}"' in source for fill in light_fills)


def test_print_has_no_fills_and_tells_kinds_apart_by_line_style(neuron):
    o, _ = neuron
    source = draw_graph(o, theme="print").source
    fills = set(part.split('"')[0] for part in source.split('bgcolor="')[1:])
    assert fills == {"#ffffff"}
    assert 'style="dashed"' in source and 'style="rounded"' in source  # inputs, parameters


def test_projector_has_larger_text_and_thicker_lines(neuron):
    o, _ = neuron
    drawing = draw_graph(o, theme="projector")
    assert int(drawing.node_attr["fontsize"]) > 12
    assert float(drawing.edge_attr["penwidth"]) >= 2


def test_recolouring_twice_changes_nothing_more():
    # Player frames recolour an SVG whose graph part is recoloured already.
    text = " ".join(LIGHT) + " bgcolor=white fill=\"white\" background: white #b2182b80"
    for name in THEMES:
        once = themes.recolor(text, name)
        assert themes.recolor(once, name) == once, name


def test_set_theme_is_the_default_and_theme_overrides(neuron):
    o, _ = neuron
    try:
        viz.set_theme("dark")
        assert viz.get_theme() == "dark"
        assert 'bgcolor="#1e1e1e"' in draw_graph(o).source
        assert "bgcolor=white" in draw_graph(o, theme="light").source
    finally:
        viz.set_theme("light")
    assert "bgcolor=white" in draw_graph(o).source


def test_unknown_theme_names_the_choices(neuron):
    o, _ = neuron
    for call in (lambda: viz.set_theme("neon"), lambda: draw_graph(o, theme="neon"),
                 lambda: viz.step_through(o, theme="neon"),
                 lambda: viz.to_tikz(o, theme="neon")):
        with pytest.raises(ValueError, match="unknown theme 'neon'; choose one of light, "
                                             "dark, projector, print, colorblind"):
            call()
    assert viz.get_theme() == "light"


# Machado, Oliveira & Fernandes (2009): deuteranopia, severity 1, on linear RGB.
DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968],
                         [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]])


def _seen_by_deuteranope(color: str) -> np.ndarray:
    c = np.array(_rgb(color)) / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    seen = np.clip(DEUTERANOPIA @ linear, 0, 1)
    return 255 * np.where(seen <= 0.0031308, 12.92 * seen, 1.055 * seen ** (1 / 2.4) - 0.055)


def _sign_contrast(name: str, t: float) -> float:
    with themes.using(name):
        positive, negative = style.grad_color(t, 1.0), style.grad_color(-t, 1.0)
    return float(np.linalg.norm(_seen_by_deuteranope(positive) - _seen_by_deuteranope(negative)))


def test_colorblind_gradient_map_keeps_signs_apart_under_deuteranopia():
    for t in (0.25, 0.5, 1.0):
        assert _sign_contrast("colorblind", t) > 1.3 * _sign_contrast("light", t)
    assert _sign_contrast("colorblind", 0.25) > 45  # a small gradient's sign still shows
    colors = THEME_TABLE["colorblind"].colors
    kinds = [colors[light] for light in ("#d4e8f7", "#fde2b8", "#cdeccd")]  # in, param, out
    seen = [_seen_by_deuteranope(c) for c in kinds]
    assert min(np.linalg.norm(a - b) for a, b in itertools.combinations(seen, 2)) > 50


def test_plots_take_the_theme():
    pytest.importorskip("matplotlib")
    from viz.plots import plot_activations

    figure = plot_activations(["relu"], theme="dark")
    assert figure.get_facecolor()[:3] == pytest.approx(np.array(_rgb("#1e1e1e")) / 255)
    with pytest.raises(ValueError, match="unknown theme"):
        plot_activations(["relu"], theme="sepia")


@pytest.mark.parametrize("theme, colours, dashes, class_map", [
    ("light", ("#1f77b4", "#ff7f0e"), ("-", "-"), "coolwarm"),
    ("print", ("#000000", "#000000"), ("-", "--"), "gray"),
])
def test_plots_draw_in_the_themes_colours(theme, colours, dashes, class_map):
    # No colour of their own: lines follow the theme's cycle (black, told apart by dashes
    # in print), class regions and points the theme's colour map.
    pytest.importorskip("matplotlib")
    from matplotlib.colors import to_hex

    from nn import Linear, logic_gate
    from viz.plots import plot_activations, plot_decision_boundary

    figure = plot_activations(["tanh"], theme=theme)
    lines = [figure.axes[0].lines[0], figure.axes[1].lines[0]]
    assert tuple(to_hex(line.get_color()) for line in lines) == colours
    assert tuple(line.get_linestyle() for line in lines) == dashes
    X, y = logic_gate("xor")
    ax = plot_decision_boundary(Linear(2, 1), X, y, theme=theme).axes[0]
    assert {c.cmap.name for c in ax.collections if c.get_array() is not None} == {class_map}


def test_print_tells_eight_runs_apart_by_their_dashes():
    # plot_history(dict of runs) draws one line per run from the theme's cycle
    matplotlib = pytest.importorskip("matplotlib")
    from viz.themes import plot_context

    with plot_context("print"):
        cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()
    assert set(cycle["color"]) == {"#000000"}
    assert len({str(dash) for dash in cycle["linestyle"]}) == 8


def test_dark_player_page_is_dark_in_a_browser(browser, neuron, tmp_path):
    o, _ = neuron
    url = viz.step_through(o, theme="dark").save_html(tmp_path / "dark.html").resolve().as_uri()
    page = browser.new_page(viewport={"width": 980, "height": 800})
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(url)
    page.click("button[data-action=next]")
    background = page.eval_on_selector("body", "e => getComputedStyle(e).backgroundColor")
    graph = page.eval_on_selector(".cr-graph", "e => getComputedStyle(e).backgroundColor")
    counter = page.eval_on_selector(".cr-counter", "e => getComputedStyle(e).color")
    assert background == graph == "rgb(30, 30, 30)"  # #1e1e1e
    assert counter == "rgb(236, 236, 236)"  # light text: #ececec
    assert page.locator(".cr-current").count() > 0 and not errors
    page.close()


def test_dark_explorer_is_dark_in_a_browser(browser, neuron, tmp_path):
    o, _ = neuron
    explorer = viz.explore(o, theme="dark")
    assert "#2a2a2a" in explorer.picture() and "#ececec" in explorer.picture()  # static too
    page = browser.new_page(viewport={"width": 980, "height": 800})
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(explorer.save_html(tmp_path / "dark.html").resolve().as_uri())
    fills = page.eval_on_selector_all(
        ".cr-explore svg rect", "rs => rs.map(r => getComputedStyle(r).fill)")
    assert "rgb(42, 42, 42)" in fills and "rgb(255, 255, 255)" not in fills  # #2a2a2a boxes
    assert not errors
    page.close()
    with pytest.raises(ValueError, match="unknown theme 'neon'; choose one of light, dark"):
        viz.explore(o, theme="neon")
