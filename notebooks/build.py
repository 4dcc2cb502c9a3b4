"""Re-execute the curriculum notebooks in place and save them with their outputs.

    .venv/bin/python notebooks/build.py                 # every notebooks/*.ipynb
    .venv/bin/python notebooks/build.py 01 04           # only those whose name starts so
    .venv/bin/python notebooks/build.py --timeout 600   # seconds allowed per cell

Each notebook runs top to bottom in a fresh kernel of this Python (the one running the
script), with the notebooks folder as working directory, exactly as the test suite runs
it (``tests/notebooks/test_notebooks.py``). A notebook that raises is not saved: the
error is printed and the command exits with status 1. The time each one took is
printed, since every notebook should stay under a minute.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = Path(__file__).resolve().parent
# "<viz.notebook.GraphDrawing at 0x7f0e18945a90>": the plain-text twin of an image output
# carries a memory address, which would change the file on every rebuild.
ADDRESS = re.compile(r" at 0x[0-9a-f]+>")


def notebook_paths(prefixes: list[str] | None = None) -> list[Path]:
    """The notebooks in this folder, in order; only names starting with a prefix if given."""
    paths = sorted(HERE.glob("*.ipynb"))
    if prefixes:
        paths = [p for p in paths if any(p.name.startswith(prefix) for prefix in prefixes)]
    return paths


def execute(notebook: nbformat.NotebookNode, timeout: int) -> None:
    """Run every cell of ``notebook`` (outputs are written into it) in a fresh kernel.

    ``kernel_name="python3"`` is ipykernel's own kernel; jupyter_client starts it with
    ``sys.executable``, so the kernel sees the same environment (and chainrule) as we do.
    """
    # No per-cell timestamps, one output per stream: an unchanged notebook rebuilds to the
    # same file.
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            record_timing=False, coalesce_streams=True,
                            resources={"metadata": {"path": str(HERE)}})
    client.execute()


def tidy(notebook: nbformat.NotebookNode) -> None:
    """Drop what changes on every run: cell timestamps left by earlier runs, and memory
    addresses in the text/plain part of outputs that show an image."""
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/plain" in data and any(key.startswith("image/") for key in data):
                data["text/plain"] = ADDRESS.sub(">", data["text/plain"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Execute notebooks/*.ipynb in place, "
                                                 "saving their outputs.")
    parser.add_argument("names", nargs="*", help="only notebooks whose file name starts "
                                                 "with one of these (e.g. 01 02)")
    parser.add_argument("--timeout", type=int, default=300,
                        help="seconds allowed per cell (default 300)")
    args = parser.parse_args(argv)
    paths = notebook_paths(args.names)
    if not paths:
        print(f"no notebooks match {args.names} in {HERE}", file=sys.stderr)
        return 2
    failed = []
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        try:
            execute(notebook, args.timeout)
        except CellExecutionError as error:
            failed.append(path.name)
            print(f"FAILED {path.name}:\n{error}", file=sys.stderr)
            continue
        seconds = time.perf_counter() - start
        tidy(notebook)
        nbformat.write(notebook, path)
        size = path.stat().st_size / 1e6
        print(f"{path.name:50s} {seconds:6.1f} s  {size:5.2f} MB", flush=True)
    if failed:
        print(f"{len(failed)} notebook(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
