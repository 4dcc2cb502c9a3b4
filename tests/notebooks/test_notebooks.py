"""Every notebook in notebooks/ runs top to bottom in a fresh kernel without an error.

Notebooks are found by glob, so a new one is tested as soon as it is added. Each runs
with the notebooks folder as working directory, in a kernel of the Python running the
tests, with a time limit per cell (``CHAINRULE_NOTEBOOK_TIMEOUT`` seconds, default 300);
a notebook slower than a minute gets a warning.
Outputs are kept in memory only: the files in the repository are not changed.
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
TIMEOUT = int(os.environ.get("CHAINRULE_NOTEBOOK_TIMEOUT", "300"))
BUDGET = 60  # seconds a notebook should take on two cores (a warning, not a failure:
             # a loaded machine is slower)


def run(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Execute in a fresh ``python3`` kernel (ipykernel's own: this interpreter)."""
    client = NotebookClient(notebook, timeout=TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    return client.execute()


def test_the_kernel_is_this_python_and_runs_in_the_notebooks_folder():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, sys; print(sys.executable, sys.prefix, os.getcwd(), sep='\\n')")])
    run(notebook)
    executable, prefix, cwd = notebook.cells[0].outputs[0]["text"].splitlines()
    # sys.prefix tells a virtual environment from the interpreter it was made from.
    assert (executable, prefix) == (sys.executable, sys.prefix)
    assert Path(cwd).resolve() == NOTEBOOKS


def test_a_failing_cell_fails_the_run():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    with pytest.raises(Exception, match="ZeroDivisionError"):
        run(notebook)


def test_there_are_notebooks():
    assert PATHS, f"no notebooks found in {NOTEBOOKS}"


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_runs_without_error(path: Path):
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    run(notebook)  # raises CellExecutionError (with the cell and traceback) on any error
    seconds = time.perf_counter() - start
    print(f"{path.name}: {seconds:.1f} s")
    if seconds > BUDGET:
        warnings.warn(f"{path.name} took {seconds:.0f} s to run; notebooks should take under "
                      f"{BUDGET} s (LONG_RUN = False)", stacklevel=1)
