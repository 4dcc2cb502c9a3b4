"""The ``chainrule`` command line.

    chainrule demo                     backprop through a neuron: printed, drawn, replayed;
                                       then an MLP learns XOR
    chainrule graph "tanh(x*w + b)" x=2 w=-3 b=6.88 -o graph.svg [--explain x] [--html F]
                                       [--theme dark]
    chainrule --version
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import autograd
from autograd import Value, explain, topological_order
from autograd.expression import ExpressionError, parse_expression

from . import layout
from .themes import THEMES


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments: one clear line on stderr and exit status 2 (not a usage dump)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def fail(prog: str, message: str, status: int = 2) -> NoReturn:
    """One line on stderr; status 2 for a bad argument, 1 for a failure while working."""
    print(f"{prog}: error: {' '.join(str(message).split())}", file=sys.stderr)
    raise SystemExit(status)


# The command answers within a minute whatever it is given: a renderer still laying
# out by then is stopped (subprocess.run kills its child when interrupted).
TIME_LIMIT_SECONDS = 50.0
MAX_EPOCHS = 10_000  # ~1 ms each: the XOR demo stays well inside the time limit


class TimeLimitExceeded(Exception):
    """The command ran past ``TIME_LIMIT_SECONDS``."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``TimeLimitExceeded`` in this thread after ``seconds`` (where SIGALRM exists)."""
    if (not hasattr(signal, "SIGALRM") or seconds <= 0
            or threading.current_thread() is not threading.main_thread()):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise TimeLimitExceeded(f"took over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def writable_file(prog: str, option: str, path: Path) -> Path:
    """``path`` can be created: its folder exists and is writable, and it is no folder."""
    if path.is_dir():
        fail(prog, f"{option} {path}: is a folder; give a file name inside it")
    folder = path.parent
    if not folder.is_dir():
        fail(prog, f"{option} {path}: the folder {folder} does not exist; create it first")
    if not os.access(folder, os.W_OK):
        fail(prog, f"{option} {path}: the folder {folder} is not writable")
    return path


def writable_folder(prog: str, option: str, path: Path) -> Path:
    """``path`` is a folder, or can be made in the nearest existing (writable) folder."""
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        fail(prog, f"{option} {path}: {existing} is a file, not a folder; choose another "
                   f"folder name")
    if not os.access(existing, os.W_OK):
        fail(prog, f"{option} {path}: the folder {existing} is not writable")
    return path


def partial_name(path: Path) -> Path:
    """Where ``path`` is written first (same folder and suffix), renamed when all is done."""
    return path.with_name(f".{path.stem}.partial{path.suffix}")


def int_between(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an int in [low, high], else one line saying the range."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"invalid int value: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range: give {low} .. {high:,}")
        return value
    return parse


# --- demo ------------------------------------------------------------------------------
def build_neuron() -> Value:
    """micrograd's worked neuron: o = tanh(x1·w1 + x2·w2 + b), with o = 0.7071."""
    x1, x2 = Value(2.0, label="x1", role="input"), Value(0.0, label="x2", role="input")
    w1 = Value(-3.0, label="w1", role="parameter")
    w2 = Value(1.0, label="w2", role="parameter")
    b = Value(6.8813735870195432, label="b", role="parameter")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def print_nodes(root: Value) -> None:
    print(f"  {'node':<15}{'op':<7}{'data':>9}{'grad':>9}")
    for node in topological_order(root):
        print(f"  {node.label or '·':<15}{node.op or 'leaf':<7}{node.data:>9.4f}"
              f"{node.grad:>9.4f}")


def demo(args: argparse.Namespace) -> int:
    """Neuron -> backward -> graph.svg, graph.png, player HTML; then XOR with an MLP."""
    import viz
    from nn import MLP, SGD, fit, logic_gate, manual_seed, mse

    from .rendering import HOW_TO_GET_A_RENDERER, find_renderer

    out = writable_folder("chainrule demo", "--out", Path(args.out))
    if find_renderer("png") is None:
        fail("chainrule demo", f"no renderer for the pictures: {HOW_TO_GET_A_RENDERER}")
    out.mkdir(parents=True, exist_ok=True)
    o = build_neuron()
    o.backward()
    print("1. One neuron, o = tanh(x1*w1 + x2*w2 + b), after o.backward():\n")
    print_nodes(o)
    w1 = next(n for n in topological_order(o) if n.label == "w1")
    print("\n2. The chain rule for do/dw1, written out:\n")
    print("  " + str(explain(o, wrt=w1)).replace("\n", "\n  "))
    written = [viz.render(o, out / "graph.svg", theme=args.theme),
               viz.render(o, out / "graph.png", theme=args.theme)]
    player = viz.step_through(build_neuron(), theme=args.theme)
    written.append(player.save_html(out / "backprop.html"))
    print(f"\n3. Backprop one edge at a time: {len(player)} steps (open backprop.html).")

    print("\n4. An MLP learns XOR (one perceptron cannot):\n")
    manual_seed(args.seed)
    X, y = logic_gate("xor")
    model = MLP(2, [8, 1], activation="tanh")
    history = fit(model, X, y, loss=mse, optimizer=SGD(model.parameters(), lr=0.1),
                  epochs=args.epochs, batch_size=4, metrics=["accuracy"],
                  progress=not args.quiet)
    print(f"  final loss {history['loss'][-1]:.4f}, accuracy {history['accuracy'][-1]:.0%}")
    written.append(viz.render(viz.draw_network(model, theme=args.theme),
                              out / "xor_network.svg"))
    print("\nWrote:")
    for path in written:
        print(f"  {Path(path).resolve()}")
    return 0


# --- graph -----------------------------------------------------------------------------
def parse_assignment(text: str) -> tuple[str, float]:
    name, sep, number = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=NUMBER, e.g. x=2.0, got {text!r}")
    try:
        value = float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name}={number!r}: not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{name}={number}: give a finite number")
    return name, value


def graph(args: argparse.Namespace) -> int:
    """Parse the formula safely, backpropagate, render; optionally explain and replay.

    Every argument is checked before any work; the files are written under temporary
    names and renamed only when all of them are done, so a failure leaves nothing.
    """
    import viz

    from .rendering import HOW_TO_GET_A_RENDERER, find_renderer, format_from_path

    prog = "chainrule graph"
    variables: dict[str, float] = {}
    for name, value in args.values:
        if name in variables:
            fail(prog, f"{name} is given twice")
        variables[name] = value
    output = writable_file(prog, "-o", Path(args.output))
    try:
        format = format_from_path(output)
    except ValueError as error:
        fail(prog, f"-o {output}: {error}")
    renderer = find_renderer(format)
    if renderer is None or format not in renderer.formats:
        fail(prog, f"-o {output}: no renderer here writes {format}; save as .svg or .png, "
                   f"or {HOW_TO_GET_A_RENDERER}")
    html = writable_file(prog, "--html", Path(args.html)) if args.html else None
    if html is not None and html.resolve() == output.resolve():
        fail(prog, f"--html and -o are the same file ({output}); give two names")
    try:
        root = parse_expression(args.expression, variables)
    except ExpressionError as error:
        fail(prog, error.one_line())
    except (ArithmeticError, ValueError) as error:  # e.g. log(-1) with these numbers
        fail(prog, str(error))
    root.label = root.label or "out"
    # the formula's variables, in graph order: checked, printed and explained from one walk
    leaves = {n.label: n for n in topological_order(root) if not n.parents and n.label}
    if args.explain is not None and args.explain not in leaves:
        fail(prog, f"--explain {args.explain}: not a variable of the formula "
                   f"(variables: {', '.join(sorted(leaves)) or 'none'})")
    crossings = layout.virtual_nodes(topological_order(root)) if html is not None else 0
    if crossings > layout.MAX_VIRTUAL_NODES:  # the player's own limit, checked before work
        fail(prog, f"--html: this formula's player would take minutes to lay out (its edges "
                   f"cross {crossings:,} ranks, more than {layout.MAX_VIRTUAL_NODES:,}); "
                   f"draw it with -o alone, or step through a smaller formula")

    partials = [partial_name(output)] + ([partial_name(html)] if html else [])
    try:
        if html is not None:  # the player steps through a fresh pass, so before backward
            viz.step_through(root, theme=args.theme).save_html(partial_name(html))
        root.backward()
        print(f"{root.label} = {root.data:.6g}")
        for name, leaf in leaves.items():
            print(f"  d{root.label}/d{name} = {leaf.grad:.6g}")
        if args.explain is not None:
            print(explain(root, wrt=leaves[args.explain]))
        viz.render(root, partial_name(output), rankdir=args.rankdir, theme=args.theme)
        for partial, final in zip(partials, [output, html]):
            partial.replace(final)
    except OSError as error:  # a full disk, a folder that went away, ...
        names = " or ".join(str(path) for path in (output, html) if path is not None)
        fail(prog, f"cannot write {names}: {error.strerror or error}; nothing was written",
             status=1)
    except (ValueError, RuntimeError, TimeLimitExceeded) as error:
        fail(prog, _failure(error), status=1)
    finally:
        for partial in partials:
            partial.unlink(missing_ok=True)
    if html is not None:
        print(f"wrote {html.resolve()}")
    print(f"wrote {output.resolve()}")
    return 0


def _failure(error: BaseException) -> str:
    """One line for an error met while working: its kind and its first line."""
    if isinstance(error, TimeLimitExceeded):
        return (f"stopped: the command {error} (graph layout is slow for this formula); "
                f"draw a smaller formula")
    if type(error).__name__ == "GraphTooLargeError":  # its advice is for the Python API
        return f"{str(error).split(';')[0]}: too large to draw here; split the formula"
    if isinstance(error, OSError) and error.strerror:
        where = f" ({error.filename})" if error.filename else ""
        return f"cannot write{where}: {error.strerror}"
    first = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def add_theme(command: argparse.ArgumentParser) -> None:
    command.add_argument("--theme", default="light", choices=THEMES,
                         help=f"colours of the pictures: {', '.join(THEMES)} (default: light)")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="chainrule",
        description="Watch the chain rule work: graphs with values and gradients, "
                    "backprop step by step.")
    parser.add_argument("--version", action="version", version=f"chainrule {autograd.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND",
                                     parser_class=OneLineParser)

    run_demo = commands.add_parser(
        "demo", help="backprop through a neuron (printed, drawn, replayed), then learn XOR",
        description="Build a tanh neuron, backpropagate, print each node's value and "
                    "gradient, write graph.svg, graph.png and a backprop player "
                    "(backprop.html), then train an MLP on XOR.")
    run_demo.add_argument("--out", default="chainrule-demo", metavar="DIR",
                          help="folder for the files written (default: chainrule-demo)")
    run_demo.add_argument("--epochs", type=int_between(1, MAX_EPOCHS), default=300,
                          help=f"XOR training epochs, 1 .. {MAX_EPOCHS:,} (default: 300)")
    run_demo.add_argument("--seed", type=int_between(0, 2**32 - 1), default=0,
                          help="random seed, 0 .. 2**32-1 (default: 0)")
    run_demo.add_argument("--quiet", action="store_true", help="no progress bar")
    add_theme(run_demo)
    run_demo.set_defaults(run=demo)

    run_graph = commands.add_parser(
        "graph", help="draw the graph of a formula with values and gradients",
        description="Parse FORMULA (numbers, variables, + - * / **, unary minus and the "
                    "functions exp log sqrt tanh sigmoid relu leaky_relu step sin cos abs; "
                    "nothing is evaluated as Python), backpropagate and render it.",
        epilog='example: chainrule graph "tanh(x*w + b)" x=2 w=-3 b=6.88 -o graph.svg')
    run_graph.add_argument("expression", metavar="FORMULA", help='e.g. "tanh(x*w + b)"')
    run_graph.add_argument("values", metavar="NAME=NUMBER", nargs="*", type=parse_assignment,
                           help="a value for each variable, e.g. x=2")
    run_graph.add_argument("-o", "--output", default="graph.svg", metavar="FILE",
                           help="image to write: .svg, .png or .pdf (default: graph.svg)")
    run_graph.add_argument("--explain", metavar="NAME",
                           help="print the chain-rule derivation of d(out)/d(NAME)")
    run_graph.add_argument("--html", metavar="FILE",
                           help="also write the step-by-step backprop player to FILE")
    run_graph.add_argument("--rankdir", default="LR", choices=["LR", "TB", "RL", "BT"],
                           help="direction of the drawing (default: LR, left to right)")
    add_theme(run_graph)
    run_graph.set_defaults(run=graph)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    prog = f"chainrule {args.command}"
    try:  # (tests shorten the limit through the environment)
        seconds = float(os.environ.get("CHAINRULE_CLI_TIME_LIMIT", TIME_LIMIT_SECONDS))
    except ValueError:
        seconds = TIME_LIMIT_SECONDS
    try:
        with time_limit(seconds):
            return args.run(args)
    except (ValueError, RuntimeError, OSError, TimeLimitExceeded) as error:
        fail(prog, _failure(error), status=1)
    except Exception as error:  # never a traceback on the command line
        fail(prog, f"unexpected {_failure(error)} (please report this)", status=1)


def _entry() -> Any:  # pragma: no cover - the console script
    return sys.exit(main())


if __name__ == "__main__":
    sys.exit(main())
