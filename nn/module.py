"""``Module``: the base of every model — parameters, zero_grad, a scope per call, saving.

    >>> import random, tempfile, os; random.seed(0)
    >>> from nn import MLP
    >>> model = MLP(2, [3, 1])
    >>> path = os.path.join(tempfile.mkdtemp(), "xor.npz")
    >>> model.save(path)
    >>> copy = MLP(2, [3, 1]).load(path)
    >>> [p.data for p in copy.parameters()] == [p.data for p in model.parameters()]
    True
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from autograd import Value, scope

from .serialization import ModelFileError, load_state, save_state


class Module:
    """A callable piece of a model that owns parameters.

    Subclasses write ``forward``; calling the module runs it inside
    ``autograd.scope(name)``, so every node it creates is tagged with the module's name
    (the visualiser groups nodes by it). Parameters are found by walking attributes:
    any Value or Tensor whose ``role`` is ``"parameter"``, and those of sub-modules.
    """

    name: str = ""
    training: bool = True
    # Names of array attributes that are state but not trained (batch-norm's running
    # statistics): saved and loaded with the parameters, never given to an optimizer.
    buffers: tuple[str, ...] = ()

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with scope(self.name or type(self).__name__):
            return self.forward(*args, **kwargs)

    def __setattr__(self, key: str, value: Any) -> None:
        object.__setattr__(self, key, value)
        if isinstance(value, (Module, list, tuple)) or getattr(value, "role", "") == "parameter":
            _stamp_names(self)

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Any]]:
        """(dotted name, parameter) pairs in the order the attributes were set."""
        seen: set[int] = set()
        for name, item in _walk(self, prefix):
            if id(item) not in seen:
                seen.add(id(item))
                yield name, item

    def parameters(self) -> list:
        """Every trainable Value or Tensor of this module and its sub-modules."""
        return [p for _, p in self.named_parameters()]

    def children(self) -> Iterator[Module]:
        """The modules directly inside this one, in the order the attributes were set."""
        for _, item in _named_items(self):
            if isinstance(item, Module):
                yield item

    def modules(self) -> Iterator[Module]:
        """This module and all modules inside it, depth first."""
        stack: list[Module] = [self]
        while stack:
            module = stack.pop()
            yield module
            stack.extend(reversed(list(module.children())))

    def zero_grad(self) -> None:
        """Reset every parameter's gradient (0.0 for Values, None for Tensors)."""
        reset_grads(self.parameters())

    def train(self, mode: bool = True) -> Module:
        """Training mode (dropout active, batch statistics); returns self."""
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        """Evaluation mode (dropout off, running statistics); returns self."""
        return self.train(False)

    def named_buffers(self, prefix: str = "") -> Iterator[tuple[str, Module, str]]:
        """(dotted name, owning module, attribute) of every buffer."""
        for name in self.buffers:
            yield prefix + name, self, name
        for key, item in _named_items(self):
            if isinstance(item, Module):
                yield from item.named_buffers(f"{prefix}{key}.")

    # --- saving and loading -----------------------------------------------------------
    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """Every parameter and buffer as a copied numpy array, by dotted name."""
        state: OrderedDict[str, np.ndarray] = OrderedDict()
        for name, p in self.named_parameters():
            state[name] = np.array(p.data, dtype=float, copy=True)
        for name, module, attr in self.named_buffers():
            state[name] = np.array(getattr(module, attr), copy=True)
        return state

    def load_state_dict(self, state: dict[str, Any], strict: bool = True) -> Module:
        """Copy arrays from ``state`` into the parameters and buffers; returns self.

        Every shape is checked before anything is changed, so a failed load leaves the
        model as it was. ``strict=False`` skips keys the model lacks (missing ones still
        raise).
        """
        targets = {name: ("parameter", p) for name, p in self.named_parameters()}
        targets.update({name: ("buffer", (module, attr))
                        for name, module, attr in self.named_buffers()})
        missing = [name for name in targets if name not in state]
        if missing:
            kind, target = targets[missing[0]]
            shape = np.shape(target.data if kind == "parameter" else getattr(*target))
            raise ModelFileError(f"the weights lack {missing[0]!r} (the model's {kind} of shape "
                                 f"{shape}) and {len(missing) - 1} more entries; were they "
                                 f"saved from a different model?")
        unexpected = [name for name in state if name not in targets]
        if unexpected and strict:
            raise ModelFileError(f"the weights hold {unexpected[0]!r}, which this model does "
                                 f"not have; pass strict=False to ignore extra entries")
        arrays = {}
        for name, (kind, target) in targets.items():
            array = np.asarray(state[name])
            current = np.asarray(target.data if kind == "parameter"
                                 else getattr(*target))
            if array.shape != current.shape:
                raise ModelFileError(f"{name!r}: the weights have shape {array.shape} but the "
                                     f"model's {kind} has shape {current.shape}")
            if not np.issubdtype(array.dtype, np.number):
                raise ModelFileError(f"{name!r}: expected numbers, got dtype {array.dtype}")
            arrays[name] = array
        for name, (kind, target) in targets.items():
            array = arrays[name]
            if kind == "buffer":
                setattr(*target, np.array(array, dtype=float))
            elif isinstance(target.data, np.ndarray):
                target.data[...] = array
            else:
                target.data = float(array)
        return self

    def save(self, path: str | Path) -> None:
        """Write ``state_dict()`` to ``path`` as ``.npz`` (no pickle)."""
        save_state(self.state_dict(), path)

    def load(self, path: str | Path) -> Module:
        """Read weights saved by ``save`` into this model (same architecture); returns self."""
        return self.load_state_dict(load_state(path))

    # --- a readable description -----------------------------------------------------
    def extra_repr(self) -> str:
        """The settings shown between the parentheses of ``repr`` (``in=2, out=3``)."""
        return ""

    def __repr__(self) -> str:
        children = [(key, item) for key, item in _named_items(self) if isinstance(item, Module)]
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not children:
            return head + ")"
        lines = []
        for key, child in children:
            key = key.removeprefix("layers.")  # Sequential's layers read (0), (1), as PyTorch
            text = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({key}): {text}")
        return head + "\n" + "\n".join(lines) + "\n)"


def reset_grads(params: Iterable[Any]) -> None:
    """Forget the gradients: a Value's back to 0.0 (where ``+=`` starts), a Tensor's to
    None (no array kept; the optimizer skips it until backward gives it one), as PyTorch.
    """
    for p in params:
        p.grad = 0.0 if isinstance(p, Value) else None


def _stamp_names(module: Module) -> None:
    """Label each parameter with its dotted name from ``named_parameters()``, so pictures,
    captions and text name it the same (``layers.1.neurons.3.w.2``). A label the user
    chose is kept: only an empty label, or one the new name ends with (``w2``, an
    earlier ``w.2``), is replaced."""
    for name, p in module.named_parameters():
        old = (p.label or "").replace(".", "")
        if not old or name.replace(".", "").endswith(old):
            p.label = name


def _named_items(module: Module) -> Iterator[tuple[str, Any]]:
    """(name, item) for every attribute, list and tuple items named ``attr.i``.

    The one walk over a module's contents: parameters, buffers, sub-modules and ``repr``
    all read it, so they always agree on names.
    """
    for attr, value in vars(module).items():
        if isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                yield f"{attr}.{index}", item
        else:
            yield attr, value


def _walk(module: Module, prefix: str) -> Iterator[tuple[str, Any]]:
    for key, item in _named_items(module):
        if isinstance(item, Module):
            yield from _walk(item, f"{prefix}{key}.")
        elif getattr(item, "role", None) == "parameter":
            yield prefix + key, item
