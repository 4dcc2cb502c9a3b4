import gzip
import io
import shutil
from pathlib import Path

import numpy as np
import pytest

from nn import load_mnist
from nn import mnist as mnist_module
from nn.mnist import FILES, MNISTError, read_idx

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mnist"


def test_loads_the_shared_files_with_checksums():
    (x, y), (xt, yt) = load_mnist(SHARED)
    assert x.shape == (60000, 28, 28) and x.dtype == np.uint8
    assert xt.shape == (10000, 28, 28) and yt.shape == (10000,)
    assert y[:5].tolist() == [5, 0, 4, 1, 9] and set(np.unique(y)) == set(range(10))
    assert np.bincount(yt).sum() == 10000


def test_missing_files_say_where_it_looked_and_how_to_get_them(tmp_path):
    with pytest.raises(MNISTError) as info:
        load_mnist(tmp_path)
    message = str(info.value)
    assert str(tmp_path) in message and "train-images-idx3-ubyte.gz" in message
    assert "download=True" in message
    with pytest.raises(MNISTError, match="does not exist"):
        load_mnist(tmp_path / "nowhere")


def test_default_directory_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINRULE_MNIST", str(tmp_path))
    with pytest.raises(MNISTError, match=str(tmp_path)):
        load_mnist()


def copy_shared(target: Path) -> None:
    for name, _ in FILES.values():
        shutil.copy(SHARED / name, target / name)


def test_damaged_file_fails_its_checksum(tmp_path):
    copy_shared(tmp_path)
    path = tmp_path / "t10k-labels-idx1-ubyte.gz"
    data = bytearray(path.read_bytes())
    data[-20] ^= 0xFF
    path.chmod(0o644)
    path.write_bytes(bytes(data))
    with pytest.raises(MNISTError, match="t10k-labels-idx1-ubyte.gz has MD5 .* published MD5 "
                                         "is ec29112dd5afa0611ce80d1b7f02629c"):
        load_mnist(tmp_path)


def test_download_fetches_missing_files_into_the_folder(tmp_path, monkeypatch):
    requested = []

    def fake_urlopen(url, timeout):
        requested.append(url)
        return io.BytesIO((SHARED / url.rsplit("/", 1)[1]).read_bytes())

    monkeypatch.setattr(mnist_module.urllib.request, "urlopen", fake_urlopen)
    (x, _), _ = load_mnist(tmp_path / "cache", download=True)
    assert x.shape == (60000, 28, 28) and len(requested) == 4
    assert requested[0].startswith(mnist_module.MIRRORS[0])
    assert not list((tmp_path / "cache").glob("*.part"))


def test_failed_download_names_each_mirror(tmp_path, monkeypatch):
    def offline(url, timeout):
        raise OSError("network unreachable")

    monkeypatch.setattr(mnist_module.urllib.request, "urlopen", offline)
    with pytest.raises(MNISTError, match="could not download") as info:
        load_mnist(tmp_path, download=True)
    assert all(m in str(info.value) for m in mnist_module.MIRRORS)


def test_read_idx_rejects_truncated_and_foreign_files(tmp_path):
    good = tmp_path / "x.idx.gz"
    header = bytes([0, 0, 0x08, 2]) + (2).to_bytes(4, "big") + (3).to_bytes(4, "big")
    good.write_bytes(gzip.compress(header + bytes(range(6))))
    assert read_idx(good).tolist() == [[0, 1, 2], [3, 4, 5]]
    short = tmp_path / "short.gz"
    short.write_bytes(gzip.compress(header + bytes(5)))
    with pytest.raises(MNISTError, match="truncated"):
        read_idx(short)
    short.write_bytes(gzip.compress(header[:6]))           # cut inside the header
    with pytest.raises(MNISTError, match="2 dimensions.*truncated"):
        read_idx(short)
    foreign = tmp_path / "foreign.gz"
    foreign.write_bytes(gzip.compress(b"PK\x03\x04hello"))
    with pytest.raises(MNISTError, match="not an IDX file"):
        read_idx(foreign)
