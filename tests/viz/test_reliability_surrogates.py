"""A label holding a lone surrogate saves as U+FFFD, as render() already does."""

import xml.etree.ElementTree as ET

from autograd import Value
from viz import step_through


def surrogate_graph():
    x = Value(2.0, label="x\ud800")
    y = x * x
    y.label = "y\udfff"
    return y


def test_save_html_with_a_lone_surrogate(tmp_path):
    path = step_through(surrogate_graph()).save_html(tmp_path / "p.html")
    text = path.read_text(encoding="utf-8")
    assert "x\ufffd" in text and "\ud800" not in text


def test_save_frames_with_a_lone_surrogate(tmp_path):
    paths = step_through(surrogate_graph()).save_frames(tmp_path)
    assert len(paths) == 3
    for path in paths:
        root = ET.parse(path).getroot()  # valid XML
        texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert "x\ufffd" in texts
