"""MNIST the Keras way: compile, fit with validation and early stopping, evaluate.

SCRATCHDL_DATA=... python examples/10_keras_style.py
"""

import scratchdl as sd
from scratchdl.datasets import MNIST
from scratchdl.models import MLP
from scratchdl.train import EarlyStopping

sd.manual_seed(0)
train, test = MNIST(train=True), MNIST(train=False)
model = MLP([784, 100, 10])
model.compile(optimizer="adam", loss="cross_entropy", metrics=["accuracy"], lr=1e-3)
stop = EarlyStopping(monitor="val_accuracy", patience=2, restore_best_weights=True)
history = model.fit(
    train.data[:6000],
    train.targets[:6000],
    epochs=20,
    batch_size=100,
    validation_split=1 / 6,  # the last 1000 of the 6000 images
    callbacks=[stop],
    verbose=0,
)
for record in history:
    print(
        f"epoch {record['epoch']}: train accuracy {record['accuracy']:.4f}, "
        f"validation {record['val_accuracy']:.4f}"
    )
print(f"best epoch {stop.best_epoch}; test:", model.evaluate(test.data[:2000], test.targets[:2000]))
