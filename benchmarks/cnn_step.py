"""One CNN training step, chainrule against PyTorch CPU in the same process.

    python benchmarks/cnn_step.py [--steps 30] [--models mnist,separable,residual]
                                  [--allocator both|default|mallopt]

Models (batch 64, float32, 28x28 grey images, cross-entropy, Adam):
- mnist:     benchmarks/mnist_cnn.py's model: conv 3x3x16 p1, ReLU, max-pool 2,
             conv 3x3x32 p1, ReLU, max-pool 2, linear 1568 -> 10;
- separable: notebook 11's depthwise-separable net: conv 3x3x16, then
             SeparableConv2d 16 -> 32 and 32 -> 64 (3x3, stride 2), global average
             pooling, linear 64 -> 10;
- residual:  notebook 11's residual net: conv 3x3x16 + BatchNorm2d + ReLU, then
             two residual blocks (conv-BN-ReLU-conv-BN, identity skip) and a max-pool
             between, global average pooling, linear 16 -> 10.

Both libraries get the same initial weights and the same batches, one thread each; their
steps alternate, so load from other processes hits both alike. Each keeps its last loss
(and the graph behind it) until its next step, as a training loop does. Printed: median step
times (forward + loss + backward + Adam update) and chainrule's time / PyTorch's, by
CPU time (a shared machine stretches wall-clock time while a step waits for a core);
in brackets the same ratio by wall-clock time, and the page faults per step of each
(memory the C allocator handed back to the OS and took again: the kernel zeroes every
page).

Each model is timed twice, each time in a fresh process: with glibc's default allocator
and with the ``mallopt`` opt-in, which asks glibc to keep freed large blocks instead of
returning them to the OS after each step. The opt-in is process-wide, so it affects
PyTorch too; it is the benchmark's to make, never the library's (``--allocator`` picks one).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import nn  # noqa: E402
from nn import cross_entropy  # noqa: E402

try:
    import torch  # noqa: E402
except ImportError:  # pragma: no cover - the peer is an extra
    sys.exit("this benchmark needs PyTorch: .venv/bin/pip install torch==2.13.0")

F32 = np.float32


def tune_malloc() -> None:
    """Keep freed blocks up to 256 MB in the heap (glibc only): no mmap/munmap per step."""
    libc = ctypes.CDLL("libc.so.6")
    m_trim_threshold, m_mmap_threshold = -1, -3
    libc.mallopt(m_trim_threshold, 256 << 20)
    libc.mallopt(m_mmap_threshold, 256 << 20)


# --- the three models, in both libraries ---------------------------------------------------
def mnist_models():
    ours = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1, dtype=F32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1, dtype=F32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 10, dtype=F32))
    t = torch.nn
    theirs = t.Sequential(
        t.Conv2d(1, 16, 3, padding=1), t.ReLU(), t.MaxPool2d(2),
        t.Conv2d(16, 32, 3, padding=1), t.ReLU(), t.MaxPool2d(2),
        t.Flatten(), t.Linear(32 * 7 * 7, 10))
    return ours, theirs


def separable_models():
    ours = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1, dtype=F32), nn.ReLU(),
        nn.SeparableConv2d(16, 32, 3, stride=2, padding=1, dtype=F32), nn.ReLU(),
        nn.SeparableConv2d(32, 64, 3, stride=2, padding=1, dtype=F32), nn.ReLU(),
        nn.GlobalAvgPool2d(), nn.Linear(64, 10, dtype=F32))
    t = torch.nn

    def separable(cin, cout):
        return [t.Conv2d(cin, cin, 3, 2, 1, groups=cin, bias=False), t.Conv2d(cin, cout, 1)]

    theirs = t.Sequential(
        t.Conv2d(1, 16, 3, padding=1), t.ReLU(), *separable(16, 32), t.ReLU(),
        *separable(32, 64), t.ReLU(), t.AdaptiveAvgPool2d(1), t.Flatten(), t.Linear(64, 10))
    return ours, theirs


def residual_models():
    def block():
        return nn.Residual(nn.Sequential(
            nn.Conv2d(16, 16, 3, padding=1, bias=False, dtype=F32), nn.BatchNorm2d(16, dtype=F32),
            nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1, bias=False, dtype=F32),
            nn.BatchNorm2d(16, dtype=F32)))

    ours = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1, bias=False, dtype=F32), nn.BatchNorm2d(16, dtype=F32),
        nn.ReLU(), block(), nn.ReLU(), nn.MaxPool2d(2), block(), nn.ReLU(),
        nn.GlobalAvgPool2d(), nn.Linear(16, 10, dtype=F32))
    t = torch.nn

    class Block(t.Module):
        def __init__(self):
            super().__init__()
            self.body = t.Sequential(t.Conv2d(16, 16, 3, padding=1, bias=False),
                                     t.BatchNorm2d(16), t.ReLU(),
                                     t.Conv2d(16, 16, 3, padding=1, bias=False),
                                     t.BatchNorm2d(16))

        def forward(self, x):
            return self.body(x) + x

    theirs = t.Sequential(
        t.Conv2d(1, 16, 3, padding=1, bias=False), t.BatchNorm2d(16), t.ReLU(), Block(),
        t.ReLU(), t.MaxPool2d(2), Block(), t.ReLU(), t.AdaptiveAvgPool2d(1), t.Flatten(),
        t.Linear(16, 10))
    return ours, theirs


MODELS = {"mnist": mnist_models, "separable": separable_models, "residual": residual_models}


def copy_weights(ours: nn.Module, theirs) -> None:
    """PyTorch's parameters set to ours (a Linear weight is stored transposed there)."""
    mine = ours.parameters()
    peers = list(theirs.parameters())
    assert len(mine) == len(peers), (len(mine), len(peers))
    with torch.no_grad():
        for a, b in zip(mine, peers):
            data = a.data.T if a.ndim == 2 else a.data
            assert data.shape == tuple(b.shape), (data.shape, tuple(b.shape))
            b.copy_(torch.from_numpy(np.ascontiguousarray(data)))


