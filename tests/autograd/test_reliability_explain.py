"""explain: linear on long chains, wrapped between terms, safe in Markdown."""

import re

import pytest

from autograd import Value, explain, grad, sum_values
from autograd.explain import MAX_FACTORS, WIDTH, markdown_code, markdown_text, wrap


def chain(n, label="x"):
    x = Value(1.0, label=label)
    y = x
    for _ in range(n):
        y = y + 1
    y.label = "L"
    return x, y


def test_a_long_chain_is_explained_node_by_node_with_the_middle_counted():
    x, y = chain(200_000)  # tuple-concatenated paths took a minute here
    explanation = explain(y, wrt=x)
    assert explanation.path_count == 1 and explanation.longest == 200_000
    assert explanation.paths == []
    text = str(explanation)
    assert "the one path from x to L has 200,000 factors: too long to write out" in text
    assert "199,960 more nodes" in text
    assert len(explanation.per_node) == 41
    assert text.splitlines()[-1] == "dL/dx = 1"
    assert max(map(len, text.splitlines())) <= WIDTH


def test_a_path_just_over_the_limit_uses_the_per_node_form():
    x, short = chain(MAX_FACTORS)
    assert len(explain(short, wrt=x).paths) == 1
    x, long = chain(MAX_FACTORS + 1)
    explanation = explain(long, wrt=x)
    assert explanation.paths == [] and len(explanation.per_node) == MAX_FACTORS + 1
    assert explanation.total == 1.0


def test_long_sums_wrap_between_terms_never_inside_a_name():
    names = [f"weight_number_{i}_of_the_hidden_layer" for i in range(5)]
    x = Value(0.5, label="input_value_x")
    terms = []
    for name in names:
        w = Value(2.0, label=name)
        term = x * w
        term.label = f"{name}_times_x"
        terms.append(term)
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    out = total.tanh()
    out.label = "output"
    explanation = explain(out, wrt=x)
    lines = str(explanation).splitlines()
    assert len(lines) > 3  # it did wrap
    assert all(len(line) <= WIDTH for line in lines)
    every_name = set(re.findall(r"d\(?([A-Za-z_0-9]+)\)?", " ".join(lines)))
    for name in names:
        assert f"{name}_times_x" in every_name  # whole on one line each time
    # unwrapped, the symbolic part is the plain sum over paths
    symbolic = []
    for line in lines:
        if line.lstrip().startswith("= "):
            break
        symbolic.append(line.strip())
    assert " ".join(symbolic).count(" + ") == 4
    assert explanation.total == pytest.approx(grad(out, [x])[0])


def test_wrap_keeps_an_overlong_name_whole():
    name = "n" * 120
    assert wrap(f"y = {name} + b", " + ", 40, "  ") == [f"y = {name}", "  + b"]
    assert wrap("y = a · b · c", " + ", 9, "  ") == ["y = a · b", "    · c"]


HOSTILE = ["<img src=x onerror=alert(1)>", "a|b", "```", "*bold*", "[link](http://x)",
           "x & y", "`tick`"]


@pytest.mark.parametrize("label", HOSTILE)
def test_markdown_escapes_labels(label):
    a = Value(2.0, label=label)
    b = Value(3.0, label="b")
    c = a * b
    c.label = label + "2"
    markdown = explain(c, wrt=a)._repr_markdown_()
    fence = markdown.split("\n", 1)[0]
    assert set(fence) == {"`"} and len(fence) >= 3
    body, rest = markdown[len(fence) + 1:].split("\n" + fence + "\n", 1)
    assert fence not in body  # the fence is longer than any backtick run inside
    assert "<img" not in rest and "](" not in rest.replace("\\](", "")
    table = rest.strip().split("\n\n")[0]  # the maths ($$ block) follows the table
    for row in table.splitlines()[2:]:  # the table: exactly 3 cells per row
        cells = re.split(r"(?<!\\)\|", row)
        assert len(cells) == 5, row


def test_markdown_helpers():
    assert markdown_text("a<b>&c") == "a&lt;b&gt;&amp;c"
    assert markdown_code("d|a|/da = sign(a)") == "`d\\|a\\|/da = sign(a)`"
    assert markdown_code("`x`") == "`` `x` ``"


def test_a_node_with_thousands_of_consumers_shows_a_few_terms_and_counts_the_rest():
    x = Value(2.0, label="x")
    y = sum_values([x * float(i) for i in range(5_000)])
    y.label = "L"
    explanation = explain(y, wrt=x)
    text = str(explanation)
    assert "(4,994 more terms)" in text
    assert len(text.splitlines()) < 50 and max(map(len, text.splitlines())) <= WIDTH
    assert explanation.total == pytest.approx(sum(range(5_000)))


def test_the_root_with_respect_to_itself_is_the_seed():
    a = Value(2.0, label="a")
    b = a * a
    b.label = "b"
    assert str(explain(b, wrt=b)) == "db/db = 1    (the seed: backward starts here)"
    assert explain(b, wrt=b).total == 1.0
    markdown = explain(b, wrt=b)._repr_markdown_()
    assert "| local derivative |" not in markdown  # no edges, no empty table
    assert r"&= 1 && \mbox{(the seed: backward starts here)}" in explain(b, wrt=b).latex()
