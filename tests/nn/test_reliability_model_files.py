"""A failed model load changes nothing, and no data is read before the headers fit."""

import io
import time
import zipfile

import numpy as np
import pytest

import nn.serialization
from nn import MLP, Linear, ModelFileError, Sequential, manual_seed
from nn.serialization import FORMAT, FORMAT_KEY, load_state, save_state


def write_npz(path, arrays, marker=True):
    """An .npz as Module.save writes it, with any entries the test wants."""
    if marker:
        arrays = {**arrays, FORMAT_KEY: np.array(FORMAT)}
    np.savez(path, **arrays)


def snapshot(model):
    return {k: v.copy() for k, v in model.state_dict().items()}


def unchanged(model, before):
    after = model.state_dict()
    return after.keys() == before.keys() and all(
        np.array_equal(after[k], before[k]) for k in before)


def assert_load_refused(model, path, pattern):
    """Loading ``path`` raises ModelFileError matching ``pattern`` and changes nothing."""
    before = snapshot(model)
    with pytest.raises(ModelFileError, match=pattern):
        model.load(path)
    assert unchanged(model, before)


BAD_DTYPES = {
    "complex": lambda shape: np.ones(shape, dtype=complex) * (1 + 2j),
    "timedelta": lambda shape: np.ones(shape, dtype="timedelta64[s]"),
    "datetime": lambda shape: np.zeros(shape, dtype="datetime64[D]"),
    "bool": lambda shape: np.ones(shape, dtype=bool),
    "string": lambda shape: np.full(shape, "1.5"),
    "bytes": lambda shape: np.full(shape, b"1"),
}


@pytest.mark.parametrize("kind", sorted(BAD_DTYPES))
def test_a_scalar_model_refuses_a_bad_entry_before_writing_any(tmp_path, kind):
    manual_seed(0)
    source = MLP(2, [3, 1])
    state = source.state_dict()
    last = list(state)[-1]  # the last entry: a copy loop would have written all others
    state[last] = BAD_DTYPES[kind](state[last].shape)
    write_npz(tmp_path / "m.npz", dict(state))
    manual_seed(1)
    model = MLP(2, [3, 1])
    before = snapshot(model)
    with pytest.raises(ModelFileError, match=rf"'{last}'.*integer or floating"):
        model.load(tmp_path / "m.npz")
    assert unchanged(model, before)
    with pytest.raises(ModelFileError, match=rf"'{last}'.*integer or floating"):
        model.load_state_dict(state)  # the same check for a dict in memory
    assert unchanged(model, before)


def test_a_tensor_model_refuses_complex_instead_of_dropping_the_imaginary_part(tmp_path):
    manual_seed(0)
    model = Sequential(Linear(3, 4), Linear(4, 2))
    state = model.state_dict()
    state["layers.1.bias"] = state["layers.1.bias"] + 1j
    write_npz(tmp_path / "m.npz", dict(state))
    manual_seed(1)
    target = Sequential(Linear(3, 4), Linear(4, 2))
    assert_load_refused(target, tmp_path / "m.npz", "'layers.1.bias'.*complex128")


def test_an_object_entry_is_refused_from_its_header(tmp_path):
    manual_seed(0)
    state = dict(Sequential(Linear(1, 1)).state_dict())
    state["layers.0.bias"] = np.array([{"not": "a number"}], dtype=object)
    write_npz(tmp_path / "m.npz", state)  # numpy pickles it; we never unpickle
    assert_load_refused(Sequential(Linear(1, 1)), tmp_path / "m.npz",
                        "'layers.0.bias'.*dtype object")


def test_integer_entries_load_as_numbers(tmp_path):
    manual_seed(0)
    model = Sequential(Linear(2, 2))
    state = {k: np.arange(v.size, dtype=np.int32).reshape(v.shape)
             for k, v in model.state_dict().items()}
    write_npz(tmp_path / "m.npz", state)
    model.load(tmp_path / "m.npz")
    assert model.state_dict()["layers.0.weight"].tolist() == [[0.0, 1.0], [2.0, 3.0]]


def inflating_npz(path, name, shape):
    """A small file whose entry inflates to shape (float64 zeros), written in chunks."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(name + ".npy", "w", force_zip64=True) as handle:
            header = {"descr": "<f8", "fortran_order": False, "shape": shape}
            np.lib.format.write_array_header_1_0(handle, header)
            chunk = bytes(1 << 20)
            remaining = int(np.prod(shape)) * 8
            while remaining:
                handle.write(chunk[:min(remaining, len(chunk))])
                remaining -= min(remaining, len(chunk))
        buffer = io.BytesIO()
        np.save(buffer, np.array(FORMAT))
        archive.writestr(FORMAT_KEY + ".npy", buffer.getvalue())


def test_shapes_are_checked_from_headers_before_any_data_is_read(tmp_path, monkeypatch):
    path = tmp_path / "bomb.npz"
    inflating_npz(path, "layers.0.weight", (2000, 2000))  # 32 MB of zeros
    assert path.stat().st_size < 200_000
    read = []
    real_read = nn.serialization._read
    monkeypatch.setattr(nn.serialization, "_read",
                        lambda archive, name: read.append(name) or real_read(archive, name))
    assert_load_refused(Sequential(Linear(3, 4)), path,
                        r"'layers.0.weight'.*\(2000, 2000\).*\(3, 4\)")
    assert read == []  # refused from the header alone


def test_an_entry_the_model_lacks_is_not_read(tmp_path, monkeypatch):
    path = tmp_path / "extra.npz"
    inflating_npz(path, "extra", (1000, 1000))
    read = []
    real_read = nn.serialization._read
    monkeypatch.setattr(nn.serialization, "_read",
                        lambda archive, name: read.append(name) or real_read(archive, name))
    with pytest.raises(ModelFileError, match="'extra'.*does not have"):
        Sequential(Linear(1, 1)).load(path)
    assert read == []


def test_a_header_declaring_terabytes_is_a_clear_error(tmp_path):
    path = tmp_path / "huge.npz"
    with zipfile.ZipFile(path, "w") as archive:
        buffer = io.BytesIO()
        header = {"descr": "<f8", "fortran_order": False, "shape": (2**40, 2**20)}
        np.lib.format.write_array_header_1_0(buffer, header)
        archive.writestr("w.npy", buffer.getvalue() + bytes(64))
        buffer = io.BytesIO()
        np.save(buffer, np.array(FORMAT))
        archive.writestr(FORMAT_KEY + ".npy", buffer.getvalue())
    start = time.perf_counter()
    with pytest.raises(ModelFileError, match=r"'w.npy' declares shape .*damaged"):
        load_state(path)  # no model to compare with: the entry's size still must agree
    with pytest.raises(ModelFileError, match=r"huge.npz"):
        Sequential(Linear(1, 1)).load(path)
    assert time.perf_counter() - start < 5


def test_a_folder_is_not_a_weights_file(tmp_path):
    (tmp_path / "m.npz").mkdir()
    with pytest.raises(ModelFileError, match="is a folder"):
        Sequential(Linear(1, 1)).load(tmp_path / "m.npz")


def test_save_refuses_what_load_would_refuse(tmp_path):
    with pytest.raises(TypeError, match="'w'.*complex128"):
        save_state({"w": np.ones(2, dtype=complex)}, tmp_path / "m.npz")
    assert list(tmp_path.iterdir()) == []
