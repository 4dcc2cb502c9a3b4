"""x = x + 1, a million times, then backward: no recursion limit, and how fast.

Each run is a fresh Python process (so one engine's imports and leftovers never slow
the other's garbage collector), with the collector on, as users run it. Three runs; the
median is the figure. When PyTorch is installed (the ``torch`` extra) the same chain on
0-d tensors runs too, alternating, and the ratio of the medians is printed: a figure
the machine's noise moves much less than the seconds.

    python benchmarks/deep_chain.py            # N=200000 python benchmarks/... for less
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

N = int(os.environ.get("N", 1_000_000))
RUNS = 3


def time_chain(make_leaf: Callable[[], Any]) -> tuple[float, float, float]:
    """CPU seconds to build y = x + 1 + ... + 1 (N times), to backpropagate, to free it all.

    CPU time of this process, not wall time: on a shared machine another process taking
    the core would otherwise count against whichever engine was running.
    """
    start = time.process_time()
    x = make_leaf()
    y = x
    for _ in range(N):
        y = y + 1
    built = time.process_time()
    y.backward()
    done = time.process_time()
    assert float(x.grad) == 1.0 and float(y) == N
    del x, y
    return built - start, done - built, time.process_time() - done


def chainrule_chain() -> tuple[float, float, float]:
    from autograd import Value

    return time_chain(lambda: Value(0.0))


def pytorch_chain() -> tuple[float, float, float]:
    import torch

    torch.set_num_threads(1)
    return time_chain(lambda: torch.zeros((), dtype=torch.float64, requires_grad=True))


ENGINES = {"chainrule": chainrule_chain, "pytorch": pytorch_chain}


def run_in_fresh_process(engine: str) -> tuple[float, ...]:
    """(forward, backward, freeing the graph) in seconds, timed in a new process."""
    output = subprocess.run([sys.executable, __file__, engine], capture_output=True,
                            text=True, check=True).stdout
    return tuple(map(float, output.split()))


def main() -> None:
    engines = ["chainrule"]
    if importlib.util.find_spec("torch") is not None:
        engines.append("pytorch")
    totals: dict[str, list[float]] = {name: [] for name in engines}
    for run in range(RUNS):
        for name in engines:
            forward, backward, freeing = run_in_fresh_process(name)
            totals[name].append(forward + backward)
            print(f"run {run + 1} {name:9s}: forward {forward:.2f} s, backward {backward:.2f} s, "
                  f"total {forward + backward:.2f} s (then freeing the graph {freeing:.2f} s)",
                  flush=True)
    medians = {name: statistics.median(times) for name, times in totals.items()}
    target = " (target: under 3 s)" if N == 1_000_000 else ""
    print(f"chainrule: median {medians['chainrule']:.2f} s for a chain of {N:,} additions"
          f"{target}")
    if "pytorch" in medians:
        print(f"pytorch  : median {medians['pytorch']:.2f} s; chainrule takes "
              f"{medians['chainrule'] / medians['pytorch']:.2f}x PyTorch's time")


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] in ENGINES:
        print(*ENGINES[sys.argv[1]]())
    else:
        main()
