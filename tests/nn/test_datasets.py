import numpy as np
import pytest

from nn import fur_and_wings, logic_gate, spirals, two_moons


@pytest.mark.parametrize("gate, outputs", [("AND", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]),
                                           ("nand", [1, 1, 1, 0]), ("xor", [0, 1, 1, 0])])
def test_logic_gates(gate, outputs):
    X, y = logic_gate(gate)
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and y.tolist() == outputs


def test_unknown_gate():
    with pytest.raises(ValueError, match="unknown gate 'xnor'"):
        logic_gate("xnor")


def test_moons_and_spirals_are_seeded_and_labelled():
    X, y = two_moons(100, noise=0.05, seed=1)
    assert X.shape == (100, 2) and np.bincount(y).tolist() == [50, 50]
    assert np.array_equal(X, two_moons(100, noise=0.05, seed=1)[0])
    X, y = spirals(30, classes=3, seed=0)
    assert X.shape == (90, 2) and np.bincount(y).tolist() == [30, 30, 30]
    assert np.abs(X).max() <= 1.0


def test_fur_and_wings_has_six_rows_with_the_restored_bird():
    X, Y = fur_and_wings()
    assert X.shape == (6, 2) and Y.shape == (6, 3)
    assert X[2].tolist() == [1, 1] and Y[2].tolist() == [0, 0, 1]   # fur and wings: bird
    assert (Y.sum(axis=1) == 1).all()
