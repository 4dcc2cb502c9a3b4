"""Saving and loading model weights as ``.npz`` (numpy's zip of arrays), never pickle.

A pickle file can run any code when it is opened; an ``.npz`` read with
``allow_pickle=False`` can only yield arrays. Each array is stored under the
parameter's dotted name (``layers.0.neurons.1.w.0``), plus a format marker.

    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "weights.npz")
    >>> save_state({"w": np.ones(2)}, path)
    >>> load_state(path)["w"].tolist()
    [1.0, 1.0]
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

FORMAT_KEY = "__chainrule_format__"
FORMAT = "chainrule-state-v1"


class ModelFileError(ValueError):
    """A weights file that cannot be read, or whose contents do not fit the model."""


def save_state(state: dict[str, np.ndarray], path: str | Path) -> None:
    """Write ``{name: array}`` to ``path`` (``.npz`` is added when missing)."""
    if FORMAT_KEY in state:
        raise ValueError(f"{FORMAT_KEY!r} is reserved for the format marker")
    arrays = {name: np.asarray(value) for name, value in state.items()}
    for name, array in arrays.items():
        if array.dtype.kind not in "iuf":  # what load_state would refuse (check_dtype)
            raise TypeError(f"cannot save {name!r}: expected integer or floating-point "
                            f"numbers, got dtype {array.dtype}")
    target = _with_npz(Path(path))
    # Written beside the target and renamed into place: a crash or a full disk part-way
    # leaves the previous weights file whole instead of a truncated one.
    partial = target.with_name(target.name + ".part")
    try:
        with open(partial, "wb") as handle:
            np.savez(handle, **arrays, **{FORMAT_KEY: np.array(FORMAT)})
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def _with_npz(path: Path) -> Path:
    """The name ``np.savez`` writes to: ``.npz`` appended unless the name ends with it."""
    return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")


def check_dtype(name: str, dtype: np.dtype) -> None:
    """Refuse anything but integer or floating-point numbers (bool, complex, timedelta,
    datetime, strings and objects would be cut or fail part-way through a load)."""
    if dtype.kind not in "iuf":
        raise ModelFileError(f"{name!r}: expected integer or floating-point numbers, got "
                             f"dtype {dtype} (booleans, complex numbers, dates and text are "
                             f"not weights)")


def load_state(path: str | Path, expected: dict[str, tuple[int, ...]] | None = None,
               ) -> dict[str, np.ndarray]:
    """Read a file written by ``save_state``; a damaged or foreign file raises ModelFileError.

    Every entry's header (dtype and shape) is checked before any data is read: with
    ``expected`` (``{name: shape}`` of the model), an entry the model lacks or of
    another shape is refused without reading it, so a small file that would inflate
    to gigabytes costs nothing.
    """
    path = Path(path)
    if not path.exists() and _with_npz(path).exists():
        path = _with_npz(path)  # saved as "model.v1", written as "model.v1.npz"
    if not path.exists():
        raise FileNotFoundError(f"no weights file at {path}")
    if path.is_dir():
        raise ModelFileError(f"{path} is a folder; give the weights file (.npz) inside it")
    try:
        with zipfile.ZipFile(path) as archive:
            headers = {member.filename.removesuffix(".npy"): _header(archive, member)
                       for member in archive.infolist()}
            marker = headers.pop(FORMAT_KEY, None)
            if marker is None or marker[1].kind != "U" or _count(marker[0]) != 1:
                raise ModelFileError(f"an .npz file but not one saved by Module.save "
                                     f"(no {FORMAT!r} marker)")
            for name, (shape, dtype) in headers.items():
                check_dtype(name, dtype)
                if expected is not None:
                    _check_expected(name, shape, expected)
            if str(_read(archive, FORMAT_KEY)) != FORMAT:
                raise ModelFileError(f"saved in another format than {FORMAT!r}")
            return {name: _read(archive, name) for name in headers}
    except ModelFileError as error:
        raise ModelFileError(f"{path}: {error}") from None
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError,
            MemoryError) as error:
        raise ModelFileError(f"{path} is not a readable chainrule weights file (.npz): "
                             f"{type(error).__name__}: {error}") from None


def _count(shape: tuple[int, ...]) -> int:
    count = 1
    for size in shape:
        count *= size  # Python ints: a header declaring 2**80 entries cannot overflow
    return count


def _header(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> tuple[tuple, np.dtype]:
    """An entry's declared (shape, dtype), read from its .npy header alone."""
    if not member.filename.endswith(".npy"):
        raise ModelFileError(f"the entry {member.filename!r} is not a numpy array")
    with archive.open(member) as handle:
        version = np.lib.format.read_magic(handle)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(handle)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(handle)
        else:
            raise ModelFileError(f"the entry {member.filename!r} uses .npy version "
                                 f"{version}, which chainrule does not write")
        size = handle.tell()
    if not dtype.hasobject and _count(shape) * dtype.itemsize != member.file_size - size:
        raise ModelFileError(f"the entry {member.filename!r} declares shape {shape} of "
                             f"{dtype} but holds {member.file_size - size} bytes of data; "
                             f"the file is damaged")
    return shape, dtype


def _check_expected(name: str, shape: tuple, expected: dict[str, tuple[int, ...]]) -> None:
    if name not in expected:
        raise ModelFileError(f"the weights hold {name!r}, which this model does not have; "
                             f"were they saved from a different model?")
    if tuple(shape) != tuple(expected[name]):
        raise ModelFileError(f"{name!r}: the weights have shape {tuple(shape)} but the model's "
                             f"has shape {tuple(expected[name])}")


def _read(archive: zipfile.ZipFile, name: str) -> np.ndarray:
    with archive.open(name + ".npy") as handle:
        return np.lib.format.read_array(handle, allow_pickle=False)
