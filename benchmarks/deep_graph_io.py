"""Pickle, deepcopy and explain on a y = y + 1 chain: linear in its length, no recursion.

Python's default pickling of a node recursed through its parents and stopped at ~250
nodes (deepcopy at ~140); explain built its one path by tuple concatenation, 62 s at
200,000 operations. This prints CPU seconds at N/10 and N operations and their ratio:
about 10 means linear (100 would be quadratic). The peer for the time is backward() on
the same chain, which every user runs. PyTorch has no peer: its graphs cannot be
pickled or deep-copied at all.

    python benchmarks/deep_graph_io.py          # N=200000 python benchmarks/... for less
"""

from __future__ import annotations

import copy
import os
import pickle
import time

from autograd import Value, explain

N = int(os.environ.get("N", 1_000_000))


def chain(n: int) -> tuple[Value, Value]:
    x = Value(1.0, label="x")
    y = x
    for _ in range(n):
        y = y + 1
    return x, y


def seconds(action) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


def measure(n: int) -> tuple[dict[str, float], int]:
    """CPU seconds of each action on a chain of n operations, and the pickle's size."""
    x, y = chain(n)
    data = pickle.dumps(y)
    times = {"backward": seconds(y.backward),
             "pickle": seconds(lambda: pickle.dumps(y)),
             "unpickle": seconds(lambda: pickle.loads(data)),
             "deepcopy": seconds(lambda: copy.deepcopy(y)),
             "explain": seconds(lambda: str(explain(y, wrt=x)))}
    return times, len(data)


def main() -> None:
    print(f"y = y + 1 chains of N/10 = {N // 10:,} and N = {N:,} operations (CPU seconds)")
    small, _ = measure(N // 10)
    large, size = measure(N)
    print(f"(pickle of N: {size / 1e6:.1f} MB, {size / N:.0f} bytes a node)")
    print(f"{'':12}{'N/10':>9}{'N':>9}{'ratio':>8}{'vs backward':>13}")
    for name in large:
        print(f"{name:12}{small[name]:9.2f}{large[name]:9.2f}{large[name] / small[name]:8.1f}"
              f"{large[name] / large['backward']:12.1f}x")


if __name__ == "__main__":
    main()
