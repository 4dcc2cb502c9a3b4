"""x = x + 1, a million times, then backward: no recursion limit, and how fast.

    python benchmarks/deep_chain.py
"""

from __future__ import annotations

import time

from autograd import Value

N = 1_000_000


def main() -> None:
    start = time.perf_counter()
    x = Value(0.0)
    y = x
    for _ in range(N):
        y = y + 1
    built = time.perf_counter()
    y.backward()
    done = time.perf_counter()
    assert x.grad == 1.0 and y.data == N
    print(f"forward {built - start:.2f} s, backward {done - built:.2f} s, "
          f"total {done - start:.2f} s for a chain of {N:,} additions")
    start = time.perf_counter()
    del y
    print(f"freeing the graph: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
