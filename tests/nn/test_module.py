import random
import zipfile

import numpy as np
import pytest

from nn import (
    MLP,
    BatchNorm1d,
    Layer,
    Linear,
    ModelFileError,
    Neuron,
    ReLU,
    Sequential,
    manual_seed,
)


def test_scalar_models_keep_micrograd_repr_and_parameter_count():
    random.seed(0)
    model = MLP(2, [3, 1], activation="tanh")
    assert repr(model) == ("MLP of [Layer of [TanhNeuron(2), TanhNeuron(2), TanhNeuron(2)], "
                           "Layer of [LinearNeuron(3)]]")
    assert len(model.parameters()) == 3 * 3 + 4
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1",
                         "layers.0.neurons.0.b"]
    assert repr(Layer(2, 1, activation="sigmoid")) == "Layer of [SigmoidNeuron(2)]"
    assert repr(Neuron(3)) == "ReLUNeuron(3)"


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_mlp_activation_is_applied_in_hidden_layers_only(activation):
    model = MLP(2, [2, 1], activation=activation)
    out = model([0.5, -0.5])
    assert out.op == "dot"
    assert {p.op for p in out.parents if p.op} == {activation}


def test_children_and_modules_walk_sub_modules_in_order():
    manual_seed(0)
    inner = Sequential(Linear(2, 2), ReLU())
    model = Sequential(inner, Linear(2, 1))
    assert list(model.children()) == [inner, model[1]]
    assert [type(m).__name__ for m in model.modules()] == [
        "Sequential", "Sequential", "Linear", "ReLU", "Linear"]
    assert [name for name, _ in model.named_parameters()] == [
        "layers.0.layers.0.weight", "layers.0.layers.0.bias", "layers.1.weight",
        "layers.1.bias"]
    assert "(0): Sequential(\n    (0): Linear" in repr(model)


def test_module_call_tags_nodes_with_its_scope():
    model = MLP(2, [2, 1])
    out = model([1.0, 2.0])
    assert out.scope[:2] == ("MLP", "layer 1")


def test_zero_grad_train_and_eval():
    manual_seed(0)
    model = Sequential(Linear(2, 2), ReLU())
    model(np.ones((1, 2))).sum().backward()
    assert model.parameters()[0].grad is not None
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    model.eval()
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_value_model_save_and_load_round_trip(tmp_path):
    random.seed(1)
    model = MLP(3, [4, 2])
    path = tmp_path / "model.npz"
    model.save(path)
    random.seed(2)
    other = MLP(3, [4, 2])
    assert [p.data for p in other.parameters()] != [p.data for p in model.parameters()]
    other.load(path)
    assert [p.data for p in other.parameters()] == [p.data for p in model.parameters()]
    assert other([1.0, 2.0, 3.0])[0].data == model([1.0, 2.0, 3.0])[0].data


def test_tensor_model_with_buffers_round_trips(tmp_path):
    manual_seed(0)
    model = Sequential(Linear(3, 4), BatchNorm1d(4))
    model(np.random.default_rng(0).normal(size=(8, 3)))   # moves the running statistics
    state = model.state_dict()
    assert set(state) == {"layers.0.weight", "layers.0.bias", "layers.1.weight",
                          "layers.1.bias", "layers.1.running_mean", "layers.1.running_var"}
    model.save(tmp_path / "m")                            # .npz is added
    manual_seed(5)
    copy = Sequential(Linear(3, 4), BatchNorm1d(4)).load(tmp_path / "m.npz")
    for key, value in copy.state_dict().items():
        assert np.array_equal(value, state[key]), key
    model.save(tmp_path / "m.v2")                         # a dot in the name: m.v2.npz
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz", "m.v2.npz"]
    again = Sequential(Linear(3, 4), BatchNorm1d(4)).load(tmp_path / "m.v2")
    assert np.array_equal(again.state_dict()["layers.0.weight"], state["layers.0.weight"])


def test_the_file_is_a_plain_npz_without_pickles(tmp_path):
    random.seed(0)
    MLP(2, [1]).save(tmp_path / "m.npz")
    with zipfile.ZipFile(tmp_path / "m.npz") as archive:
        assert all(name.endswith(".npy") for name in archive.namelist())
    with np.load(tmp_path / "m.npz", allow_pickle=False) as archive:
        assert "layers.0.neurons.0.w.0" in archive.files


def test_wrong_shape_names_the_key_and_both_shapes(tmp_path):
    manual_seed(0)
    Sequential(Linear(3, 4)).save(tmp_path / "m.npz")
    model = Sequential(Linear(3, 5))
    before = model.state_dict()
    with pytest.raises(ModelFileError, match=r"'layers.0.weight'.*\(3, 4\).*\(3, 5\)"):
        model.load(tmp_path / "m.npz")
    assert all(np.array_equal(v, before[k]) for k, v in model.state_dict().items())


def test_missing_and_unexpected_keys(tmp_path):
    manual_seed(0)
    model = Sequential(Linear(3, 4))
    state = model.state_dict()
    del state["layers.0.bias"]
    with pytest.raises(ModelFileError, match=r"lack 'layers.0.bias'.*shape \(4,\)"):
        model.load_state_dict(state)
    state = model.state_dict()
    state["extra"] = np.zeros(1)
    with pytest.raises(ModelFileError, match="'extra'"):
        model.load_state_dict(state)
    model.load_state_dict(state, strict=False)


def test_corrupt_and_foreign_files_raise_clear_errors(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"this is not a zip file")
    model = Sequential(Linear(1, 1))
    with pytest.raises(ModelFileError, match="bad.npz is not a readable chainrule weights"):
        model.load(bad)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, a=np.ones(1))
    with pytest.raises(ModelFileError, match="not one saved by Module.save"):
        model.load(foreign)
    with pytest.raises(FileNotFoundError, match="no weights file"):
        model.load(tmp_path / "absent.npz")


def test_a_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    import nn.serialization

    random.seed(0)
    model = MLP(2, [1])
    model.save(tmp_path / "m.npz")
    before = (tmp_path / "m.npz").read_bytes()

    def disk_full(handle, **arrays):
        handle.write(b"PK half a zip")
        raise OSError("No space left on device")

    monkeypatch.setattr(nn.serialization.np, "savez", disk_full)
    with pytest.raises(OSError, match="No space left"):
        model.save(tmp_path / "m.npz")
    assert (tmp_path / "m.npz").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]      # no half-written file
