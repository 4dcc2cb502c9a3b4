"""The HTML player file: self-contained (nothing fetched), and every label escaped."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

from autograd import Value
from viz import step_through
from viz.player_html import fragment, page, script_json

# Ends the script, opens another, injects an element with a handler, breaks JSON
# strings in old engines (U+2028/9), closes CDATA and comments, and quotes both ways.
NASTY = ("</script><script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">"
         "&amp; \u2028\u2029 ]]> --> 'q' \"q\" <!--")


class Parsed(HTMLParser):
    """Every start tag with its attributes, the text of each script, and all text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.texts: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.texts.append(data)


def nasty_graph() -> tuple[Value, Value]:
    a = Value(2.0, label=NASTY)
    b = Value(-3.0, label="b")
    out = a * b
    out.label = "out " + NASTY
    return out, a


def test_a_label_holding_markup_or_a_closing_script_tag_stays_text():
    out, a = nasty_graph()
    player = step_through(out)
    document = page(player)
    parsed = Parsed(document)
    tags = [tag for tag, _ in parsed.tags]
    assert tags.count("script") == 2  # the data and the player's own code, nothing else
    assert "img" not in tags
    assert not [name for _, attrs in parsed.tags for name in attrs if name.startswith("on")]
    assert "window.pwned" not in parsed.scripts[1]
    # the data reads back exactly, label included
    data = json.loads(parsed.scripts[0])
    assert player.steps[0].parent is a
    assert data["frames"][1]["caption"] == list(player.caption(1))
    assert NASTY in data["frames"][1]["caption"][0]
    assert not re.search("[<>&\u2028\u2029]", parsed.scripts[0])
    # the SVG and the title show it as text
    assert any(NASTY in text for text in parsed.texts)
    assert f"chainrule: backprop through out {NASTY}, step by step" in parsed.texts


def test_a_placeholder_like_label_is_not_substituted():
    a = Value(1.0, label="__CR_DATA__ __CR_ID__")
    player = step_through(a * 2)
    html = fragment(player)
    assert html.count("__CR_DATA__ __CR_ID__") >= 1
    assert 'id="cr-player-' in html


def test_frame_svgs_with_nasty_labels_are_well_formed_xml():
    out, _ = nasty_graph()
    player = step_through(out)
    for frame in range(len(player) + 1):
        svg = ET.fromstring(player.frame_svg(frame))
        assert any(NASTY in (t.text or "") for t in svg.iter())


def test_script_json_escapes_what_could_end_the_script():
    text = script_json({"x": "</script>&\u2028\u2029"})
    assert text == '{"x": "\\u003c/script\\u003e\\u0026\\u2028\\u2029"}'
    assert json.loads(text) == {"x": "</script>&\u2028\u2029"}


def test_saved_page_fetches_nothing(tmp_path, neuron):
    o, _ = neuron
    path = step_through(o).save_html(tmp_path / "backprop.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backprop.html"]
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    # the only URLs are XML namespace names, which browsers never fetch
    assert set(re.findall(r"https?://[^\s\"'<>]+", text)) <= {
        "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    for fetches in (r"\bsrc\s*=", r"\bhref\s*=", r"<link\b", r"@import", r"url\(",
                    r"<iframe\b", r"\bfetch\(", r"XMLHttpRequest", r"import\("):
        assert not re.search(fetches, text), fetches
    assert "<svg" in text and "step 0 / 9" in text


def test_the_template_is_package_data():
    assert resources.files("viz").joinpath("player_template.html").is_file()
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    # without this an installed (non-editable) chainrule would have no template
    assert re.search(r'\[tool\.setuptools\.package-data\]\s*\nviz = \["\*\.html"\]', pyproject)
