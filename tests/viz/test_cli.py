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


def test_graph_takes_a_theme_for_the_picture_and_the_player(tmp_path):
    dark = "#1e1e1e"  # the dark theme's background (viz.themes)
    assert main(["graph", "x*w", "x=2", "w=3", "-o", str(tmp_path / "g.svg"), "--html",
                 str(tmp_path / "p.html"), "--theme", "dark"]) == 0
    svg, page = (tmp_path / "g.svg").read_text(), (tmp_path / "p.html").read_text()
    assert dark in svg.lower() and dark in page.lower()
    assert main(["graph", "x*w", "x=2", "w=3", "-o", str(tmp_path / "light.svg")]) == 0
    assert dark not in (tmp_path / "light.svg").read_text().lower()


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
    for option in ("--output", "--explain", "--html", "--rankdir", "--theme", "NAME=NUMBER"):
        assert option in graph_help
    demo_help = run_cli("demo", "--help").stdout
    for option in ("--out", "--epochs", "--seed", "--quiet", "--theme"):
        assert option in demo_help


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("chainrule ")


# --- nothing written, nothing hung (issue 16) --------------------------------------------
CHAIN_200 = "*".join(["x"] * 200)
CHAIN_240 = "x" + "+1" * 240  # 481 nodes


def files_in(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def assert_one_line_error(result, status, *words):
    assert result.returncode == status, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("args, words", [
    (["graph", "x*x", "x=2", "--html", "missing/p.html"], ["--html", "does not exist"]),
    (["graph", "x*x", "x=2", "--html", "p.html", "-o", "missing/g.svg"],
     ["-o missing/g.svg", "does not exist"]),
    (["graph", "x*x", "x=2", "--html", "p.html", "-o", "g.gif"], ["gif"]),
    (["graph", "x*x", "x=2", "-o", "."], ["is a folder"]),
    (["graph", "x*x", "x=2", "-o", "g.svg", "--html", "g.svg"], ["same file"]),
    (["graph", CHAIN_200, "x=1.001", "--html", "p.html"], ["--html", "minutes to lay out"]),
    (["graph", "x*x", "x=2", "--html", "p.html", "--explain", "q"], ["--explain q"]),
    (["demo", "--epochs", "0"], ["--epochs", "1 .. 10,000"]),
    (["demo", "--epochs", "1000000000"], ["--epochs", "out of range"]),
    (["demo", "--seed", "-1"], ["--seed", "out of range"]),
    (["demo", "--out", "a_file"], ["--out", "is a file, not a folder"]),
    (["demo", "--out", "a_file/inside"], ["--out", "is a file, not a folder"]),
    (["graph", "x*x", "x=2", "--theme", "neon"], ["--theme", "invalid choice", "'dark'"]),
    (["demo", "--theme", "Dark"], ["--theme", "invalid choice"]),
])
def test_bad_arguments_are_refused_before_any_file_is_written(args, words, tmp_path):
    (tmp_path / "a_file").write_text("keep me")
    result = run_cli(*args, cwd=tmp_path)
    assert_one_line_error(result, 2, *words)
    assert files_in(tmp_path) == ["a_file"]
    assert (tmp_path / "a_file").read_text() == "keep me"


def test_a_graph_too_large_to_draw_is_one_line(tmp_path):
    result = run_cli("graph", CHAIN_240, "x=1", "--html", "p.html", cwd=tmp_path)
    assert_one_line_error(result, 1, "481 nodes", "too large to draw")
    assert files_in(tmp_path) == []


def test_a_long_product_draws_as_svg_but_its_player_is_refused(tmp_path):
    result = run_cli("graph", CHAIN_200, "x=1.001", "-o", "g.svg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert files_in(tmp_path) == ["g.svg"]


def test_a_full_disk_is_one_line_and_leaves_no_partial_file(tmp_path):
    resource = pytest.importorskip("resource")
    import signal

    def small_files():  # writes past 2 KB fail with EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    result = subprocess.run([sys.executable, "-m", "viz.cli", "graph", "tanh(x*w)", "x=1",
                             "w=2", "--html", "p.html"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=300, preexec_fn=small_files)
    assert_one_line_error(result, 1, "cannot write", "p.html", "nothing was written")
    assert files_in(tmp_path) == []


def test_a_renderer_that_never_finishes_is_stopped_within_the_time_limit(tmp_path):
    import os
    import time

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_dot = bin_dir / "dot"  # found on PATH first: a layout that never ends
    fake_dot.write_text("#!/bin/sh\nexec sleep 600\n")
    fake_dot.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "CHAINRULE_CLI_TIME_LIMIT": "2"}
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "viz.cli", "graph", "x*x", "x=2",
                             "--html", "p.html"], capture_output=True, text=True, cwd=work,
                            env=env, timeout=120)
    assert time.monotonic() - start < 60
    assert_one_line_error(result, 1, "took over 2 s")
    assert files_in(work) == []
