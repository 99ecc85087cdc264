"""Neural-network building blocks, as torch.nn: Module, Parameter, layers, losses,
containers, initialisers and utilities.

import scratchdl.nn as nn
model = nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10))
criterion = nn.CrossEntropyLoss()
"""

from scratchdl.nn import functional, init, parallel, utils
from scratchdl.nn.activation import (
    ELU,
    GELU,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from scratchdl.nn.container import ModuleDict, ModuleList, Sequential
from scratchdl.nn.conv import Conv2d
from scratchdl.nn.dropout import Dropout, Dropout1d, Dropout2d
from scratchdl.nn.layer_norm import LayerNorm
from scratchdl.nn.linear import Flatten, Identity, Linear, Unflatten
from scratchdl.nn.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from scratchdl.nn.module import IncompatibleKeys, Module
from scratchdl.nn.normalization import BatchNorm1d, BatchNorm2d
from scratchdl.nn.parameter import Parameter
from scratchdl.nn.pooling import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d

__all__ = [
    "ELU", "GELU", "AdaptiveAvgPool2d", "AvgPool2d", "BCELoss", "BCEWithLogitsLoss",
    "BatchNorm1d", "BatchNorm2d", "Conv2d", "CrossEntropyLoss", "Dropout", "Dropout1d",
    "Dropout2d", "Flatten", "HuberLoss", "Identity", "IncompatibleKeys", "KLDivLoss", "L1Loss",
    "LayerNorm", "LeakyReLU", "Linear", "LogSoftmax", "MSELoss", "MaxPool2d", "Module",
    "ModuleDict", "ModuleList", "NLLLoss", "Parameter", "ReLU", "Sequential", "SiLU",
    "Sigmoid", "SmoothL1Loss", "Softmax", "Softplus", "Tanh", "Unflatten", "functional",
    "init", "parallel", "utils",
]  # fmt: skip
