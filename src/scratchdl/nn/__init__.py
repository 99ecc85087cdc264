"""Neural-network building blocks: Module, Parameter, layers, initialisers and utilities.

import scratchdl.nn as nn
model = nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10))
"""

from scratchdl.nn import functional, init, parallel, utils
from scratchdl.nn.activation import (
    GELU,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Tanh,
)
from scratchdl.nn.container import ModuleList, Sequential
from scratchdl.nn.conv import Conv2d
from scratchdl.nn.dropout import Dropout
from scratchdl.nn.linear import Flatten, Identity, Linear
from scratchdl.nn.module import IncompatibleKeys, Module
from scratchdl.nn.normalization import BatchNorm1d, BatchNorm2d
from scratchdl.nn.parameter import Parameter
from scratchdl.nn.pooling import AvgPool2d, MaxPool2d

__all__ = [
    "GELU",
    "AvgPool2d",
    "BatchNorm1d",
    "BatchNorm2d",
    "Conv2d",
    "Dropout",
    "Flatten",
    "Identity",
    "IncompatibleKeys",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MaxPool2d",
    "Module",
    "ModuleList",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Tanh",
    "functional",
    "init",
    "parallel",
    "utils",
]
