"""x = x + 1, a million times, then backward: no recursion limit, and how fast.

Runs the chain three times (the machines are noisy; the median is the figure) with the
garbage collector on, as users run it. When PyTorch is installed (the ``torch`` extra),
the same chain on 0-d tensors runs in the same process, alternating, and the ratio of
the medians is printed: a figure that the machine's noise does not move much.

    python benchmarks/deep_chain.py            # N=200000 python benchmarks/... for less
"""

from __future__ import annotations

import os
import statistics
import time

from autograd import Value

N = int(os.environ.get("N", 1_000_000))
RUNS = 3


def chainrule_chain() -> tuple[float, float]:
    start = time.perf_counter()
    x = Value(0.0)
    y = x
    for _ in range(N):
        y = y + 1
    built = time.perf_counter()
    y.backward()
    done = time.perf_counter()
    assert x.grad == 1.0 and y.data == N
    return built - start, done - built


def torch_chain() -> tuple[float, float]:
    import torch

    start = time.perf_counter()
    x = torch.zeros((), dtype=torch.float64, requires_grad=True)
    y = x
    for _ in range(N):
        y = y + 1
    built = time.perf_counter()
    y.backward()
    done = time.perf_counter()
    assert x.grad.item() == 1.0 and y.item() == N
    return built - start, done - built


def main() -> None:
    try:
        import torch

        torch.set_num_threads(1)
        engines = {"chainrule": chainrule_chain, "pytorch": torch_chain}
    except ImportError:
        engines = {"chainrule": chainrule_chain}
    totals: dict[str, list[float]] = {name: [] for name in engines}
    for run in range(RUNS):
        for name, chain in engines.items():
            forward, backward = chain()
            totals[name].append(forward + backward)
            print(f"run {run + 1} {name:9s}: forward {forward:.2f} s, backward {backward:.2f} s, "
                  f"total {forward + backward:.2f} s")
    medians = {name: statistics.median(times) for name, times in totals.items()}
    target = " (target: under 3 s)" if N == 1_000_000 else ""
    print(f"chainrule: median {medians['chainrule']:.2f} s for a chain of {N:,} additions"
          f"{target}")
    if "pytorch" in medians:
        print(f"pytorch  : median {medians['pytorch']:.2f} s; chainrule takes "
              f"{medians['chainrule'] / medians['pytorch']:.2f}x PyTorch's time")
    x = Value(0.0)
    y = x
    for _ in range(N):
        y = y + 1
    start = time.perf_counter()
    del x, y
    print(f"freeing the graph: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
