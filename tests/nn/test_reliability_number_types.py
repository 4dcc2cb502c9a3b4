"""Every numeric argument of nn and viz takes any real number type and refuses bool."""

from fractions import Fraction

import numpy as np
import pytest

import nn
from autograd import Value
from nn import (
    MLP,
    SGD,
    Adam,
    CosineDecay,
    Dropout,
    ExponentialDecay,
    KFold,
    Linear,
    Perceptron,
    StepDecay,
    batches,
    clip_grad_norm,
    manual_seed,
    train_test_split,
)
from nn.arguments import is_real, is_whole


def params():
    return [Value(1.0, role="parameter")]


# name -> a call taking the number: each is tried with 2 (WHOLE) or a half (REAL) of
# every type, and with True
WHOLE = {
    "Linear(nin)": lambda n: Linear(n, 2),
    "MLP(nouts)": lambda n: MLP(2, [n, 1]),
    "Perceptron(nin)": lambda n: Perceptron(n),
    "batches(batch_size)": lambda n: next(batches(np.arange(4), batch_size=n)),
    "KFold(n_splits)": lambda n: KFold(n),
    "StepDecay(step_size)": lambda n: StepDecay(0.1, step_size=n),
    "CosineDecay(total_steps)": lambda n: CosineDecay(0.1, total_steps=n),
    "CosineDecay(warmup_steps)": lambda n: CosineDecay(0.1, total_steps=5, warmup_steps=n),
    "schedule(step)": lambda n: StepDecay(0.1, step_size=1)(n),
    "manual_seed(seed)": lambda n: manual_seed(n),
    "init.normal(shape)": lambda n: nn.init.normal((n, 2)),
    "train_test_split(test_size as a count)": lambda n: train_test_split(np.arange(5),
                                                                         test_size=n),
}
REAL = {
    "SGD(lr)": lambda x: SGD(params(), lr=x),
    "SGD(momentum)": lambda x: SGD(params(), lr=0.1, momentum=x),
    "Adam(lr)": lambda x: Adam(params(), lr=x),
    "StepDecay(lr)": lambda x: StepDecay(x, step_size=1),
    "ExponentialDecay(gamma)": lambda x: ExponentialDecay(0.1, gamma=x),
    "Dropout(p)": lambda x: Dropout(x),
    "clip_grad_norm(max_norm)": lambda x: clip_grad_norm(params(), x),
    "Perceptron.fit(lr)": lambda x: Perceptron(2).fit([[0, 0], [1, 1]], [0, 1], lr=x,
                                                      epochs=1),
}
WHOLE_TYPES = [int, np.int8, np.int32, np.int64, np.uint16]
REAL_TYPES = [float, np.float16, np.float32, np.float64, Fraction]


@pytest.mark.parametrize("make", WHOLE_TYPES, ids=lambda t: t.__name__)
@pytest.mark.parametrize("name", sorted(WHOLE))
def test_whole_numbers_of_every_type(name, make):
    WHOLE[name](make(2))


@pytest.mark.parametrize("make", REAL_TYPES, ids=lambda t: t.__name__)
@pytest.mark.parametrize("name", sorted(REAL))
def test_real_numbers_of_every_type(name, make):
    REAL[name](make(1) / 2)
    if name not in ("SGD(momentum)", "Dropout(p)", "ExponentialDecay(gamma)"):  # below 1
        for whole in WHOLE_TYPES:
            REAL[name](whole(1))


@pytest.mark.parametrize("flag", [True, np.bool_(True)], ids=["bool", "np.bool_"])
@pytest.mark.parametrize("name", sorted(WHOLE) + sorted(REAL))
def test_bool_is_refused_where_a_number_is_meant(name, flag):
    call = WHOLE.get(name) or REAL[name]
    with pytest.raises((TypeError, ValueError), match="True"):
        call(flag)


def test_the_shared_checks():
    assert all(is_real(t(1)) for t in REAL_TYPES + WHOLE_TYPES)
    assert all(is_whole(t(1)) for t in WHOLE_TYPES)
    assert not is_whole(1.0) and not is_whole(np.float64(1.0))
    for value in (True, np.bool_(False), "1", None, 1j, [1]):
        assert not is_real(value) and not is_whole(value)


def test_viz_arguments_take_numpy_numbers():
    pytest.importorskip("matplotlib")
    from viz import draw_graph, draw_network
    from viz.plots import decision_grid

    y = Value(2.0, label="x") * 3
    assert "6.00" in draw_graph(y, precision=np.int64(2)).source
    with pytest.raises(ValueError, match="precision.*True"):
        draw_graph(y, precision=True)
    manual_seed(0)
    model = MLP(2, [4, 1])
    draw_network(model, max_units=np.int32(3))
    with pytest.raises(ValueError, match="max_units.*True"):
        draw_network(model, max_units=True)
    xx, _, _ = decision_grid(model, np.zeros((3, 2)), resolution=np.int64(5))
    assert xx.shape == (5, 5)
    with pytest.raises(ValueError, match="resolution.*True"):
        decision_grid(model, np.zeros((3, 2)), resolution=True)
