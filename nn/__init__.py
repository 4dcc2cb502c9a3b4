"""Neural networks on top of ``autograd``: modules, layers, losses, optimizers, training.

    models      Module (with Keras's compile, fit, evaluate, predict, train_on_batch,
                summary, build, freeze); Value models Perceptron, Neuron, Layer, MLP;
                Tensor layers Linear, Dense (Keras's, lazy input size), Sequential,
                ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, Dropout, BatchNorm1d,
                Flatten, Conv2d, MaxPool2d, AvgPool2d; nn.init initialisers
    CNN         ConvTranspose2d, SeparableConv2d, MaxUnpool2d, GlobalAvgPool2d,
                BatchNorm2d, Residual, Concat, ChannelShuffle
    losses      mse, mae, binary_cross_entropy(_with_logits), cross_entropy, hinge;
                Keras's categorical_crossentropy & co. (probabilities; nn.keras_names)
    optimizers  SGD, RMSprop, Adam, AdamW; l1_penalty, l2_penalty, clip_grad_norm
    schedules   StepDecay, ExponentialDecay, CosineDecay (with warm-up)
    data        one_hot, standardize, normalize, train_test_split, KFold,
                StratifiedKFold, batches; logic_gate, two_moons, spirals,
                fur_and_wings, load_mnist
    training    fit -> History, evaluate, predict; callbacks EarlyStopping,
                ReduceLROnPlateau, LearningRateScheduler, ModelCheckpoint, CSVLogger;
                Ensemble, bootstrap; grid_search, random_search; manual_seed

    >>> import random; random.seed(0)
    >>> from nn import MLP
    >>> MLP(2, [16, 16, 1]).parameters()[0].role
    'parameter'
"""

from . import init, losses
from .blocks import ChannelShuffle, Concat, Residual
from .callbacks import (
    Callback,
    CSVLogger,
    EarlyStopping,
    History,
    LearningRateScheduler,
    ModelCheckpoint,
    ReduceLROnPlateau,
)
from .conv import (
    AvgPool2d,
    Conv2d,
    ConvTranspose2d,
    GlobalAvgPool2d,
    MaxPool2d,
    MaxUnpool2d,
    SeparableConv2d,
)
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
from .ensembles import Ensemble, bootstrap
from .keras_losses import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from .layers import (
    BatchNorm1d,
    Dense,
    Dropout,
    Flatten,
    LeakyReLU,
    Linear,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
)
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge,
    mae,
    mse,
)
from .metrics import roc_auc, roc_curve
from .mnist import load_mnist
from .module import Module
from .normalization import BatchNorm2d
from .optim import SGD, Adam, AdamW, Optimizer, RMSprop, clip_grad_norm, l1_penalty, l2_penalty
from .perceptron import Perceptron
from .scalar_layers import MLP, Layer, Neuron
from .schedules import CosineDecay, ExponentialDecay, Schedule, StepDecay
from .seeding import manual_seed
from .serialization import ModelFileError
from .training import evaluate, fit, predict
from .tuning import grid_search, log_uniform, random_search

__all__ = [
    "BinaryCrossentropy", "CSVLogger", "CategoricalCrossentropy", "Ensemble",
    "LearningRateScheduler", "ModelCheckpoint", "ReduceLROnPlateau",
    "SparseCategoricalCrossentropy", "binary_crossentropy", "bootstrap",
    "categorical_crossentropy", "roc_auc", "roc_curve", "sparse_categorical_crossentropy",
    "AvgPool2d", "BatchNorm1d", "BatchNorm2d", "Callback", "ChannelShuffle", "Concat",
    "Conv2d", "ConvTranspose2d", "GlobalAvgPool2d", "MaxUnpool2d", "Residual",
    "SeparableConv2d", "Dense", "Dropout", "EarlyStopping",
    "Flatten", "History", "LeakyReLU", "Linear", "MaxPool2d", "ReLU", "Sequential", "Sigmoid",
    "Softmax", "Tanh", "evaluate", "fit", "grid_search", "log_uniform", "predict",
    "random_search",
    "MLP", "SGD", "Adam", "AdamW", "CosineDecay", "ExponentialDecay", "KFold", "Layer",
    "ModelFileError", "Module", "Neuron", "Normalizer", "Optimizer", "Perceptron", "RMSprop",
    "Schedule", "Standardizer", "StepDecay", "StratifiedKFold", "batches",
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "clip_grad_norm",
    "cross_entropy", "fur_and_wings", "hinge", "init", "l1_penalty", "l2_penalty",
    "load_mnist", "logic_gate", "losses", "mae", "manual_seed", "mse", "normalize", "one_hot",
    "spirals", "standardize", "train_test_split", "two_moons",
]
