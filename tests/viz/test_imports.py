"""The modules of ``viz`` import one way: no module reaches back to one that imports it."""

from __future__ import annotations

import ast
from pathlib import Path

import viz

FOLDER = Path(viz.__file__).parent


def local_imports(path: Path) -> set[str]:
    """The ``viz`` modules a file imports, anywhere in it (a function-level import is a
    cycle too, only hidden)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("viz."):
            found.add(node.module.split(".")[1])
    return found


def test_viz_modules_have_no_import_cycles():
    graph = {p.stem: local_imports(p) for p in FOLDER.glob("*.py") if p.stem != "__init__"}
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        if state.get(module) == "done":
            return
        assert state.get(module) != "open", "import cycle: " + " -> ".join(path + [module])
        state[module] = "open"
        for other in sorted(graph.get(module, ())):
            visit(other, path + [module])
        state[module] = "done"

    for module in sorted(graph):
        visit(module, [])
    assert "draw" in graph["files"] and "collapse" in graph["draw"]  # the old cycles' ends
