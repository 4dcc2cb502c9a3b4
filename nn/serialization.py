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
        if array.dtype == object:
            raise TypeError(f"cannot save {name!r}: it is not numeric (dtype object)")
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


def load_state(path: str | Path) -> dict[str, np.ndarray]:
    """Read a file written by ``save_state``; a damaged or foreign file raises ModelFileError."""
    path = Path(path)
    if not path.exists() and _with_npz(path).exists():
        path = _with_npz(path)  # saved as "model.v1", written as "model.v1.npz"
    if not path.exists():
        raise FileNotFoundError(f"no weights file at {path}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            state = {name: archive[name] for name in archive.files}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as error:
        raise ModelFileError(f"{path} is not a readable chainrule weights file (.npz): "
                             f"{type(error).__name__}: {error}") from None
    marker = state.pop(FORMAT_KEY, None)
    if marker is None or str(marker) != FORMAT:
        raise ModelFileError(f"{path} is an .npz file but not one saved by Module.save "
                             f"(no {FORMAT!r} marker)")
    return state
