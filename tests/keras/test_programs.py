"""Real Keras programs, their imports pointed at scratchdl, on a slice of MNIST.

The programs are keras-io's ``examples/vision/mnist_convnet.py`` and the first network of
"Deep Learning with Python"; here they train on a few thousand images so the suite stays
fast (the full runs are measured outside the tests, see the Keras section of the README).
"""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def test_mnist_convnet(mnist_dir, capsys):
    from scratchdl import keras
    from scratchdl.keras import layers

    keras.utils.set_random_seed(0)
    num_classes = 10
    input_shape = (28, 28, 1)
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train, y_train, x_test, y_test = x_train[:2500], y_train[:2500], x_test[:1000], y_test[:1000]
    x_train = x_train.astype("float32") / 255
    x_test = x_test.astype("float32") / 255
    x_train = np.expand_dims(x_train, -1)
    x_test = np.expand_dims(x_test, -1)
    y_train = keras.utils.to_categorical(y_train, num_classes)
    y_test = keras.utils.to_categorical(y_test, num_classes)
    model = keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )
    model.summary()
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=128, epochs=1, validation_split=0.1)
    score = model.evaluate(x_test, y_test, verbose=0)

    out = capsys.readouterr().out
    assert " Total params: 34,826 (136.04 KB)" in out
    assert "18/18 ━━━━━━━━━━━━━━━━━━━━ " in out and " - val_accuracy: " in out
    assert score[1] > 0.6  # 1 epoch on 2,250 images: Keras 3 reaches 65-69% here


def test_deep_learning_with_python_first_network(mnist_dir):
    from scratchdl import keras
    from scratchdl.keras import layers

    keras.utils.set_random_seed(0)
    (train_images, train_labels), (test_images, test_labels) = keras.datasets.mnist.load_data()
    train_images, train_labels = train_images[:6000], train_labels[:6000]
    model = keras.Sequential(
        [layers.Dense(512, activation="relu"), layers.Dense(10, activation="softmax")]
    )
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    train_images = train_images.reshape((6000, 28 * 28)).astype("float32") / 255
    test_images = test_images.reshape((10000, 28 * 28)).astype("float32") / 255
    model.fit(train_images, train_labels, epochs=2, batch_size=128, verbose=0)
    predictions = model.predict(test_images[:10], verbose=0)
    assert predictions.shape == (10, 10) and predictions[0].argmax() == test_labels[0] == 7
    _, test_acc = model.evaluate(test_images, test_labels, verbose=0)
    assert test_acc > 0.9  # 2 epochs on 6,000 images; on all 60,000 it reaches 97%
