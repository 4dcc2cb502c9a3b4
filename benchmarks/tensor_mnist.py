"""One epoch of MNIST on chainrule's Tensor engine, and on PyTorch when installed.

MLP 784-128-64-10 with ReLU, float32, softmax cross-entropy, SGD lr 0.1, batch 64, one
epoch over the 60,000 training images (pixels scaled to [0, 1]). Both engines start from
the same weights, see the same batches in the same order, run single-threaded in one
process and alternate in blocks of batches (so drifts in machine speed hit both alike).
Prints seconds per epoch for each, their ratio, and both test accuracies.

    python benchmarks/tensor_mnist.py                  # pip install torch==2.13.0 for the peer
    python benchmarks/tensor_mnist.py --data DIR       # or CHAINRULE_MNIST=DIR

The data folder defaults to ../shared/data/mnist next to the repository (IDX, gzip).
"""

from __future__ import annotations

import os

# Single-threaded BLAS for a fair comparison; must be set before numpy is imported.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import gzip  # noqa: E402
import struct  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from autograd import Tensor, cross_entropy, no_grad  # noqa: E402

BATCH, LR, BLOCK = 64, 0.1, 50
SIZES = (784, 128, 64, 10)
REPO = Path(__file__).resolve().parent.parent


def read_idx(path: Path) -> np.ndarray:
    """An IDX file (optionally gzip-compressed) as a uint8 array of its declared shape."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as file:
        zero, dtype_code, ndim = struct.unpack(">HBB", file.read(4))
        if zero != 0 or dtype_code != 0x08:
            raise ValueError(f"{path}: not an unsigned-byte IDX file")
        shape = struct.unpack(f">{ndim}I", file.read(4 * ndim))
        return np.frombuffer(file.read(), dtype=np.uint8).reshape(shape)


def load_mnist(folder: Path) -> tuple[np.ndarray, ...]:
    """(train images, train labels, test images, test labels); images float32 in [0, 1]."""
    def images(name: str) -> np.ndarray:
        raw = read_idx(folder / f"{name}-images-idx3-ubyte.gz")
        return (raw.reshape(len(raw), -1) / np.float32(255)).astype(np.float32)

    def labels(name: str) -> np.ndarray:
        return read_idx(folder / f"{name}-labels-idx1-ubyte.gz").astype(np.int64)

    return images("train"), labels("train"), images("t10k"), labels("t10k")


def initial_weights(seed: int) -> list[np.ndarray]:
    """PyTorch's Linear default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)); layout (in, out)."""
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:], strict=True):
        bound = 1 / np.sqrt(fan_in)
        params.append(rng.uniform(-bound, bound, (fan_in, fan_out)).astype(np.float32))
        params.append(rng.uniform(-bound, bound, fan_out).astype(np.float32))
    return params


# --- chainrule --------------------------------------------------------------------------------
class ChainruleMLP:
    def __init__(self, weights: list[np.ndarray]) -> None:
        self.params = [Tensor(w.copy(), requires_grad=True, role="parameter") for w in weights]

    def logits(self, x: Tensor) -> Tensor:
        w1, b1, w2, b2, w3, b3 = self.params
        h = (x @ w1 + b1).relu()
        h = (h @ w2 + b2).relu()
        return h @ w3 + b3

    def step(self, x: np.ndarray, y: np.ndarray) -> float:
        # One fused node, as PyTorch's F.cross_entropy; the same value as
        # -logits.log_softmax(axis=1)[np.arange(len(y)), y].mean() (four nodes).
        loss = cross_entropy(self.logits(Tensor(x)), y)
        for p in self.params:
            p.grad = None
        loss.backward()
        for p in self.params:
            p.data -= LR * p.grad  # in place: float32 stays float32 (LR is a Python float)
        return loss.item()

    def accuracy(self, x: np.ndarray, y: np.ndarray) -> float:
        with no_grad():
            return float(np.mean(self.logits(Tensor(x)).data.argmax(axis=1) == y))


