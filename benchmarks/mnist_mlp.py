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

import numpy as np  # noqa: E402
from mnist_run import load_scaled, parse_args, train_and_report  # noqa: E402  (puts the repo on sys.path)

from nn import Linear, ReLU, Sequential, manual_seed  # noqa: E402


def main() -> None:
    args = parse_args(__doc__.splitlines()[0], epochs=5, batch_size=128)
    (x_train, y_train), (x_test, y_test) = load_scaled(args.data)
    # each 28 x 28 image a row of 784
    X_train, X_test = x_train.reshape(len(x_train), -1), x_test.reshape(len(x_test), -1)

    manual_seed(args.seed)
    f32 = np.float32
    model = Sequential(
        Linear(784, 256, init="he_normal", dtype=f32), ReLU(),
        Linear(256, 128, init="he_normal", dtype=f32), ReLU(),
        Linear(128, 10, dtype=f32),
    )
    print(model)
    print("weight shapes:", [tuple(p.shape) for p in model.parameters()])
    train_and_report(model, (X_train, y_train), (X_test, y_test), args, lr=1e-3, target=0.975)


if __name__ == "__main__":
    main()