# --- timing ---------------------------------------------------------------------------------
def measure(name: str, steps: int, batch: int = 64) -> tuple[dict, dict, dict]:
    nn.manual_seed(0)
    torch.manual_seed(0)
    ours, theirs = MODELS[name]()
    copy_weights(ours, theirs)
    rng = np.random.default_rng(0)
    images = rng.random((steps + 3, batch, 1, 28, 28), dtype=F32)
    labels = rng.integers(0, 10, (steps + 3, batch))
    our_opt = nn.Adam(ours.parameters(), lr=1e-3)
    their_opt = torch.optim.Adam(theirs.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    # Each engine's last loss (and the graph behind it) lives until its next step, as in a
    # training loop (`loss = ...` once per batch): memory is freed as training frees it.
    last = {}

    def our_step(i: int) -> float:
        ours.zero_grad()
        last["ours"] = loss = cross_entropy(ours(images[i]), labels[i])
        loss.backward()
        our_opt.step()
        return loss.item()

    def their_step(i: int) -> float:
        their_opt.zero_grad()
        last["theirs"] = loss = loss_fn(theirs(torch.from_numpy(images[i])),
                                        torch.from_numpy(labels[i]))
        loss.backward()
        their_opt.step()
        return loss.item()

    ours_first, theirs_first = our_step(0), their_step(0)
    assert abs(ours_first - theirs_first) < 1e-3, (ours_first, theirs_first)
    cpu: dict[str, list[float]] = {"ours": [], "theirs": []}
    wall: dict[str, list[float]] = {"ours": [], "theirs": []}
    faults = {"ours": 0, "theirs": 0}
    for i in range(1, steps + 1):
        order = (("ours", our_step), ("theirs", their_step))
        for who, step in order if i % 2 else order[::-1]:  # alternate who goes first
            start_faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            start, start_cpu = time.perf_counter(), time.process_time()
            step(i)
            cpu[who].append(time.process_time() - start_cpu)
            wall[who].append(time.perf_counter() - start)
            faults[who] += resource.getrusage(resource.RUSAGE_SELF).ru_minflt - start_faults
    return ({k: 1e3 * statistics.median(cpu[k]) for k in cpu},
            {k: 1e3 * statistics.median(wall[k]) for k in wall},
            {k: faults[k] / steps for k in faults})


def report(models: str, steps: int, tuned: bool) -> None:
    """Time each model in this process and print one line per model."""
    if tuned:
        tune_malloc()
    torch.set_num_threads(1)
    for name in models.split(","):
        cpu, wall, faults = measure(name, steps)
        print(f"{name:10s} {'mallopt' if tuned else 'default':8s} chainrule {cpu['ours']:6.1f} ms"
              f"   PyTorch {cpu['theirs']:6.1f} ms   ratio {cpu['ours'] / cpu['theirs']:4.2f}x   "
              f"(wall {wall['ours'] / wall['theirs']:.2f}x; page faults per step "
              f"{faults['ours']:.0f} / {faults['theirs']:.0f})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--models", default="mnist,separable,residual")
    parser.add_argument("--allocator", choices=("both", "default", "mallopt"), default="both",
                        help="glibc's default, the mallopt opt-in (keeps freed large blocks; "
                             "whole process), or both, each model in a fresh process")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.child:
        print(f"PyTorch {torch.__version__}, numpy {np.__version__}, one thread each, "
              f"{args.steps} alternating steps, batch 64; median CPU time of a step (the "
              f"wall-clock ratio in brackets)", flush=True)
    if args.allocator != "both":
        report(args.models, args.steps, tuned=args.allocator == "mallopt")
        return
    for name in args.models.split(","):  # mallopt cannot be undone: one process per run
        for allocator in ("default", "mallopt"):
            subprocess.run([sys.executable, __file__, "--models", name, "--steps",
                            str(args.steps), "--allocator", allocator, "--child"], check=True)


if __name__ == "__main__":
    main()
