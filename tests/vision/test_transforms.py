"""vision.transforms: ToTensor, Normalize, Compose, Lambda, and their batch forms."""

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.vision.transforms import Compose, Lambda, Normalize, ToTensor, has_batch_form


def images(shape, dtype=np.uint8):
    return np.random.default_rng(0).integers(0, 256, shape).astype(dtype)


def test_to_tensor_scales_uint8_to_float32_as_torchvision(torch):
    gray, color = images((5, 4)), images((5, 4, 3))
    for pic in (gray, color):
        expected = torch.from_numpy(pic.reshape(5, 4, -1).transpose(2, 0, 1)).float().div(255)
        out = ToTensor()(pic)
        assert isinstance(out, sd.Tensor) and out.data.dtype == np.float32
        np.testing.assert_array_equal(out.numpy(), expected.numpy())
    assert ToTensor()(gray).shape == (1, 5, 4) and ToTensor()(color).shape == (3, 5, 4)


def test_to_tensor_keeps_other_dtypes_unscaled():
    pic = images((2, 3, 2), dtype=np.float64)
    out = ToTensor()(pic)
    assert out.data.dtype == np.float64
    np.testing.assert_array_equal(out.numpy(), pic.transpose(2, 0, 1))


def test_to_tensor_reads_a_pillow_image():
    image = pytest.importorskip("PIL.Image")
    pic = images((6, 7))
    np.testing.assert_array_equal(ToTensor()(image.fromarray(pic)).numpy(), ToTensor()(pic).numpy())


def test_to_tensor_rejects_tensors_and_other_ranks():
    with pytest.raises(TypeError, match="ToTensor: pic should be a NumPy array or a Pillow image"):
        ToTensor()(sd.from_numpy(images((2, 2))))
    with pytest.raises(ValueError, match=r"2/3 dimensional.*got shape \(1, 2, 2, 2\)"):
        ToTensor()(images((1, 2, 2, 2)))


def test_normalize_matches_torch_per_channel(torch):
    x = np.random.default_rng(1).random((3, 4, 5), dtype=np.float32)
    mean, std = (0.1, 0.2, 0.3), (0.5, 0.25, 2.0)
    t = torch.from_numpy(x)
    expected = t.sub(torch.tensor(mean).view(-1, 1, 1)).div(torch.tensor(std).view(-1, 1, 1))
    out = Normalize(mean, std)(sd.from_numpy(x))
    assert out.data.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), expected.numpy())


def test_normalize_with_one_value_for_every_channel():
    x = np.ones((2, 3, 3), dtype=np.float32)
    np.testing.assert_allclose(Normalize((0.5,), (0.25,))(sd.from_numpy(x)).numpy(), 2.0)


def test_normalize_inplace_overwrites_its_input():
    x = sd.from_numpy(np.ones((1, 2, 2), dtype=np.float32))
    assert Normalize((1.0,), (2.0,), inplace=True)(x) is x
    np.testing.assert_array_equal(x.numpy(), 0.0)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (np.ones((1, 2, 2), dtype=np.float32), TypeError, "expected a Tensor image"),
        (sd.from_numpy(np.ones((2, 2), dtype=np.float32)), ValueError, r"\(\.\.\., C, H, W\)"),
        (sd.from_numpy(np.ones((1, 2, 2), dtype=np.uint8)), TypeError, "should be a float tensor"),
        (sd.from_numpy(np.ones((2, 2, 2), dtype=np.float32)), ValueError, "3 values .* 2 channels"),
    ],
)
def test_normalize_rejects_bad_input(value, error, message):
    with pytest.raises(error, match=message):
        Normalize((0.1, 0.2, 0.3), (1.0, 1.0, 1.0))(value)


def test_normalize_rejects_a_zero_std():
    with pytest.raises(ValueError, match="division by zero"):
        Normalize((0.0,), (0.0,))(sd.from_numpy(np.ones((1, 2, 2), dtype=np.float32)))


def test_compose_applies_in_order_and_prints_as_torchvision():
    pipeline = Compose([ToTensor(), Normalize((0.1307,), (0.3081,))])
    pic = images((28, 28))
    expected = (pic.astype(np.float32) / 255 - np.float32(0.1307)) / np.float32(0.3081)
    np.testing.assert_array_equal(pipeline(pic).numpy()[0], expected)
    assert repr(pipeline) == (
        "Compose(\n    ToTensor()\n    Normalize(mean=(0.1307,), std=(0.3081,))\n)"
    )


def test_lambda_calls_its_function():
    assert Lambda(lambda x: x * 2)(3) == 6
    assert repr(Lambda(abs)) == "Lambda()"
    with pytest.raises(TypeError, match="lambd should be callable, got 'int'"):
        Lambda(3)


class Scaled(ToTensor):
    def __call__(self, pic):
        return super().__call__(pic) * 2


class Renamed(ToTensor):
    pass


@pytest.mark.parametrize(
    ("transform", "expected"),
    [
        (ToTensor(), True),
        (Normalize((0.5,), (0.5,)), True),
        (Compose([ToTensor(), Normalize((0.5,), (0.5,))]), True),
        (Compose([ToTensor(), Lambda(lambda x: x)]), False),
        (Lambda(lambda x: x), False),
        (np.flipud, False),
        (Scaled(), False),  # overrides __call__ alone: its inherited batch form would be wrong
        (Renamed(), True),
    ],
)
def test_has_batch_form(transform, expected):
    assert has_batch_form(transform) is expected


@pytest.mark.parametrize("shape", [(4, 5, 6), (4, 5, 6, 3)])
@pytest.mark.parametrize(
    "transform",
    [ToTensor(), Compose([ToTensor(), Normalize((0.1307,), (0.3081,))]), Compose([])],
)
def test_batch_form_equals_the_stack_of_per_sample_results(shape, transform):
    batch = images(shape)
    per_sample = [transform(pic) for pic in batch]
    stacked = np.stack(
        [np.asarray(out.data if isinstance(out, sd.Tensor) else out) for out in per_sample]
    )
    out = transform.batch(batch)
    assert type(out) is type(per_sample[0])
    result = out.data if isinstance(out, sd.Tensor) else out
    assert result.dtype == stacked.dtype
    np.testing.assert_array_equal(result, stacked)


def test_batch_forms_raise_what_the_per_sample_calls_raise():
    with pytest.raises(TypeError, match="expected a Tensor image"):
        Normalize((0.5,), (0.5,)).batch(images((2, 3, 3)))
    with pytest.raises(TypeError, match="pic should be a NumPy array"):
        Compose([ToTensor(), ToTensor()]).batch(images((2, 3, 3)))
    with pytest.raises(ValueError, match=r"\(\.\.\., C, H, W\)"):
        Normalize((0.5,), (0.5,)).batch(sd.from_numpy(np.ones((2, 3, 3), dtype=np.float32)))
