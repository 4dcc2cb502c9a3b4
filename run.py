"""The two commands of the quick start: ``python3 run.py demo`` and ``python3 run.py test``.

Each makes a virtual environment in ``.venv`` (once), installs chainrule into it with
the extras it needs (again only when ``pyproject.toml`` changes), then runs. Only the
standard library is used here, so a fresh machine with Python 3.10+ and pip is enough.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")

EXTRAS = {"demo": "plots", "test": "test"}


def ensure_environment(extra: str) -> None:
    if sys.version_info < (3, 10):  # noqa: UP036 - this file may be run by an older Python
        sys.exit(f"chainrule needs Python 3.10 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    recipe = (ROOT / "pyproject.toml").read_bytes() + extra.encode()
    stamp = VENV / f".chainrule-{extra}"
    digest = hashlib.sha256(recipe).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"installing chainrule[{extra}] into {VENV} ...", flush=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-e", f"{ROOT}[{extra}]"], check=True)
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in EXTRAS:
        print("usage: python3 run.py demo [options]   |   python3 run.py test [pytest options]",
              file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_environment(EXTRAS[command])
    if command == "demo":
        program = [str(PYTHON), "-m", "viz.cli", "demo", *rest]
    else:
        program = [str(PYTHON), "-m", "pytest", *rest]
    return subprocess.run(program, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
