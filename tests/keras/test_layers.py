"""Each layer against a reference computation, and against real Keras with the same weights."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd
from scratchdl import functional as F
from scratchdl.autograd import gradcheck
from scratchdl.keras import layers
from scratchdl.keras.layers import layout
from tests.keras.oracle import copy_weights, to_numpy

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def images(rng, shape=(2, 7, 6, 3)):
    return rng.standard_normal(shape).astype(np.float32)


# ------------------------------------------------------------------------ Dense
def test_dense_is_x_at_kernel_plus_bias_then_activation(rng):
    x = rng.standard_normal((4, 5)).astype(np.float32)
    dense = layers.Dense(3, activation="relu")
    y = dense(x).numpy()
    assert dense.kernel.shape == (5, 3) and dense.bias.shape == (3,)
    expected = np.maximum(x @ dense.kernel.numpy() + dense.bias.numpy(), 0)
    np.testing.assert_allclose(y, expected, rtol=1e-6)


def test_dense_applies_to_the_last_axis(rng):
    x = rng.standard_normal((2, 4, 5)).astype(np.float32)
    dense = layers.Dense(3)
    np.testing.assert_allclose(dense(x).numpy(), x @ dense.kernel.numpy(), rtol=1e-5, atol=1e-6)
    assert dense.output_shape == (None, 4, 3)


def test_dense_initialises_glorot_uniform_kernels_and_zero_biases():
    dense = layers.Dense(300)
    dense.build_for((None, 200))
    limit = np.sqrt(6 / (200 + 300))
    kernel = dense.kernel.numpy()
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.95 * limit
    assert kernel.std() == pytest.approx(limit / np.sqrt(3), rel=0.02)  # std of U(±a)
    assert not dense.bias.numpy().any()


def test_a_built_layer_rejects_inputs_of_another_size():
    dense = layers.Dense(3)
    dense(np.ones((2, 5)))
    with pytest.raises(ValueError, match=r'layer "dense".*axis -1 of input shape to have value 5'):
        dense(np.ones((2, 4)))


def test_unknown_keyword_arguments_are_an_error_as_in_keras():
    with pytest.raises(TypeError, match="Unrecognized keyword arguments passed to Dense"):
        layers.Dense(3, activaton="relu")


# ----------------------------------------------------------------------- Conv2D
@pytest.mark.parametrize(
    ("kernel_size", "strides", "padding"),
    [(3, 1, "valid"), (3, 1, "same"), ((2, 3), 2, "valid"), (2, 1, "same"), (3, 2, "same")],
)
def test_conv2d_channels_last_equals_the_channels_first_convolution(
    rng, kernel_size, strides, padding
):
    x = images(rng)
    conv = layers.Conv2D(4, kernel_size, strides=strides, padding=padding)
    y = conv(x).numpy()
    kh, kw = layout.as_pair(kernel_size, "kernel_size", "test")
    if padding == "same":
        rows = layout.same_padding(7, kh, layout.as_pair(strides, "s", "t")[0])
        columns = layout.same_padding(6, kw, layout.as_pair(strides, "s", "t")[1])
        padded = np.pad(x, ((0, 0), rows, columns, (0, 0)))
    else:
        padded = x
    weight = conv.kernel.numpy().transpose(3, 2, 0, 1)  # (KH, KW, C, OC) -> (OC, C, KH, KW)
    reference = F.conv2d(padded.transpose(0, 3, 1, 2), weight, conv.bias.numpy(), stride=strides)
    np.testing.assert_allclose(y, reference.numpy().transpose(0, 2, 3, 1), rtol=1e-5, atol=1e-5)
    assert y.shape[1:] == conv.output_shape[1:]


def test_conv2d_same_padding_puts_the_odd_row_after():
    assert layout.same_padding(7, 2, 1) == (0, 1)
    assert layout.same_padding(7, 3, 2) == (1, 1)
    assert layout.same_padding(6, 3, 2) == (0, 1)
    assert layout.same_padding(5, 1, 1) == (0, 0)


def test_conv2d_channels_first_data_format(rng):
    x = images(rng)
    last = layers.Conv2D(4, 3, padding="same")
    first = layers.Conv2D(4, 3, padding="same", data_format="channels_first")
    y_last = last(x).numpy()
    first.build_for((None, 3, 7, 6))
    copy_weights(last, first)
    y_first = first(x.transpose(0, 3, 1, 2)).numpy()
    np.testing.assert_allclose(y_first, y_last.transpose(0, 3, 1, 2), rtol=1e-5, atol=1e-6)


def test_conv2d_needs_images_with_a_batch_axis():
    with pytest.raises(ValueError, match=r'layer "conv2d".*expected ndim=4, found ndim=3'):
        layers.Conv2D(2, 3)(np.ones((28, 28, 1)))


def test_pad_hw_pads_like_numpy_and_has_its_gradient(rng):
    x = sd.tensor(rng.standard_normal((2, 3, 4, 5)), requires_grad=True)
    padded = layout.pad_hw(x, (0, 1), (2, 1), value=-1.0)
    expected = np.pad(x.numpy(), ((0, 0), (0, 0), (0, 1), (2, 1)), constant_values=-1.0)
    np.testing.assert_array_equal(padded.numpy(), expected)
    assert gradcheck(lambda t: layout.pad_hw(t, (1, 0), (1, 2)), [x])


# ---------------------------------------------------------------------- pooling
def windows_reference(x, pool, reduce):
    """Pool channels-last x with non-overlapping pool x pool windows (valid)."""
    n, h, w, c = x.shape
    oh, ow = h // pool, w // pool
    blocks = x[:, : oh * pool, : ow * pool].reshape(n, oh, pool, ow, pool, c)
    return reduce(blocks, axis=(2, 4))


def test_max_and_average_pooling_take_each_window(rng):
    x = images(rng)
    np.testing.assert_allclose(layers.MaxPooling2D()(x).numpy(), windows_reference(x, 2, np.max))
    np.testing.assert_allclose(
        layers.AveragePooling2D(2)(x).numpy(), windows_reference(x, 2, np.mean), rtol=1e-6
    )


def test_same_average_pooling_leaves_the_padding_out_of_the_mean(rng):
    x = images(rng, (1, 3, 3, 1))
    y = layers.AveragePooling2D(2, padding="same")(x).numpy()
    assert y.shape == (1, 2, 2, 1)
    assert y[0, 1, 1, 0] == pytest.approx(x[0, 2, 2, 0])  # a window of one pixel
    assert y[0, 0, 1, 0] == pytest.approx(x[0, :2, 2, 0].mean())
    z = layers.MaxPooling2D(2, padding="same")(-np.abs(x) - 1).numpy()
    assert z[0, 1, 1, 0] == pytest.approx(-np.abs(x[0, 2, 2, 0]) - 1)  # never the padding


def test_global_pooling(rng):
    x = images(rng)
    np.testing.assert_allclose(
        layers.GlobalAveragePooling2D()(x).numpy(), x.mean(axis=(1, 2)), rtol=1e-5
    )
    np.testing.assert_allclose(layers.GlobalMaxPooling2D()(x).numpy(), x.max(axis=(1, 2)))
    assert layers.GlobalMaxPooling2D(keepdims=True)(x).shape == (2, 1, 1, 3)


# -------------------------------------------------------------- the small layers
def test_flatten_reshape_rescaling_activation(rng):
    x = images(rng)
    np.testing.assert_array_equal(layers.Flatten()(x).numpy(), x.reshape(2, -1))
    assert layers.Reshape((-1, 3))(x).shape == (2, 42, 3)
    assert layers.Reshape((-1, 3)).compute_output_shape((None, 7, 6, 3)) == (None, 42, 3)
    np.testing.assert_allclose(layers.Rescaling(1 / 255, offset=-1)(x).numpy(), x / 255 - 1)
    np.testing.assert_allclose(layers.Activation("tanh")(x).numpy(), np.tanh(x), rtol=1e-6)
    np.testing.assert_allclose(layers.LeakyReLU()(x).numpy(), np.where(x > 0, x, 0.3 * x))
    np.testing.assert_allclose(layers.ReLU(max_value=0.5)(x).numpy(), np.clip(x, 0, 0.5))


def test_dropout_drops_only_in_training(rng):
    x = np.ones((200, 50), dtype=np.float32)
    dropout = layers.Dropout(0.5)
    np.testing.assert_array_equal(dropout(x).numpy(), x)  # a plain call is inference
    y = dropout(x, training=True).numpy()
    assert set(np.unique(y)) == {0.0, 2.0}
    assert (y == 0).mean() == pytest.approx(0.5, abs=0.03)
    assert not dropout.training


# ------------------------------------------------------------ batch normalisation
def test_batch_normalization_training_step_and_moving_statistics(rng):
    x = rng.standard_normal((8, 3, 3, 4)).astype(np.float32) * 3 + 1
    bn = layers.BatchNormalization()
    y = bn(x, training=True).numpy()
    mean, var = x.mean(axis=(0, 1, 2)), x.var(axis=(0, 1, 2))
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(bn.moving_mean, 0.01 * mean, rtol=1e-4)
    np.testing.assert_allclose(bn.moving_variance, 0.99 + 0.01 * var, rtol=1e-5)
    inference = bn(x).numpy()
    np.testing.assert_allclose(
        inference, (x - bn.moving_mean) / np.sqrt(bn.moving_variance + 1e-3), rtol=1e-5
    )
    assert [w.shape for w in bn.weights] == [(4,)] * 4
    assert len(bn.trainable_weights) == 2 and len(bn.non_trainable_weights) == 2


# ------------------------------------------------------------- against real Keras
KERAS_LAYERS = [
    ("Dense", (5,), lambda k: k.layers.Dense(3, activation="sigmoid")),
    ("Conv2D", (7, 6, 3), lambda k: k.layers.Conv2D(4, 3, activation="relu")),
    ("Conv2D", (7, 6, 3), lambda k: k.layers.Conv2D(4, (2, 3), strides=2, padding="same")),
    ("Conv2D", (7, 6, 3), lambda k: k.layers.Conv2D(4, 2, padding="same")),
    ("Conv2D", (7, 6, 3), lambda k: k.layers.Conv2D(4, 3, activation="softmax")),  # channels
    ("MaxPooling2D", (7, 6, 3), lambda k: k.layers.MaxPooling2D()),
    ("MaxPooling2D", (7, 6, 3), lambda k: k.layers.MaxPooling2D(3, strides=2, padding="same")),
    ("AveragePooling2D", (7, 6, 3), lambda k: k.layers.AveragePooling2D(2, padding="same")),
    ("AveragePooling2D", (7, 6, 3), lambda k: k.layers.AveragePooling2D((3, 2), strides=1)),
    ("GlobalAveragePooling2D", (7, 6, 3), lambda k: k.layers.GlobalAveragePooling2D()),
    ("Flatten", (7, 6, 3), lambda k: k.layers.Flatten()),
    ("Activation", (5,), lambda k: k.layers.Activation("softmax")),
    ("Activation", (5,), lambda k: k.layers.Activation("selu")),
    ("Activation", (5,), lambda k: k.layers.Activation("elu")),
    ("Activation", (5,), lambda k: k.layers.Activation("softsign")),
    ("Activation", (5,), lambda k: k.layers.Activation("hard_sigmoid")),
    ("Activation", (5,), lambda k: k.layers.Activation("silu")),
    ("BatchNormalization", (4, 4, 3), lambda k: k.layers.BatchNormalization()),
    ("Rescaling", (5,), lambda k: k.layers.Rescaling(0.5, offset=2)),
]


@pytest.mark.parametrize(
    ("name", "shape", "make"),
    KERAS_LAYERS,
    ids=[f"{n}-{i}" for i, (n, *_) in enumerate(KERAS_LAYERS)],
)
@pytest.mark.parametrize("training", [False, True])
def test_layer_matches_keras(real_keras, rng, name, shape, make, training):
    reference = make(real_keras)
    ours = getattr(layers, name)(**_config_of(reference))
    x = (rng.standard_normal((6, *shape)) * 2 + 0.5).astype(np.float32)
    reference.build((None, *shape))
    ours.build_for(x.shape)
    copy_weights(reference, ours)
    expected = to_numpy(reference(x, training=training))
    np.testing.assert_allclose(ours(x, training=training).numpy(), expected, rtol=1e-5, atol=1e-5)
    assert ours.count_params() == reference.count_params()
    assert ours.compute_output_shape((None, *shape)) == tuple(
        reference.compute_output_shape((None, *shape))
    )
    for mine, theirs in zip(ours.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)  # moving statistics too


def _config_of(keras_layer) -> dict:
    """The constructor arguments of a Keras layer that scratchdl's layer shares."""
    config = keras_layer.get_config()
    for key in (
        "name",
        "dtype",
        "trainable",
        "kernel_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "bias_constraint",
        "beta_initializer",
        "gamma_initializer",
        "moving_mean_initializer",
        "moving_variance_initializer",
        "beta_regularizer",
        "gamma_regularizer",
        "beta_constraint",
        "gamma_constraint",
        "synchronized",
        "renorm",
        "renorm_clipping",
        "renorm_momentum",
        "lora_rank",
        "lora_alpha",
        "quantization_config",
        "dilation_rate",
        "groups",
        "noise_shape",
        "seed",
    ):
        config.pop(key, None)
    if "activation" in config and not isinstance(config["activation"], str):
        config["activation"] = config["activation"]
    return config


def test_normalization_adapts_to_the_data_as_keras(real_keras, rng):
    x = (rng.random((50, 3)) * [1, 10, 100]).astype(np.float32)
    reference = real_keras.layers.Normalization()
    reference.adapt(x)
    ours = layers.Normalization()
    ours.adapt(x)
    np.testing.assert_allclose(ours(x).numpy(), to_numpy(reference(x)), rtol=1e-5, atol=1e-5)
    assert ours.count_params() == reference.count_params() == 7
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in reference.get_weights()]
    given = layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[4.0, 4.0, 4.0])
    np.testing.assert_allclose(given(np.ones((1, 3))).numpy(), [[0.0, -0.5, -1.0]])
    back = layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[4.0, 4.0, 4.0], invert=True)
    np.testing.assert_allclose(back(given(x)).numpy(), x, rtol=1e-5)
