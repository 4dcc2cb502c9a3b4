"""The batch_norm rule: values against the formula, first and second derivatives against
central differences, and the same gradients as the composite operations (BatchNorm1d's
and BatchNorm2d's layers compute with the rule)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor, grad, gradcheck
from autograd.batch_norm import batch_norm
from nn import BatchNorm1d


@settings(max_examples=15, deadline=None)
@given(shape=st.sampled_from([((5, 3), (0,)), ((2, 3, 3, 2), (0, 2, 3)),
                              ((3, 2, 1, 3), (0, 2, 3))]),
       seed=st.integers(0, 2**32 - 1))
def test_batch_norm_matches_the_formula_and_central_differences(shape, seed):
    shape, axes = shape
    rng = np.random.default_rng(seed)
    features = [n for i, n in enumerate(shape) if i not in axes]
    x, w, b = (rng.normal(1.0, 2.0, shape), rng.standard_normal(features),
               rng.standard_normal(features))
    kept = tuple(1 if i in axes else n for i, n in enumerate(shape))
    mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
    expected = (x - mean) / np.sqrt(var + 1e-5) * w.reshape(kept) + b.reshape(kept)
    stats = {}
    out = batch_norm(Tensor(x), Tensor(w), Tensor(b), axes=axes, stats=stats)
    assert np.allclose(out.data, expected)
    assert np.allclose(stats["mean"], mean.ravel()) and np.allclose(stats["var"], var.ravel())
    assert gradcheck(lambda *t: (batch_norm(*t, axes=axes) ** 3), [x, w, b])

    def input_gradient(x_, w_, b_):
        return grad((batch_norm(x_, w_, b_, axes=axes) ** 3).sum(), [x_], create_graph=True)[0]

    assert gradcheck(input_gradient, [x, w, b])


def composite_batch_norm(x, weight, bias, eps=1e-5):
    """The same maths as nine elementwise operations and reductions on Tensors."""
    mean = x.mean(axis=0)
    centred = x - mean
    var = (centred * centred).mean(axis=0)
    return centred / (var + eps).sqrt() * weight + bias


def test_the_closed_form_gradient_is_the_chain_rule_through_the_composite():
    rng = np.random.default_rng(0)
    x, upstream = rng.standard_normal((6, 4)), rng.standard_normal((6, 4))
    layer = BatchNorm1d(4)
    layer.weight.data[:], layer.bias.data[:] = rng.standard_normal(4), rng.standard_normal(4)
    fused = Tensor(x, requires_grad=True)
    (layer(fused) * upstream).sum().backward()
    fused_grads = [fused.grad, layer.weight.grad, layer.bias.grad]
    layer.zero_grad()
    composite = Tensor(x, requires_grad=True)
    (composite_batch_norm(composite, layer.weight, layer.bias) * upstream).sum().backward()
    for a, b in zip(fused_grads, [composite.grad, layer.weight.grad, layer.bias.grad]):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_batch_norm_checks_the_feature_count():
    with pytest.raises(ValueError, match=r"weight has shape \(3,\), but inputs of shape "
                                         r"\(2, 4, 5, 5\) .* have \[4\] features"):
        batch_norm(Tensor(np.ones((2, 4, 5, 5))), Tensor(np.ones(3)), Tensor(np.ones(4)),
                   axes=(0, 2, 3))
