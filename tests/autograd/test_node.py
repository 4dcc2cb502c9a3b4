"""What every node has (autograd.node): parents as a tuple, and label, role, scope notes
that many nodes share without one node's change reaching another."""

import gc

import numpy as np
import pytest

from autograd import Tensor, Value, dot, grad, scope


def test_parents_are_a_tuple_in_operand_order_for_every_arity():
    x, w = Value(2.0, label="x"), Value(3.0, label="w")
    assert x.parents == ()
    assert (x + 1).parents == (x,)
    assert x.tanh().parents == (x,)
    assert (x * w).parents == (x, w)
    assert (x * x).parents == (x, x)
    assert dot([w], [x]).parents == (w, x)
    assert type((x + 1).parents) is tuple


def test_one_operation_on_a_number_leaves_one_object_for_the_garbage_collector():
    # The reason single parents are stored bare and notes are shared: a long chain
    # should cost the cyclic collector one tracked object per operation, not two.
    y = Value(0.0)
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(1000):
        y = y + 1
    assert len(gc.get_objects()) - before < 1050


def test_setting_parents_by_hand_is_seen_by_the_walks():
    a, b = Value(2.0), Value(3.0)
    c = a * 1.0
    c.parents = (b,)  # rewire: c now reads b, with the local derivative it had
    assert c.parents == (b,)
    assert grad(c, [a, b]) == (0.0, 1.0)


def test_nodes_made_in_one_scope_share_notes_but_a_label_stays_with_its_node():
    x = Value(1.0)
    with scope("layer"):
        a, b = x + 1, x + 2
    a.label = "a"
    b.role = "input"
    assert (a.label, a.role, a.scope) == ("a", "", ("layer",))
    assert (b.label, b.role, b.scope) == ("", "input", ("layer",))
    assert (x.label, x.role, x.scope) == ("", "", ())


def test_scopes_nest_and_end():
    with scope("model"):
        with scope("layer1"):
            inner = Value(1.0, label="w") * 2
        outer = inner + 1
    after = outer + 1
    assert inner.scope == ("model", "layer1")
    assert outer.scope == ("model",)
    assert after.scope == ()


@pytest.mark.parametrize("make", [lambda: Value(1.0), lambda: Tensor([1.0, 2.0])])
@pytest.mark.parametrize("name", ["label", "role"])
def test_notes_must_be_text(make, name):
    node = make()
    with pytest.raises(TypeError, match=f"{name} must be a str, got 3 of type int"):
        setattr(node, name, 3)
    with pytest.raises(TypeError, match=f"{name} must be a str"):
        type(node)(1.0, **{name: ["a"]})


def test_tensor_notes_and_parents():
    a = Tensor(np.ones(2), requires_grad=True, label="a", role="parameter")
    with scope("layer"):
        b = a * 3.0
    b.label = "b"
    assert (a.label, a.role, a.scope) == ("a", "parameter", ())
    assert (b.label, b.role, b.scope) == ("b", "", ("layer",))
    assert b.parents[0] is a and type(b.parents) is tuple


@pytest.mark.parametrize("bad", [None, 0, np.array(["a", "b"])])
def test_notes_that_are_not_text_are_refused_even_when_empty_looking(bad):
    with pytest.raises(TypeError, match="label must be a str"):
        Value(1.0, label=bad)
    with pytest.raises(TypeError, match="role must be a str"):
        Tensor([1.0], role=bad)


def test_scope_can_be_set_to_a_tuple_of_names_only():
    v = Value(1.0)
    v.scope = ("model", "layer")
    assert v.scope == ("model", "layer")
    with pytest.raises(TypeError, match="scope must be a tuple of str"):
        v.scope = "model"


def test_parents_set_by_hand_must_be_a_tuple_of_nodes():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    with pytest.raises(TypeError, match=r"write \(x,\), not x"):
        c.parents = a
    with pytest.raises(TypeError, match="parents must be Values or Tensors, got 'a'"):
        c.parents = "ab"
    t = Tensor([1.0, 2.0], requires_grad=True)
    u = t.exp()
    with pytest.raises(TypeError, match=r"write \(x,\)"):
        u.parents = t  # would otherwise iterate the Tensor into index nodes
    assert c.parents == (a, b) and u.parents == (t,)


@pytest.mark.parametrize("make", [
    lambda: (Value(2.0), lambda x: x * 3.0, lambda data: Value(data)),
    lambda: (Tensor([1.0, 2.0], requires_grad=True), lambda x: x * 3.0,
             lambda data: Tensor(data)),
])
def test_record_sets_every_field_that_init_sets(make):
    # record() builds nodes without __init__ (for speed); this pins that it misses none.
    x, operation, construct = make()
    from autograd import no_grad

    recorded = operation(x)
    with no_grad():
        leaf = operation(x)  # recorded as a leaf: must match a node built by __init__
    built = construct(leaf.data)
    for name in type(x).__slots__:
        if name == "__weakref__":
            continue
        getattr(recorded, name)  # set (an unset slot raises AttributeError)
        mine, theirs = getattr(leaf, name), getattr(built, name)
        assert mine is theirs or np.array_equal(mine, theirs), name
    assert recorded.parents[0] is x and recorded.op in ("x*c", "*")
