"""``model.summary()``: each layer's output shape and parameter count, as Keras prints it.

The parameter count of a Dense layer of n inputs and k units is n·k weights + k biases.
Frozen layers' parameters count as non-trainable. Output shapes come from one pass of
zeros through the layers in turn (batch axis shown as None). When the first layer knows
its input size, the summary builds the model (as Keras does); otherwise a lazy layer
that has not seen data yet shows "?" and "0 (unbuilt)".

    >>> from nn import Dense, Sequential
    >>> model = Sequential([Dense(3, activation="relu", input_dim=2), Dense(3)])
    >>> model.layers[0].freeze() is model.layers[0]
    True
    >>> print(model.summary())
    Model: Sequential
    layer (type)      output shape  params  trainable
    -------------------------------------------------
    0: Dense (Dense)  (None, 3)          9  no
    1: Dense (Dense)  (None, 3)         12  yes
    -------------------------------------------------
    Total params: 21
    Trainable params: 12
    Non-trainable params: 9
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd import Value, no_grad


@dataclass
class LayerRow:
    """One line of the table."""

    name: str
    kind: str
    output_shape: tuple | None
    params: int
    trainable_params: int
    built: bool = True

    def cells(self) -> list[str]:
        shape = "?" if self.output_shape is None else \
            "(" + ", ".join("None" if n is None else str(n) for n in self.output_shape) + \
            ("," if len(self.output_shape) == 1 else "") + ")"
        params = f"{self.params:,}" if self.built else "0 (unbuilt)"
        trainable = ("-" if not self.params else "yes" if self.trainable_params == self.params
                     else "no" if not self.trainable_params else "partly")
        return [f"{self.name} ({self.kind})", shape, params, trainable]


@dataclass
class Summary:
    """The table ``summary()`` returns; ``str()`` is text, notebooks show HTML."""

    model_name: str
    rows: list[LayerRow] = field(default_factory=list)
    total: int = 0
    trainable: int = 0

    @property
    def non_trainable(self) -> int:
        return self.total - self.trainable

    HEADER = ("layer (type)", "output shape", "params", "trainable")

    def __str__(self) -> str:
        table = [list(self.HEADER)] + [row.cells() for row in self.rows]
        widths = [max(len(line[i]) for line in table) for i in range(4)]

        def line(cells: list[str]) -> str:
            return "  ".join([cells[0].ljust(widths[0]), cells[1].ljust(widths[1]),
                              cells[2].rjust(widths[2]), cells[3]]).rstrip()

        rule = "-" * (sum(widths) + 6)
        body = [line(cells) for cells in table[1:]]
        return "\n".join([f"Model: {self.model_name}", line(table[0]), rule, *body, rule,
                          *self.totals()])

    __repr__ = __str__

    def totals(self) -> list[str]:
        return [f"Total params: {self.total:,}", f"Trainable params: {self.trainable:,}",
                f"Non-trainable params: {self.non_trainable:,}"]

    def _repr_html_(self) -> str:
        cell = 'style="padding:2px 10px;text-align:{}"'
        head = "".join(f"<th {cell.format('left')}>{h}</th>" for h in self.HEADER)
        body = "".join(
            "<tr>" + "".join(f"<td {cell.format('right' if i == 2 else 'left')}>"
                             f"{html.escape(text)}</td>" for i, text in enumerate(row.cells()))
            + "</tr>" for row in self.rows)
        totals = "<br>".join(self.totals())
        return (f"<div><b>Model: {html.escape(self.model_name)}</b>"
                f"<table style=\"font-family:monospace;font-size:13px\"><thead><tr>{head}"
                f"</tr></thead><tbody>{body}</tbody></table>{totals}</div>")


def _size(params: list) -> int:
    return int(sum(np.size(p.data) for p in params))


def _input_width(model: Any) -> int | None:
    for module in model.modules():
        nin = getattr(module, "nin", None)
        if isinstance(nin, int):
            return nin
        if getattr(module, "weight", None) is not None:
            return None  # the first weighted layer is not dense: its input shape is unknown
    return None


def summarize(model: Any) -> Summary:
    """The ``Summary`` of ``model`` (what ``model.summary()`` returns)."""
    layers = list(getattr(model, "layers", None) or model.children()) or [model]
    scalar = any(isinstance(p, Value) for p in model.parameters())  # rows go in one by one
    width = None if scalar else _input_width(model)
    if width is not None and not model.built:
        model.build((None, width))  # as Keras: a known input size builds the whole model
    trainable_ids = {id(p) for p in model.trainable_parameters()}
    x = None if width is None else np.zeros((1, width))
    summary = Summary(type(model).__name__)
    previous = model.training
    model.eval()
    try:
        for layer in layers:
            shape = None
            if x is not None:
                try:
                    with no_grad():
                        x = layer(x)
                    shape = (None, *x.shape[1:])
                except (ValueError, TypeError):
                    x = None
            params = layer.parameters()
            summary.rows.append(LayerRow(
                layer.name or type(layer).__name__, type(layer).__name__, shape, _size(params),
                _size([p for p in params if id(p) in trainable_ids]), layer.built))
    finally:
        model.train(previous)
    summary.total = _size(model.parameters())
    summary.trainable = _size(model.trainable_parameters())
    return summary
