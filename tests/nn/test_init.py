import math

import numpy as np
import pytest

from nn import init


@pytest.mark.parametrize("shape, expected", [((3, 4), (3, 4)), ((8, 2, 3, 3), (18, 72)),
                                             ((5,), (5, 5))])
def test_fans_read_dense_and_conv_shapes(shape, expected):
    assert init.fans(shape) == expected


def test_he_normal_std_is_sqrt_2_over_fan_in_not_2_over_sqrt():
    w = init.he_normal((400, 300), rng=1)
    assert w.std() == pytest.approx(math.sqrt(2 / 400), rel=0.02)
    assert abs(w.std() - 2 / math.sqrt(400)) > 0.02   # seed 000's formula is visibly off


@pytest.mark.parametrize("name, bound", [
    ("xavier_uniform", math.sqrt(6 / (200 + 100))),
    ("he_uniform", math.sqrt(6 / 200)),
])
def test_uniform_initialisers_fill_their_bound(name, bound):
    w = init.get(name)((200, 100), rng=0)
    assert np.abs(w).max() <= bound
    assert np.abs(w).max() > 0.99 * bound
    assert w.var() == pytest.approx(bound ** 2 / 3, rel=0.03)


def test_xavier_normal_std():
    w = init.xavier_normal((300, 100), rng=0)
    assert w.std() == pytest.approx(math.sqrt(2 / 400), rel=0.02)


def test_conv_kernel_uses_receptive_field():
    w = init.he_normal((64, 16, 3, 3), rng=0)
    assert w.std() == pytest.approx(math.sqrt(2 / (16 * 9)), rel=0.03)


def test_zeros_uniform_normal_and_seeds():
    assert not init.zeros((2, 3)).any()
    u = init.uniform((1000,), rng=0)
    assert u.min() >= -0.05 and u.max() <= 0.05
    assert np.array_equal(init.normal((5,), rng=3), init.normal((5,), rng=3))
    assert init.get("kaiming_normal") is init.he_normal


def test_bad_names_and_shapes_are_explained():
    with pytest.raises(ValueError, match="unknown initialiser 'he'"):
        init.get("he")
    with pytest.raises(ValueError, match=r"\(3, 0\)"):
        init.zeros((3, 0))
    assert init.he_normal(5, rng=0).shape == (5,)      # an int is a 1-D shape, as for zeros
    with pytest.raises(ValueError, match="low < high"):
        init.uniform((2,), low=1, high=0)
