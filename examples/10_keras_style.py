"""MNIST the Keras way: compile, fit with validation and early stopping, evaluate.

SCRATCHDL_DATA=... python examples/10_keras_style.py
"""

import scratchdl as sd
from scratchdl.models import MLP
from scratchdl.train import EarlyStopping
from scratchdl.utils.data import to_arrays
from scratchdl.vision.datasets import MNIST
from scratchdl.vision.transforms import ToTensor

sd.manual_seed(0)
train = MNIST(train=True, download=True, transform=ToTensor())
test = MNIST(train=False, download=True, transform=ToTensor())
(x_train, y_train), (x_test, y_test) = to_arrays(train, 6000), to_arrays(test, 2000)
model = MLP([784, 100, 10])
model.compile(optimizer="adam", loss="cross_entropy", metrics=["accuracy"], lr=1e-3)
stop = EarlyStopping(monitor="val_accuracy", patience=2, restore_best_weights=True)
history = model.fit(
    x_train,
    y_train,
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
print(f"best epoch {stop.best_epoch}; test:", model.evaluate(x_test, y_test))
