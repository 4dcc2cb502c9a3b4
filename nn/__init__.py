"""Neural networks on top of ``autograd``: modules, layers, losses, optimizers, training."""

from .module import Module
from .scalar_layers import MLP, Layer, Neuron

__all__ = ["MLP", "Layer", "Module", "Neuron"]
