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

import numpy as np  # noqa: E402
from mnist_run import load_scaled, parse_args, train_and_report  # noqa: E402  (puts the repo on sys.path)

from nn import Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, manual_seed  # noqa: E402


def build_model() -> Sequential:
    """The network above, float32 (benchmarks/viz_explore.py draws this same model)."""
    f32 = np.float32
    return Sequential(
        Conv2d(1, 16, 3, padding=1, dtype=f32), ReLU(), MaxPool2d(2),
        Conv2d(16, 32, 3, padding=1, dtype=f32), ReLU(), MaxPool2d(2),
        Flatten(),
        Linear(32 * 7 * 7, 10, dtype=f32),
    )


def main() -> None:
    args = parse_args(__doc__.splitlines()[0], epochs=3, batch_size=64)
    (x_train, y_train), (x_test, y_test) = load_scaled(args.data)
    # (N, 28, 28) -> (N, 1, 28, 28): one grey channel
    X_train, X_test = x_train[:, None], x_test[:, None]

    manual_seed(args.seed)
    model = build_model()
    print(model)
    print("parameters:", sum(p.data.size for p in model.parameters()))
    train_and_report(model, (X_train, y_train), (X_test, y_test), args, lr=2e-3, target=0.985)


if __name__ == "__main__":
    main()
