"""Helpers for the tests that compile LaTeX and open PDFs (not a test module).

``pdflatex`` (Debian's texlive-latex-base, -latex-recommended, -pictures) and
``pdftoppm`` (poppler-utils) are system programs: without them these tests skip with a
message, except under CI (CI=true), where they fail: .ci/run installs them first.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from autograd import Value
from viz.tikz import compile_pdf, document


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(program: str, package: str) -> str:
    """The path of ``program``; skip (fail under CI) when it is missing."""
    found = shutil.which(program)
    if found is None:
        message = f"{program} is not installed (apt-get install {package})"
        if _in_ci():
            pytest.fail(message + " — CI must run this test (.ci/run installs it)")
        pytest.skip(message)
    return found


def require_pdflatex() -> None:
    require("pdflatex", "texlive-latex-base texlive-latex-recommended texlive-pictures")


def compile_pages(pages: list[str], preamble: str = "") -> bytes:
    """One pdflatex run for many pictures or formulas: each on its own page."""
    require_pdflatex()
    body = "\n\\clearpage\n".join(f"\\noindent\n{page}" for page in pages)
    # Pages large enough for any picture at its natural size: one picture, one page.
    big = ("\\paperwidth=1600bp \\paperheight=1600bp \\textwidth=500bp "
           "\\textheight=1500bp \\pdfpagewidth=\\paperwidth \\pdfpageheight=\\paperheight")
    source = "\n".join(["\\documentclass{article}", "\\usepackage{tikz}",
                        "\\usepackage{amsmath}", big, preamble, "\\begin{document}", body,
                        "\\end{document}", ""])
    return compile_pdf(source)


def compile_standalone(body: str) -> bytes:
    require_pdflatex()
    return compile_pdf(document(body))


def pdf_info(pdf: bytes, folder: Path) -> dict[str, str]:
    """poppler's ``pdfinfo`` of ``pdf``: "Pages", "Page size" (in points) ..."""
    program = require("pdfinfo", "poppler-utils")
    source = folder / "info.pdf"
    source.write_bytes(pdf)
    done = subprocess.run([program, str(source)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    return dict(re.findall(r"^([^:]+):\s*(.*)$", done.stdout.decode(), re.M))


def page_count(pdf: bytes, folder: Path) -> int:
    return int(pdf_info(pdf, folder)["Pages"])


def rasterize(pdf: bytes, folder: Path, dpi: int = 40, page: int = 1):
    """Page ``page`` of ``pdf`` as a PIL image, read by poppler's pdftoppm."""
    from PIL import Image

    program = require("pdftoppm", "poppler-utils")
    source = folder / "in.pdf"
    source.write_bytes(pdf)
    done = subprocess.run([program, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                           str(source), str(folder / "page")], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    (image,) = sorted(folder.glob("page*.png"))
    picture = Image.open(image).convert("RGB")
    picture.load()
    image.unlink()
    return picture


def two_paths(a: Value | None = None, b: Value | None = None) -> Value:
    """L = c + a with c = a * b: two paths from a to L (dL/da = b + 1 = -2)."""
    a = Value(2.0, label="a") if a is None else a
    b = Value(-3.0, label="b") if b is None else b
    c = a * b
    c.label = "c"
    L = c + a
    L.label = "L"
    return L
