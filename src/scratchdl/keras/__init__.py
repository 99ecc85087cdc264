"""Keras 3 on scratchdl: a Keras program runs with only its imports changed.

    from scratchdl import keras
    from scratchdl.keras import layers

    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=128, epochs=15, validation_split=0.1)

The functional API and subclassing are ``keras.Model`` (see ``functional``). Layers are
channels last with weights in Keras's layouts, optimizers follow Keras's rules
and defaults, losses and metrics take Keras's names, and ``fit`` prints what Keras prints.
Under it run scratchdl's own pieces: the layers call ``scratchdl.functional``, and ``fit``
is ``scratchdl.train.fit`` (whose step is ``train.train_step``), the loop a PyTorch-style
program uses.
"""

from scratchdl.keras import (
    activations,
    backend,
    callbacks,
    datasets,
    initializers,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    regularizers,
    utils,
)
from scratchdl.keras.functional import Model
from scratchdl.keras.layers import Input
from scratchdl.keras.model import Sequential
from scratchdl.keras.saving import load_model, save_model

__all__ = [
    "Input",
    "Model",
    "Sequential",
    "activations",
    "backend",
    "callbacks",
    "datasets",
    "initializers",
    "layers",
    "load_model",
    "losses",
    "metrics",
    "models",
    "optimizers",
    "regularizers",
    "save_model",
    "utils",
]
