"""The ``chainrule`` command: ``chainrule demo``, ``chainrule --version``."""

from __future__ import annotations

import argparse
import sys

import autograd
from autograd import Value, topological_order


def demo(args: argparse.Namespace) -> int:
    """Build one tanh neuron, backpropagate, and print every node's value and gradient."""
    x1, x2 = Value(2.0, label="x1", role="input"), Value(0.0, label="x2", role="input")
    w1, w2 = Value(-3.0, label="w1", role="parameter"), Value(1.0, label="w2", role="parameter")
    b = Value(6.8813735870195432, label="b", role="parameter")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    print("o = tanh(x1*w1 + x2*w2 + b), after o.backward():\n")
    print(f"{'node':<8}{'op':<8}{'data':>10}{'grad':>10}")
    for node in topological_order(o):
        print(f"{node.label or '·':<8}{node.op or 'leaf':<8}{node.data:>10.4f}{node.grad:>10.4f}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chainrule", description="Watch the chain rule work: graphs, gradients, backprop.")
    parser.add_argument("--version", action="version", version=f"chainrule {autograd.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run_demo = commands.add_parser("demo", help="backpropagate through a neuron and show it")
    run_demo.set_defaults(run=demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
