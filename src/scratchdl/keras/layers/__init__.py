"""Keras's layers (``from scratchdl.keras import layers``): channels-last images, weights in
Keras's layouts, sizes inferred from the first input.

    layers.Dense(64, activation="relu")
    layers.Conv2D(32, kernel_size=(3, 3), activation="relu")
    layers.MaxPooling2D(pool_size=(2, 2))
    layers.Concatenate()([x, y])          # merge layers, for keras.Model's graphs
"""

from scratchdl.keras.layers.base import Layer
from scratchdl.keras.layers.conv import Conv2D
from scratchdl.keras.layers.core import (
    Activation,
    Dense,
    Dropout,
    Flatten,
    Input,
    InputLayer,
    LeakyReLU,
    ReLU,
    Rescaling,
    Reshape,
    Softmax,
)
from scratchdl.keras.layers.merge import (
    Add,
    Average,
    Concatenate,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    maximum,
    minimum,
    multiply,
    subtract,
)
from scratchdl.keras.layers.normalization import BatchNormalization, Normalization
from scratchdl.keras.layers.pooling import (
    AveragePooling2D,
    GlobalAveragePooling2D,
    GlobalMaxPooling2D,
    MaxPooling2D,
)

Convolution2D, MaxPool2D, AvgPool2D = Conv2D, MaxPooling2D, AveragePooling2D  # Keras's aliases

LAYERS: dict[str, type[Layer]] = {
    cls.__name__: cls
    for cls in (
        Activation,
        Add,
        Average,
        AveragePooling2D,
        BatchNormalization,
        Concatenate,
        Conv2D,
        Dense,
        Dropout,
        Flatten,
        GlobalAveragePooling2D,
        GlobalMaxPooling2D,
        InputLayer,
        LeakyReLU,
        Maximum,
        MaxPooling2D,
        Minimum,
        Multiply,
        Normalization,
        ReLU,
        Rescaling,
        Reshape,
        Softmax,
        Subtract,
    )
}
"""Every layer class by name: what a saved model may name (and nothing else)."""

__all__ = [
    "LAYERS",
    "Activation",
    "Add",
    "Average",
    "AveragePooling2D",
    "AvgPool2D",
    "BatchNormalization",
    "Concatenate",
    "Conv2D",
    "Convolution2D",
    "Dense",
    "Dropout",
    "Flatten",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling2D",
    "Input",
    "InputLayer",
    "Layer",
    "LeakyReLU",
    "MaxPool2D",
    "MaxPooling2D",
    "Maximum",
    "Minimum",
    "Multiply",
    "Normalization",
    "ReLU",
    "Rescaling",
    "Reshape",
    "Softmax",
    "Subtract",
    "add",
    "average",
    "concatenate",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
]
