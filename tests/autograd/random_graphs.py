"""Random expression graphs over every scalar operation, for property tests.

A random program applies operations to a growing pool of nodes (operands are drawn
from the whole pool, so nodes fan out and the graph is a true DAG). An operation whose
operands fall outside its domain, or next to a kink, is swapped for tanh, which is
smooth everywhere; that keeps finite differences meaningful without discarding examples.
"""

from operator import methodcaller

from hypothesis import strategies as st

from autograd import dot, sum_values

KINK = 1e-3  # finite differences are meaningless this close to a corner


def away_from_zero(x):
    return abs(x) > KINK


UNARY = {
    "neg": (lambda x: -x, lambda x: True),
    "abs": (abs, away_from_zero),
    "exp": (methodcaller("exp"), lambda x: x < 8),
    "log": (methodcaller("log"), lambda x: x > 0.1),
    "sqrt": (methodcaller("sqrt"), lambda x: x > 0.1),
    "tanh": (methodcaller("tanh"), lambda x: True),
    "sigmoid": (methodcaller("sigmoid"), lambda x: True),
    "relu": (methodcaller("relu"), away_from_zero),
    "leaky_relu": (lambda x: x.leaky_relu(0.05), away_from_zero),
    "step": (methodcaller("step"), away_from_zero),
    "sin": (methodcaller("sin"), lambda x: True),
    "cos": (methodcaller("cos"), lambda x: True),
    "square": (lambda x: x ** 2, lambda x: True),
    "power 1.5": (lambda x: x ** 1.5, lambda x: x > 0.1),
    "reciprocal": (lambda x: x ** -1, lambda x: abs(x) > 0.1),
    # a plain number on either side: folded into one node (rules x+c, c-x, x*c, ...)
    "x + 1.5": (lambda x: x + 1.5, lambda x: True),
    "2 + x": (lambda x: 2 + x, lambda x: True),
    "x - 0.5": (lambda x: x - 0.5, lambda x: True),
    "2.5 - x": (lambda x: 2.5 - x, lambda x: True),
    "x * -0.7": (lambda x: x * -0.7, lambda x: True),
    "3 * x": (lambda x: 3 * x, lambda x: True),
    "x / 1.3": (lambda x: x / 1.3, lambda x: True),
    "1.3 / x": (lambda x: 1.3 / x, lambda x: abs(x) > 0.1),
    "2 ** x": (lambda x: 2 ** x, lambda x: x < 8),
    "0.5 ** x": (lambda x: 0.5 ** x, lambda x: x > -8),
}
BINARY = {
    "+": (lambda a, b: a + b, lambda a, b: True),
    "-": (lambda a, b: a - b, lambda a, b: True),
    "*": (lambda a, b: a * b, lambda a, b: True),
    "/": (lambda a, b: a / b, lambda a, b: abs(b) > 0.1),
    "pow": (lambda a, b: a ** b, lambda a, b: 0.1 < a < 10 and abs(b) < 3),
    "dot": (lambda a, b: dot([a, b], [b, 0.5], bias=a), lambda a, b: True),
    "sum": (lambda a, b: sum_values([a, b, a]), lambda a, b: True),
}

instruction = st.one_of(
    st.tuples(st.sampled_from(sorted(UNARY)), st.integers(0, 10**6)),
    st.tuples(st.sampled_from(sorted(BINARY)), st.integers(0, 10**6), st.integers(0, 10**6)),
)
program_strategy = st.lists(instruction, min_size=1, max_size=12)
inputs_strategy = st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=3)


def run(program, inputs, decisions):
    """Execute ``program`` on ``inputs`` (Values, or dual numbers once decided).

    ``decisions`` says, per instruction, whether its operation is applied (else tanh)
    and whether its result is squashed by tanh (large magnitudes lose float64
    precision in finite differences). The first run fills it at the point being
    checked; runs at x ± eps reuse it, so every run computes the same smooth function.
    """
    pool = list(inputs)
    for step, (name, *operands) in enumerate(program):
        args = [pool[i % len(pool)] for i in operands]
        fn, in_domain = (UNARY if len(args) == 1 else BINARY)[name]
        deciding = len(decisions) <= step
        if deciding:
            decisions.append([in_domain(*[a.data for a in args]), False])
        if not decisions[step][0]:
            fn = lambda a, *_: a.tanh()  # noqa: E731
        out = fn(*args)
        if deciding:
            decisions[step][1] = abs(out.data) > 1e3
        if decisions[step][1]:
            out = out.tanh()
        pool.append(out)
    total = pool[len(inputs)]
    for node in pool[len(inputs) + 1:]:
        total = total + node
    return total
