"""Value and Tensor graphs of any depth pickle and deep-copy, keeping every note."""

import copy
import pickle

import numpy as np
import pytest

from autograd import Tensor, Value, scope

DEEP = 50_000  # Python's default pickling failed above ~250 nodes, deepcopy above ~140


def chain(n):
    x = Value(1.0, label="x", role="input")
    y = x
    for _ in range(n):
        y = y + 1
    return x, y


def walk_to_leaf(node):
    steps = 0
    while node.parents:
        node = node.parents[0]
        steps += 1
    return node, steps


@pytest.mark.parametrize("clone", [lambda v: pickle.loads(pickle.dumps(v)), copy.deepcopy],
                         ids=["pickle", "deepcopy"])
def test_a_deep_chain_round_trips(clone):
    x, y = chain(DEEP)
    y.backward()
    twin = clone(y)
    assert twin is not y and twin.data == y.data == DEEP + 1
    leaf, steps = walk_to_leaf(twin)
    assert steps == DEEP and leaf is not x
    assert (leaf.label, leaf.role, leaf.grad) == ("x", "input", 1.0)
    leaf.grad = 0.0
    twin.grad = 0.0
    twin.backward()  # the copy is a working graph of its own
    assert leaf.grad == 1.0 and x.grad == 1.0


def diamond():
    with scope("layer"):
        a = Value(2.0, label="a", role="parameter")
        b = a * a
        b.label = "b"
        c = b.tanh() + b * 3
    c.label = "c"
    c.backward()
    return a, b, c


@pytest.mark.parametrize("clone", [lambda v: pickle.loads(pickle.dumps(v)), copy.deepcopy],
                         ids=["pickle", "deepcopy"])
def test_labels_scopes_roles_gradients_and_sharing_are_kept(clone):
    a, b, c = diamond()
    twin = clone(c)
    new_b = twin.parents[0].parents[0]
    assert new_b is twin.parents[1].parents[0]  # b feeds two nodes: still one node
    new_a = new_b.parents[0]
    assert new_a is new_b.parents[1]
    for old, new in [(a, new_a), (b, new_b), (c, twin)]:
        assert (new.data, new.grad, new.label, new.role, new.scope, new.op) == \
               (old.data, old.grad, old.label, old.role, old.scope, old.op)
        assert new.local_grads == old.local_grads and new.attrs == old.attrs
        assert new._waiting == 0 and new._pending is None


def test_nodes_pickled_together_stay_one_graph():
    a, b, c = diamond()
    new_a, new_b, new_c = pickle.loads(pickle.dumps([a, b, c]))
    assert new_c.parents[1].parents[0] is new_b and new_b.parents[0] is new_a
    new_a2, new_c2 = copy.deepcopy([a, c])
    assert new_c2.parents[0].parents[0].parents[0] is new_a2


def test_a_tensor_graph_round_trips():
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, label="x")
    w = Tensor(np.ones((3, 1)), requires_grad=True, label="w", role="parameter")
    y = x @ w
    for _ in range(DEEP // 20):
        y = y * 1.0 + 0.0
    loss = y.sum()
    loss.backward()
    for twin in (pickle.loads(pickle.dumps(loss)), copy.deepcopy(loss)):
        leaf_x, steps = walk_to_leaf(twin)
        assert steps > DEEP // 20 and leaf_x.label == "x"
        assert np.array_equal(leaf_x.data, x.data) and leaf_x.data is not x.data
        assert np.array_equal(leaf_x.grad, x.grad) and leaf_x.requires_grad


def test_a_shallow_copy_shares_parents_and_leaves_pickling_flat():
    x, y = chain(5_000)
    twin = copy.copy(y)
    assert twin is not y and twin.parents == y.parents and twin.label == y.label
    pickle.dumps(y.parents[0])  # still flat after the shallow copy


def test_a_model_deep_copies():
    from nn import MLP, manual_seed

    manual_seed(0)
    model = MLP(2, [3, 1])
    twin = copy.deepcopy(model)
    old, new = model.parameters(), twin.parameters()
    assert [p.data for p in old] == [p.data for p in new]
    assert all(p is not q for p, q in zip(old, new))
    assert [p.label for p in old] == [p.label for p in new]
