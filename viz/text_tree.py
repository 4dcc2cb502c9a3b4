"""The graph as indented text: what a notebook shows when no renderer is installed.

The output is at the top; under each node are the inputs of its operation. A node
reached a second time (a value used twice) is named, not expanded again, so the text
grows with the number of nodes, not the number of paths. Iterative, so deep graphs
do not hit the recursion limit.

    >>> from autograd import Value
    >>> a = Value(2.0, label="a")
    >>> print(text_tree([a * a + 1], lambda n: n.label or n.op))
    x+c
    └── *
        ├── a
        └── a (shown above)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

_MAX_INDENT = 40


def text_tree(roots: Sequence[Any], describe: Callable[[Any], str],
              max_lines: int = 80) -> str:
    """Indented text of the graph under ``roots``; ``describe(node)`` gives each line.

    Stops after ``max_lines`` lines with a note of how much is left out.
    """
    lines: list[str] = []
    shown: set = set()
    # (node, prefix of this line, prefix for its children)
    stack: list[tuple[Any, str, str]] = [(r, "", "") for r in reversed(list(roots))]
    while stack:
        if len(lines) >= max_lines:
            lines.append(f"... (the text stops at {max_lines} lines; the picture shows "
                         f"everything)")
            break
        node, prefix, child_prefix = stack.pop()
        text = describe(node) or "·"
        if len(prefix) > _MAX_INDENT:  # a deep chain would push the text off the screen
            prefix = "… " + prefix[-_MAX_INDENT:]
            child_prefix = "  " + child_prefix[-_MAX_INDENT:]
        if node in shown:
            lines.append(f"{prefix}{text} (shown above)")
            continue
        shown.add(node)
        lines.append(prefix + text)
        parents = list(node.parents)
        for index in reversed(range(len(parents))):
            last = index == len(parents) - 1
            stack.append((parents[index], child_prefix + ("└── " if last else "├── "),
                          child_prefix + ("    " if last else "│   ")))
    return "\n".join(lines)
