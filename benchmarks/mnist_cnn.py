"""MNIST with a small convolutional network on the Tensor engine: accuracy and time per epoch.

    python benchmarks/mnist_cnn.py [--epochs 3] [--data ../shared/data/mnist]

conv 3x3, 16 filters (padding 1) -> ReLU -> max-pool 2   28x28x1 -> 14x14x16
conv 3x3, 32 filters (padding 1) -> ReLU -> max-pool 2   14x14x16 -> 7x7x32
flatten -> linear 1568 -> 10, cross-entropy on the logits; Adam with a cosine-decayed
learning rate, mini-batches of 64, float32. Target: >= 98.5% test accuracy.
"""

from __future__ import annotations

import os

# One BLAS thread: on a busy machine extra threads wait for each other.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nn import (  # noqa: E402
    Adam,
    Conv2d,
    CosineDecay,
    Flatten,
    Linear,
    MaxPool2d,
    ReLU,
    Sequential,
    cross_entropy,
    evaluate,
    fit,
    load_mnist,
    manual_seed,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--data", default=str(ROOT / ".." / "shared" / "data" / "mnist"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    (x_train, y_train), (x_test, y_test) = load_mnist(args.data)
    # (N, 28, 28) bytes -> (N, 1, 28, 28) floats in 0..1: one grey channel
    X_train = (x_train[:, None] / 255.0).astype(np.float32)
    X_test = (x_test[:, None] / 255.0).astype(np.float32)

    manual_seed(args.seed)
    f32 = np.float32
    model = Sequential(
        Conv2d(1, 16, 3, padding=1, dtype=f32), ReLU(), MaxPool2d(2),
        Conv2d(16, 32, 3, padding=1, dtype=f32), ReLU(), MaxPool2d(2),
        Flatten(),
        Linear(32 * 7 * 7, 10, dtype=f32),
    )
    print(model)
    print("parameters:", sum(p.data.size for p in model.parameters()))
    steps = args.epochs * math.ceil(len(X_train) / args.batch_size)
    optimizer = Adam(model.parameters(), lr=CosineDecay(2e-3, total_steps=steps))

    test = {"accuracy": 0.0}
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        history = fit(model, X_train, y_train, loss=cross_entropy, optimizer=optimizer,
                      epochs=1, batch_size=args.batch_size, progress=False, seed=args.seed + epoch)
        seconds = time.perf_counter() - start
        test = evaluate(model, X_test, y_test, loss=cross_entropy)
        print(f"epoch {epoch}: train loss {history['loss'][-1]:.4f}  "
              f"test loss {test['loss']:.4f}  test accuracy {100 * test['accuracy']:.2f}%  "
              f"time {seconds:.1f} s/epoch", flush=True)
    verdict = "reached" if test["accuracy"] >= 0.985 else "MISSED"
    print(f"final test accuracy {100 * test['accuracy']:.2f}% after {args.epochs} epochs "
          f"({verdict} the 98.5% target)")


if __name__ == "__main__":
    main()
