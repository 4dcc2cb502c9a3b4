"""MNIST with a multilayer perceptron on the Tensor engine: test accuracy and time per epoch.

    python benchmarks/mnist_mlp.py [--epochs 5] [--data ../shared/data/mnist]

784 -> 256 -> 128 -> 10 (ReLU, He-normal weights), cross-entropy on the logits, Adam
with a cosine-decayed learning rate (1e-3 down to 0 over the run), mini-batches of 128,
float32. Target: >= 97.5% test accuracy within 5 epochs.
"""

from __future__ import annotations

import os

# One BLAS thread: these matrices are small, and on a busy machine extra threads wait
# for each other (measured here: ~6x slower per batch with 2 threads under load).
# Set OPENBLAS_NUM_THREADS yourself to try otherwise.
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
    CosineDecay,
    Linear,
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
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--data", default=str(ROOT / ".." / "shared" / "data" / "mnist"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    (x_train, y_train), (x_test, y_test) = load_mnist(args.data)
    # pixels 0..255 -> 0..1, each image a row of 784
    X_train = (x_train.reshape(len(x_train), -1) / 255.0).astype(np.float32)
    X_test = (x_test.reshape(len(x_test), -1) / 255.0).astype(np.float32)

    manual_seed(args.seed)
    f32 = np.float32
    model = Sequential(
        Linear(784, 256, init="he_normal", dtype=f32), ReLU(),
        Linear(256, 128, init="he_normal", dtype=f32), ReLU(),
        Linear(128, 10, dtype=f32),
    )
    print(model)
    print("weight shapes:", [tuple(p.shape) for p in model.parameters()])
    steps = args.epochs * math.ceil(len(X_train) / args.batch_size)
    optimizer = Adam(model.parameters(), lr=CosineDecay(1e-3, total_steps=steps))

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
    verdict = "reached" if test["accuracy"] >= 0.975 else "MISSED"
    print(f"final test accuracy {100 * test['accuracy']:.2f}% after {args.epochs} epochs "
          f"({verdict} the 97.5% target)")


if __name__ == "__main__":
    main()
