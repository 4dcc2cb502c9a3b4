"""MNIST: 70,000 handwritten digits, read from the four original IDX files (gzip).

The loader never trusts a file it has not checked: each file's MD5 must match the sum
published with the dataset. It looks in ``path``; without one, in ``$CHAINRULE_MNIST``,
then in ``~/.cache/chainrule/mnist``. With ``download=True`` missing files are fetched
into that directory first.

    images: uint8, shape (N, 28, 28), 0 (background) .. 255 (ink)
    labels: int64, shape (N,), 0 .. 9
"""

from __future__ import annotations

import gzip
import hashlib
import math
import os
import shutil
import struct
import urllib.request
import zlib
from pathlib import Path

import numpy as np

FILES = {
    "train_images": ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
    "train_labels": ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
    "test_images": ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
    "test_labels": ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
}

# Mirrors of the original files (yann.lecun.com now asks for a login).
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

MAX_IDX_BYTES = 1 << 30
MAX_FILE_BYTES = 1 << 26  # the largest MNIST file, gzipped, is 9.9 MB
_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


class MNISTError(OSError):
    """The files are missing, damaged or not MNIST; the message says where and what to do."""


def default_directory() -> Path:
    """``$CHAINRULE_MNIST`` if set, else ``~/.cache/chainrule/mnist``."""
    env = os.environ.get("CHAINRULE_MNIST")
    return Path(env) if env else Path.home() / ".cache" / "chainrule" / "mnist"


def md5(path: Path) -> str:
    """The file's MD5 as hex, read in 1 MiB blocks (the training images are 9.9 MB)."""
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_idx(path: str | Path, max_bytes: int = MAX_IDX_BYTES) -> np.ndarray:
    """An IDX file (gzip or plain) as a numpy array.

    The format: two zero bytes, a type code (0x08 = unsigned byte), the number of
    dimensions, each dimension as a big-endian 32-bit integer, then the data. Only the
    bytes the header announces are read, and at most ``max_bytes`` of data (1 GiB; all
    of MNIST is 55 MB), so a damaged header or an endless stream cannot exhaust memory.
    """
    path = Path(path)
    _check_regular_file(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            magic = handle.read(4)
            if len(magic) < 4 or magic[0] != 0 or magic[1] != 0 or magic[2] not in _IDX_TYPES:
                raise MNISTError(f"{path} is not an IDX file (bad magic number {magic.hex()})")
            ndim = magic[3]
            dims = handle.read(4 * ndim)
            if len(dims) < 4 * ndim:
                raise MNISTError(f"{path}: the header announces {ndim} dimensions but the file "
                                 f"ends after {4 + len(dims)} bytes; it is truncated or damaged")
            shape = struct.unpack(f">{ndim}I", dims)
            dtype = np.dtype(_IDX_TYPES[magic[2]])
            expected = math.prod(shape) * dtype.itemsize  # a Python int: cannot overflow
            if expected > max_bytes:
                raise MNISTError(f"{path}: the header says shape {shape}, {expected:,} bytes of "
                                 f"data, more than max_bytes={max_bytes:,}; the file is damaged "
                                 f"or not IDX (pass a larger max_bytes if it is real)")
            data = handle.read(expected + 1)  # one byte more tells a file that is too long
    except (OSError, EOFError, zlib.error) as error:
        raise MNISTError(f"cannot read {path}: {error}") from None
    if len(data) != expected:
        held = f"{len(data)}" if len(data) <= expected else "more"
        raise MNISTError(f"{path}: header says shape {shape} ({expected} bytes of data) but the "
                         f"file holds {held} bytes; it is truncated or damaged")
    return np.frombuffer(data, dtype=dtype).reshape(shape)


def _check_regular_file(path: Path) -> None:
    """A folder or a device (an endless stream) in place of a data file: a clear error."""
    if path.is_dir():
        raise MNISTError(f"{path} is a folder, not a data file; remove it or point to the "
                         f"folder that holds the MNIST files")
    if path.exists() and not path.is_file():
        raise MNISTError(f"{path} is not a regular file (a device or a pipe?); MNIST is read "
                         f"from the four downloaded files")


def _how_to_get(directory: Path) -> str:
    names = ", ".join(name for name, _ in FILES.values())
    return (f"put the four MNIST files ({names}) in {directory}, or pass "
            f"load_mnist(path=...) to the folder that holds them, or call "
            f"load_mnist(download=True) to fetch them from {MIRRORS[0]}")


def _download(name: str, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    errors = []
    for mirror in MIRRORS:
        target = directory / name
        partial = target.with_suffix(target.suffix + ".part")
        try:
            with urllib.request.urlopen(mirror + name, timeout=60) as response, \
                    open(partial, "wb") as out:
                shutil.copyfileobj(response, out)
            partial.replace(target)  # only a complete download gets the real name
            return
        except OSError as error:
            errors.append(f"{mirror}{name}: {error}")
            partial.unlink(missing_ok=True)
    raise MNISTError("could not download MNIST:\n  " + "\n  ".join(errors))


def load_mnist(path: str | Path | None = None, download: bool = False
               ) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """``(train_images, train_labels), (test_images, test_labels)``, checksums verified.

    >>> from pathlib import Path
    >>> folder = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "mnist"
    >>> if folder.exists():
    ...     (x, y), (xt, yt) = load_mnist(folder)
    ...     print(x.shape, x.dtype, y[:5].tolist(), xt.shape)
    ... else:
    ...     print("(60000, 28, 28) uint8 [5, 0, 4, 1, 9] (10000, 28, 28)")
    (60000, 28, 28) uint8 [5, 0, 4, 1, 9] (10000, 28, 28)
    """
    directory = Path(path).expanduser() if path is not None else default_directory()
    if path is not None and not directory.is_dir() and not download:
        raise MNISTError(f"MNIST folder {directory} does not exist; {_how_to_get(directory)}")
    arrays = {}
    for key, (name, expected_md5) in FILES.items():
        file = directory / name
        if not file.exists():
            if not download:
                raise MNISTError(f"MNIST file {name} not found in {directory}; "
                                 f"{_how_to_get(directory)}")
            _download(name, directory)
        _check_regular_file(file)
        if file.stat().st_size > MAX_FILE_BYTES:  # hashing gigabytes only to fail the check
            raise MNISTError(f"{file} is {file.stat().st_size:,} bytes, larger than any MNIST "
                             f"file ({MAX_FILE_BYTES:,}); delete it and download it again")
        actual = md5(file)
        if actual != expected_md5:
            raise MNISTError(f"{file} has MD5 {actual}, but the published MD5 is {expected_md5}; "
                             f"the file is damaged or not the original: delete it and "
                             f"download it again")
        arrays[key] = read_idx(file)
    for part in ("train", "test"):
        images, labels = arrays[f"{part}_images"], arrays[f"{part}_labels"]
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise MNISTError(f"MNIST {part} files disagree: images {images.shape}, "
                             f"labels {labels.shape}")
    return ((arrays["train_images"], arrays["train_labels"].astype(np.int64)),
            (arrays["test_images"], arrays["test_labels"].astype(np.int64)))
