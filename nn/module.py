"""``Module``: the base of every model — parameters, zero_grad, and a scope per call."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from autograd import scope


class Module:
    """A callable piece of a model that owns parameters.

    Subclasses write ``forward``; calling the module runs it inside
    ``autograd.scope(name)``, so every node it creates is tagged with the module's name
    (the visualiser groups nodes by it). Parameters are found by walking attributes:
    any Value or Tensor whose ``role`` is ``"parameter"``, and those of sub-modules.
    """

    name: str = ""
    training: bool = True

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with scope(self.name or type(self).__name__):
            return self.forward(*args, **kwargs)

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

    def modules(self) -> Iterator[Module]:
        """This module and all modules inside it, depth first."""
        stack: list[Module] = [self]
        while stack:
            module = stack.pop()
            yield module
            children = [c for c in _children(module) if isinstance(c, Module)]
            stack.extend(reversed(children))

    def zero_grad(self) -> None:
        """Reset every parameter's gradient (0.0 for Values, None for Tensors)."""
        for p in self.parameters():
            p.grad = None if hasattr(p, "shape") else 0.0

    def train(self, mode: bool = True) -> Module:
        """Training mode (dropout active, batch statistics); returns self."""
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        """Evaluation mode (dropout off, running statistics); returns self."""
        return self.train(False)


def _children(module: Module) -> Iterator[Any]:
    for value in vars(module).values():
        if isinstance(value, (list, tuple)):
            yield from value
        else:
            yield value


def _walk(module: Module, prefix: str) -> Iterator[tuple[str, Any]]:
    for attr, value in vars(module).items():
        items = enumerate(value) if isinstance(value, (list, tuple)) else [(None, value)]
        for index, item in items:
            name = f"{prefix}{attr}" if index is None else f"{prefix}{attr}.{index}"
            if isinstance(item, Module):
                yield from _walk(item, name + ".")
            elif getattr(item, "role", None) == "parameter":
                yield name, item
