"""Which box a node is shown in, and the dotted module path each module box is marked with.

A module box is the path of ``nn.Module`` calls recorded on its nodes
(``("MLP", "layer 1", "neuron 3")``); pages mark it with the module's dotted path as
``named_parameters()`` spells its parameters (``layers.1.neurons.3``). That path comes
from the model when it is given, else from the parameters' own names (``nn`` labels
each parameter with its dotted name), else the recorded names are joined with dots.

    >>> common_prefix(["layers.0.neurons.3.w.0", "layers.0.neurons.3.b"])
    'layers.0.neurons.3'
    >>> parent_path(["layers.0.neurons.0", "layers.0.neurons.1"])
    'layers.0'
"""

from __future__ import annotations

from typing import Any

from nn.module import Module, _named_items


def placed_scopes(order: list) -> dict:
    """node -> the module-call path of the box it is shown in.

    An operation is shown where it was made; a parameter or constant leaf (made in
    ``__init__``, outside any call) in the innermost box holding every operation that
    uses it; inputs at the top, where they are fed in.
    """
    consumers: dict = {}
    for node in order:
        for parent in node.parents:
            consumers.setdefault(parent, []).append(node)
    placed: dict = {}
    for node in reversed(order):  # consumers first, so a leaf sees where they are placed
        role = getattr(node, "role", "")
        if node.parents:
            placed[node] = tuple(node.scope)
        elif role in ("parameter", "constant") and node in consumers:
            paths = [placed[c] for c in consumers[node]]
            common = paths[0]
            for path in paths[1:]:
                k = 0
                while k < min(len(common), len(path)) and common[k] == path[k]:
                    k += 1
                common = common[:k]
            placed[node] = common
        else:
            placed[node] = ()
    return placed


def model_paths(model: Any) -> dict:
    """scope path -> dotted module path, read off ``model`` (empty when it is None)."""
    if model is None:
        return {}
    if not isinstance(model, Module):
        raise TypeError(f"model must be the nn.Module that made the graph, got "
                        f"{type(model).__name__}")
    paths: dict = {}
    stack = [(model, (model.name or type(model).__name__,), "")]
    while stack:
        module, scope, dotted = stack.pop()
        paths.setdefault(scope, dotted)
        for key, item in _named_items(module):
            if isinstance(item, Module):
                stack.append((item, scope + (item.name or type(item).__name__,),
                               f"{dotted}.{key}" if dotted else key))
    return paths


def common_prefix(names: list[str]) -> str:
    """The dotted segments every name starts with."""
    parts = [name.split(".") for name in names]
    shared = []
    for segments in zip(*parts):
        if any(s != segments[0] for s in segments):
            break
        shared.append(segments[0])
    return ".".join(shared)


def _drop_last(path: str) -> str:
    """The module holding ``path``: ``w.2`` and ``neurons.3`` are list items (two segments)."""
    parts = path.split(".")
    cut = 2 if len(parts) >= 2 and parts[-1].isdigit() else 1
    return ".".join(parts[:-cut])


def parent_path(children: list[str]) -> str:
    """The path of the module holding modules (or parameters) with these paths."""
    common = common_prefix(children)
    if common in children:  # one child, or one inside another: the holder is above it
        return _drop_last(common)
    rest = [name[len(common):].lstrip(".").split(".")[0] for name in children]
    if common and all(segment.isdigit() for segment in rest):  # a list attribute's items
        return ".".join(common.split(".")[:-1])
    return common


def named_paths(titles: list[str], parent: list[int], direct: dict[int, list[str]]) -> dict:
    """box -> dotted path, from the stamped names of the parameters inside each box.

    ``titles[k]`` is box k's module name, ``parent[k]`` its enclosing box (boxes come
    after their parents), ``direct[k]`` the labels of the parameters shown right in
    it. Empty when the labels are not dotted names (a graph built without ``nn``, or
    labelled by hand). A module without parameters (``ReLU``) has no name to read;
    ``Sequential`` numbers its layers (``1: ReLU``), which gives it ``layers.1``
    when its siblings' paths agree.
    """
    paths: dict = {}
    inside: dict = {}
    for k in reversed(range(len(titles))):  # inner boxes first
        labels = direct.get(k, [])
        if labels and not all("." in label for label in labels):
            return {}
        if labels:
            paths[k] = parent_path(labels)
        elif inside.get(k):
            paths[k] = parent_path(inside[k])
        if k in paths and parent[k] >= 0:
            inside.setdefault(parent[k], []).append(paths[k])
    _number_unnamed(titles, parent, paths)
    return paths


def _number_unnamed(titles: list[str], parent: list[int], paths: dict) -> None:
    """Give numbered modules without parameters (``1: ReLU``) their list path."""
    siblings: dict = {}
    for k, title in enumerate(titles):
        number = title.split(":")[0]
        if ":" in title and number.isdigit():
            siblings.setdefault(parent[k], []).append((k, number))
    for numbered in siblings.values():
        known = [(k, number) for k, number in numbered if k in paths]
        if not known or any(not paths[k].endswith("." + n) for k, n in known):
            continue
        prefixes = {paths[k][:-len(n) - 1] for k, n in known}
        if len(prefixes) == 1:
            prefix = prefixes.pop()
            for k, number in numbered:
                paths.setdefault(k, f"{prefix}.{number}")
