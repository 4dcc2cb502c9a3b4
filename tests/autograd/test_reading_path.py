"""README's "How it works" links to lines of the engine; each must still point at what
its text names (edit the line number in README.md when code above it moves)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# [`name`](autograd/file.py#L12): the line must define or contain `name`
CODE_LINK = re.compile(r"\[`([^`]+)`\]\((autograd/[a-z_]+\.py)#L(\d+)\)")


def test_readme_code_links_point_at_what_they_name():
    links = CODE_LINK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(links) >= 5, "README's How it works section lost its links"
    for name, path, number in links:
        lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
        line = lines[int(number) - 1]
        wanted = name.split(".")[-1].split("(")[0]
        assert wanted in line, f"README links `{name}` to {path}#L{number}: {line.strip()!r}"


def test_the_package_says_where_to_start_reading():
    import autograd

    for step in ("value.py", "rules.py", "graph.py", "fast_backward.py"):
        assert step in autograd.__doc__
