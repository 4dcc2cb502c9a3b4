"""Neural networks on top of ``autograd``: modules, layers, losses, optimizers, training.

    >>> import random; random.seed(0)
    >>> from nn import MLP
    >>> MLP(2, [16, 16, 1]).parameters()[0].role
    'parameter'
"""

from . import init, losses
from .data import (
    KFold,
    Normalizer,
    Standardizer,
    StratifiedKFold,
    batches,
    normalize,
    one_hot,
    standardize,
    train_test_split,
)
from .datasets import fur_and_wings, logic_gate, spirals, two_moons
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge,
    mae,
    mse,
)
from .mnist import load_mnist
from .module import Module
from .optim import SGD, Adam, AdamW, Optimizer, RMSprop, clip_grad_norm, l1_penalty, l2_penalty
from .perceptron import Perceptron
from .random import manual_seed
from .scalar_layers import MLP, Layer, Neuron
from .schedules import CosineDecay, ExponentialDecay, Schedule, StepDecay
from .serialization import ModelFileError

__all__ = [
    "MLP", "SGD", "Adam", "AdamW", "CosineDecay", "ExponentialDecay", "KFold", "Layer",
    "ModelFileError", "Module", "Neuron", "Normalizer", "Optimizer", "Perceptron", "RMSprop",
    "Schedule", "Standardizer", "StepDecay", "StratifiedKFold", "batches",
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "clip_grad_norm",
    "cross_entropy", "fur_and_wings", "hinge", "init", "l1_penalty", "l2_penalty",
    "load_mnist", "logic_gate", "losses", "mae", "manual_seed", "mse", "normalize", "one_hot",
    "spirals", "standardize", "train_test_split", "two_moons",
]
