"""What the MNIST benchmarks share: their command line, and the loop that trains one
epoch at a time and prints test accuracy and seconds per epoch after each.

Each benchmark builds its own model; everything around the model is here, so the MLP
and CNN figures are measured the same way.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nn import Adam, CosineDecay, Module, cross_entropy, evaluate, fit, load_mnist  # noqa: E402


def parse_args(description: str, epochs: int, batch_size: int) -> argparse.Namespace:
    """--epochs, --batch-size, --data (the IDX folder) and --seed, with these defaults."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--epochs", type=int, default=epochs)
    parser.add_argument("--batch-size", type=int, default=batch_size)
    parser.add_argument("--data", default=str(ROOT / ".." / "shared" / "data" / "mnist"))
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def load_scaled(folder: str) -> tuple[tuple[np.ndarray, np.ndarray],
                                      tuple[np.ndarray, np.ndarray]]:
    """MNIST with pixels 0..255 as float32 in 0..1 (images still (N, 28, 28))."""
    (x_train, y_train), (x_test, y_test) = load_mnist(folder)
    return ((x_train / 255.0).astype(np.float32), y_train), \
        ((x_test / 255.0).astype(np.float32), y_test)


def train_and_report(model: Module, train: tuple[np.ndarray, np.ndarray],
                     test: tuple[np.ndarray, np.ndarray], args: argparse.Namespace,
                     lr: float, target: float) -> None:
    """Adam with the rate cosine-decayed from ``lr`` to 0 over the run; cross-entropy on
    the logits; after each epoch, test loss and accuracy and the epoch's seconds."""
    steps = args.epochs * math.ceil(len(train[0]) / args.batch_size)
    optimizer = Adam(model.parameters(), lr=CosineDecay(lr, total_steps=steps))
    scores = {"accuracy": 0.0}
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        history = fit(model, *train, loss=cross_entropy, optimizer=optimizer, epochs=1,
                      batch_size=args.batch_size, progress=False, seed=args.seed + epoch)
        seconds = time.perf_counter() - start
        scores = evaluate(model, *test, loss=cross_entropy)
        print(f"epoch {epoch}: train loss {history['loss'][-1]:.4f}  "
              f"test loss {scores['loss']:.4f}  "
              f"test accuracy {100 * scores['accuracy']:.2f}%  "
              f"time {seconds:.1f} s/epoch", flush=True)
    verdict = "reached" if scores["accuracy"] >= target else "MISSED"
    print(f"final test accuracy {100 * scores['accuracy']:.2f}% after {args.epochs} epochs "
          f"({verdict} the {100 * target:g}% target)")