# --- PyTorch ----------------------------------------------------------------------------------
class TorchMLP:
    def __init__(self, weights: list[np.ndarray], torch) -> None:
        self.torch = torch
        layers = []
        for i in range(3):
            linear = torch.nn.Linear(SIZES[i], SIZES[i + 1])
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(weights[2 * i].T.copy()))
                linear.bias.copy_(torch.from_numpy(weights[2 * i + 1].copy()))
            layers += [linear, torch.nn.ReLU()]
        self.model = torch.nn.Sequential(*layers[:-1])
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=LR)

    def step(self, x: np.ndarray, y: np.ndarray) -> float:
        torch = self.torch
        loss = torch.nn.functional.cross_entropy(self.model(torch.from_numpy(x)),
                                                 torch.from_numpy(y))
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def accuracy(self, x: np.ndarray, y: np.ndarray) -> float:
        with self.torch.no_grad():
            predicted = self.model(self.torch.from_numpy(x)).argmax(dim=1).numpy()
        return float(np.mean(predicted == y))


# --- the race ---------------------------------------------------------------------------------
def run(data: Path, seed: int, limit: int | None, use_torch: bool) -> None:
    train_x, train_y, test_x, test_y = load_mnist(data)
    order = np.random.default_rng(seed).permutation(len(train_x))
    # Batches cut once, up front: both engines get the same contiguous arrays.
    batches = [(np.ascontiguousarray(train_x[order[i:i + BATCH]]), train_y[order[i:i + BATCH]])
               for i in range(0, len(order), BATCH)][:limit]
    weights = initial_weights(seed)
    engines = {"chainrule": ChainruleMLP(weights)}
    if use_torch:
        try:
            import torch
        except ImportError:
            print("PyTorch is not installed (pip install torch==2.13.0): chainrule only")
        else:
            torch.set_num_threads(1)
            engines["pytorch"] = TorchMLP(weights, torch)
    _limit_numpy_threads()
    seconds = dict.fromkeys(engines, 0.0)
    cpu = dict.fromkeys(engines, 0.0)  # CPU time: robust when other programs share the cores
    losses: dict[str, float] = {}
    for start in range(0, len(batches), BLOCK):
        block = batches[start:start + BLOCK]
        for name, engine in engines.items():
            began, began_cpu = time.perf_counter(), time.process_time()
            for x, y in block:
                losses[name] = engine.step(x, y)
            seconds[name] += time.perf_counter() - began
            cpu[name] += time.process_time() - began_cpu
    fraction = len(batches) * BATCH / len(train_x)
    print(f"MNIST MLP {'-'.join(map(str, SIZES))}, float32, batch {BATCH}, SGD lr {LR}, "
          f"{len(batches)} steps ({min(fraction, 1.0):.0%} of an epoch), single-threaded")
    for name, engine in engines.items():
        print(f"{name:>10}: {seconds[name] / fraction:6.2f} s/epoch "
              f"({cpu[name] / fraction:.2f} s CPU)   last loss {losses[name]:.4f}   "
              f"test accuracy {engine.accuracy(test_x, test_y):.2%}")
    if "pytorch" in engines:
        print(f"     ratio: {seconds['chainrule'] / seconds['pytorch']:.2f} "
              f"({cpu['chainrule'] / cpu['pytorch']:.2f} in CPU time); chainrule / PyTorch, "
              f"below 1 is faster")


def _limit_numpy_threads() -> None:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return  # the environment variables above already did it
    threadpool_limits(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("CHAINRULE_MNIST", str(REPO.parent / "shared" / "data" / "mnist"))
    parser.add_argument("--data", type=Path, default=Path(default),
                        help="folder with the four MNIST .gz files (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="only this many batches")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch run")
    args = parser.parse_args()
    run(args.data, args.seed, args.limit, not args.no_torch)


if __name__ == "__main__":
    main()
