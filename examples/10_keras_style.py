"""MNIST the Keras way: a Keras 3 program, only its imports pointed at scratchdl.

Sequential layers, compile by names, fit with a validation split and early stopping,
evaluate; Keras's progress lines are printed (one per epoch off a terminal).

    SCRATCHDL_DATA=... python examples/10_keras_style.py
"""

from scratchdl import keras
from scratchdl.keras import layers

keras.utils.set_random_seed(0)
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train[:6000].reshape(-1, 28 * 28).astype("float32") / 255
y_train = y_train[:6000]
x_test = x_test[:2000].reshape(-1, 28 * 28).astype("float32") / 255
y_test = y_test[:2000]

model = keras.Sequential(
    [
        keras.Input(shape=(28 * 28,)),
        layers.Dense(100, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ]
)
model.summary()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=2, restore_best_weights=True)
history = model.fit(
    x_train,
    y_train,
    epochs=20,
    batch_size=100,
    validation_split=1 / 6,  # the last 1000 of the 6000 images
    callbacks=[stop],
    verbose=2,
)
print(f"best epoch {stop.best_epoch + 1}; val_accuracy by epoch:", history.history["val_accuracy"])
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test: loss {test_loss:.4f}, accuracy {test_accuracy:.4f}")
