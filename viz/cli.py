"""The ``chainrule`` command line.

    chainrule demo                     backprop through a neuron: printed, drawn, replayed;
                                       then an MLP learns XOR
    chainrule graph "tanh(x*w + b)" x=2 w=-3 b=6.88 -o graph.svg [--explain x] [--html F]
    chainrule --version
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any, NoReturn

import autograd
from autograd import Value, explain, topological_order
from autograd.expression import ExpressionError, parse_expression


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments: one clear line on stderr and exit status 2 (not a usage dump)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def fail(prog: str, message: str) -> NoReturn:
    print(f"{prog}: error: {message}", file=sys.stderr)
    raise SystemExit(2)


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

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    o = build_neuron()
    o.backward()
    print("1. One neuron, o = tanh(x1*w1 + x2*w2 + b), after o.backward():\n")
    print_nodes(o)
    w1 = next(n for n in topological_order(o) if n.label == "w1")
    print("\n2. The chain rule for do/dw1, written out:\n")
    print("  " + str(explain(o, wrt=w1)).replace("\n", "\n  "))
    written = [viz.render(o, out / "graph.svg"), viz.render(o, out / "graph.png")]
    player = viz.step_through(build_neuron())
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
    written.append(viz.render(viz.draw_network(model), out / "xor_network.svg"))
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
    """Parse the formula safely, backpropagate, render; optionally explain and replay."""
    import viz

    prog = "chainrule graph"
    variables: dict[str, float] = {}
    for name, value in args.values:
        if name in variables:
            fail(prog, f"{name} is given twice")
        variables[name] = value
    try:
        root = parse_expression(args.expression, variables)
    except ExpressionError as error:
        fail(prog, error.one_line())
    except (ArithmeticError, ValueError) as error:  # e.g. log(-1) with these numbers
        fail(prog, str(error))
    root.label = root.label or "out"
    # the formula's variables, in graph order: checked, printed and explained from one walk
    leaves = {n.label: n for n in topological_order(root) if not n.parents and n.label}
    if args.explain is not None:
        if args.explain not in leaves:
            fail(prog, f"--explain {args.explain}: not a variable of the formula "
                       f"(variables: {', '.join(sorted(leaves)) or 'none'})")
    if args.html:  # the player steps through a fresh pass, so build it before backward
        html = viz.step_through(root).save_html(args.html)
        print(f"wrote {Path(html).resolve()}")
    root.backward()
    print(f"{root.label} = {root.data:.6g}")
    for name, leaf in leaves.items():
        print(f"  d{root.label}/d{name} = {leaf.grad:.6g}")
    if args.explain is not None:
        print(explain(root, wrt=leaves[args.explain]))
    try:
        written = viz.render(root, args.output, rankdir=args.rankdir)
    except (ValueError, RuntimeError, OSError) as error:
        fail(prog, str(error).splitlines()[0])
    print(f"wrote {Path(written).resolve()}")
    return 0


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
    run_demo.add_argument("--epochs", type=int, default=300,
                          help="XOR training epochs (default: 300)")
    run_demo.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    run_demo.add_argument("--quiet", action="store_true", help="no progress bar")
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
    run_graph.set_defaults(run=graph)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    return args.run(args)


def _entry() -> Any:  # pragma: no cover - the console script
    return sys.exit(main())


if __name__ == "__main__":
    sys.exit(main())
