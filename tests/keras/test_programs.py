"""Real Keras programs, their imports pointed at scratchdl, on a slice of MNIST.

The programs are keras-io's ``examples/vision/mnist_convnet.py``, its guide "The Functional
API" and the first network of "Deep Learning with Python"; here they train on a few thousand
images so the suite stays fast (the full runs are measured outside the tests, see the Keras
section of the README).
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


def test_functional_api_guide(mnist_dir, tmp_path, capsys):
    """keras-io's guide "The Functional API": its MNIST model, trained, evaluated, saved
    and loaded (on 6,000 images, 1 epoch)."""
    from scratchdl import keras
    from scratchdl.keras import layers

    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(784,))
    dense = layers.Dense(64, activation="relu")
    x = dense(inputs)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(10)(x)
    model = keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")
    model.summary()
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train, y_train = x_train[:6000], y_train[:6000]
    x_train = x_train.reshape(6000, 784).astype("float32") / 255
    x_test = x_test.reshape(10000, 784).astype("float32") / 255
    model.compile(
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        optimizer=keras.optimizers.RMSprop(),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    history = model.fit(x_train, y_train, batch_size=64, epochs=1, validation_split=0.2)
    test_scores = model.evaluate(x_test, y_test, verbose=2)
    print("Test loss:", test_scores[0])
    print("Test accuracy:", test_scores[1])
    model.save(tmp_path / "my_model.keras")
    del model
    model = keras.models.load_model(tmp_path / "my_model.keras")

    out = capsys.readouterr().out
    assert 'Model: "mnist_model"' in out and " Total params: 55,050 (215.04 KB)" in out
    assert "│ input_layer (InputLayer)        │ (None, 784)            │             0 │" in out
    assert list(history.history) == [
        "loss",
        "sparse_categorical_accuracy",
        "val_loss",
        "val_sparse_categorical_accuracy",
    ]
    assert test_scores[1] > 0.85  # 1 epoch on 4,800 images: Keras 3 reaches 86.7-87.4%
    assert model.evaluate(x_test, y_test, verbose=0) == pytest.approx(test_scores)
