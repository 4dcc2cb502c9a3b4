"""The chainrule command line: graph, demo, help and bad arguments."""

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from viz.cli import main


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "viz.cli", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_graph_renders_backpropagates_and_explains(tmp_path, capsys):
    out = tmp_path / "graph.svg"
    assert main(["graph", "tanh(x*w + b)", "x=2", "w=-3", "b=6.8813735870195432",
                 "-o", str(out), "--explain", "x"]) == 0
    printed = capsys.readouterr().out
    assert "out = 0.707107" in printed
    assert "dout/dx = -1.5" in printed and "dout/dw = 1" in printed
    assert "dout/dx = dout/dv2 · dv2/dv1 · dv1/dx" in printed  # the explained chain
    svg = ET.parse(out).getroot()
    texts = " ".join(t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert "tanh" in texts and "-1.5" in texts


@pytest.mark.parametrize("args, words", [
    (["graph", "x.__class__", "x=1"], ["attribute access", "'x.__class__'"]),
    (["graph", "__import__('os')", "x=1"], ["only these functions"]),
    (["graph", "x + y", "x=1"], ["unknown variable 'y'"]),
    (["graph", "x", "x=abc"], ["not a number"]),
    (["graph", "x", "2=x"], ["expected NAME=NUMBER"]),
    (["graph", "x", "x=1", "x=2"], ["x is given twice"]),
    (["graph", "log(x)", "x=-1"], ["log(-1.0)", "positive"]),
    (["graph", "x", "x=1", "--explain", "q"], ["--explain q", "not a variable"]),
    (["graph", "x", "x=1", "-o", "graph.gif"], ["gif"]),
    (["graph", "x", "x=inf"], ["finite"]),
    (["bogus"], ["invalid choice"]),
    (["demo", "--epochs", "many"], ["invalid int value"]),
])
def test_bad_arguments_exit_2_with_one_clear_line(args, words, tmp_path):
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]


def test_help_documents_every_option():
    top = run_cli("--help").stdout
    assert "demo" in top and "graph" in top and "--version" in top
    graph_help = run_cli("graph", "--help").stdout
    for option in ("--output", "--explain", "--html", "--rankdir", "NAME=NUMBER"):
        assert option in graph_help
    demo_help = run_cli("demo", "--help").stdout
    for option in ("--out", "--epochs", "--seed", "--quiet"):
        assert option in demo_help


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("chainrule ")
