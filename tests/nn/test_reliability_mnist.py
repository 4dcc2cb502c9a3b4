"""load_mnist / read_idx: folders, devices and absurd headers give clear, quick errors."""

import gzip
import os
from pathlib import Path

import pytest

from nn import mnist
from nn.mnist import FILES, MNISTError, load_mnist, read_idx

HEADER_2x3 = bytes([0, 0, 0x08, 2]) + (2).to_bytes(4, "big") + (3).to_bytes(4, "big")


def test_a_folder_in_place_of_a_file_is_named(tmp_path):
    for name, _ in FILES.values():
        (tmp_path / name).mkdir()
    with pytest.raises(MNISTError, match=r"train-images-idx3-ubyte.gz is a folder"):
        load_mnist(tmp_path)
    with pytest.raises(MNISTError, match="is a folder"):
        read_idx(tmp_path / FILES["train_images"][0])


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero (an endless device)")
def test_an_endless_device_in_place_of_a_file_returns_at_once(tmp_path):
    for name, _ in FILES.values():
        os.symlink("/dev/zero", tmp_path / name)
    with pytest.raises(MNISTError, match="not a regular file"):
        load_mnist(tmp_path)
    with pytest.raises(MNISTError, match="not a regular file"):
        read_idx("/dev/zero")


def test_dimensions_whose_product_overflows_are_refused_before_reading(tmp_path):
    path = tmp_path / "huge.idx.gz"
    dims = b"".join((2**32 - 1).to_bytes(4, "big") for _ in range(4))  # ~3e38 entries
    path.write_bytes(gzip.compress(bytes([0, 0, 0x08, 4]) + dims + bytes(100)))
    with pytest.raises(MNISTError, match=r"shape \(4294967295, .*more than max_bytes"):
        read_idx(path)


def test_only_the_announced_bytes_are_read(tmp_path, monkeypatch):
    inflated = []

    class Counting(gzip.GzipFile):
        def read(self, size=-1):
            data = super().read(size)
            inflated.append(len(data))
            return data

    path = tmp_path / "long.idx.gz"
    with gzip.open(path, "wb", compresslevel=1) as handle:  # ~64 MB inflated, small on disk
        handle.write(HEADER_2x3)
        for _ in range(64):
            handle.write(bytes(1 << 20))
    monkeypatch.setattr(mnist.gzip, "open", lambda path, mode: Counting(path, mode))
    with pytest.raises(MNISTError, match=r"shape \(2, 3\) \(6 bytes of data\).*holds more"):
        read_idx(path)
    assert sum(inflated) == len(HEADER_2x3) + 7  # not the 64 MB behind them
    path.write_bytes(gzip.compress(HEADER_2x3 + bytes(range(6))))
    assert read_idx(path, max_bytes=6).tolist() == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(MNISTError, match="more than max_bytes=5"):
        read_idx(path, max_bytes=5)


def test_a_file_far_larger_than_mnist_is_refused_before_hashing(tmp_path):
    for name, _ in FILES.values():
        with open(tmp_path / name, "wb") as handle:
            handle.truncate(1 << 27)  # sparse: 128 MB on paper, nothing on disk
    with pytest.raises(MNISTError, match=r"134,217,728 bytes, larger than any MNIST file"):
        load_mnist(tmp_path)
