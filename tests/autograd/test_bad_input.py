"""Bad input gets a clear error that names the value and the operation."""

import pytest

from autograd import GradcheckError, Value, gradcheck

CASES = [
    (lambda: Value("3"), TypeError, ["'3'", "str", "number"]),
    (lambda: Value(None), TypeError, ["None", "number"]),
    (lambda: Value([1, 2]), TypeError, ["[1, 2]", "Tensor"]),
    (lambda: Value(2) + "x", TypeError, ["'x'", "+"]),
    (lambda: "x" * Value(2), TypeError, ["'x'", "*"]),
    (lambda: Value(-1).log(), ValueError, ["log(-1.0)", "positive"]),
    (lambda: Value(0).log(), ValueError, ["log(0.0)", "positive"]),
    (lambda: Value(0) ** -1, ZeroDivisionError, ["0.0 ** -1.0", "negative power"]),
    (lambda: Value(1) / 0, ZeroDivisionError, ["1.0 / 0.0", "division by zero"]),
    (lambda: Value(1000).exp(), OverflowError, ["exp(1000.0)", "too large"]),
    (lambda: Value(-4).sqrt(), ValueError, ["sqrt(-4.0)", ">= 0"]),
    (lambda: Value(2) ** "a", TypeError, ["'a'", "exponent"]),
    (lambda: Value(2).backward("x"), TypeError, ["'x'", "seed gradient"]),
    (lambda: Value(-8) ** 0.5, ValueError, ["-8.0 ** 0.5", "complex"]),
    (lambda: Value(True), TypeError, ["True", "bool"]),
    (lambda: Value(2).leaky_relu("x"), TypeError, ["'x'", "slope"]),
]


@pytest.mark.parametrize("make, kind, words", CASES, ids=[str(i) for i in range(len(CASES))])
def test_bad_input_names_value_and_operation(make, kind, words):
    with pytest.raises(kind) as caught:
        make()
    message = str(caught.value)
    for word in words:
        assert word in message, f"{word!r} missing from {message!r}"


def test_gradcheck_reports_a_table_on_mismatch():
    def wrong(x):  # forward is x², but the recorded derivative is that of x·3
        y = x * 3
        y.data = x.data ** 2
        return y

    with pytest.raises(GradcheckError) as caught:
        gradcheck(wrong, [2.0])
    message = str(caught.value)
    for word in ("input", "analytic", "numeric", "difference", "mismatch", "x0 = 2"):
        assert word in message


def test_gradcheck_rejects_non_value_output_and_bad_eps():
    with pytest.raises(TypeError, match="must return a Value"):
        gradcheck(lambda x: 3.0, [1.0])
    with pytest.raises(ValueError, match="eps"):
        gradcheck(lambda x: x, [1.0], eps=0)


@pytest.mark.parametrize("make, words", [
    (lambda: 2 / Value(0), ["2.0 / 0.0", "division by zero"]),
    (lambda: 0 ** Value(-1), ["0.0 ** -1.0"]),
    (lambda: Value(2) + True, ["True", "+", "use a number or a Value"]),
    (lambda: 2 ** Value(5000), ["2.0 ** 5000.0", "too large"]),
])
def test_a_number_folded_into_an_operation_gets_the_same_errors(make, words):
    with pytest.raises((ZeroDivisionError, TypeError, OverflowError)) as error:
        make()
    assert all(word in str(error.value) for word in words), str(error.value)
