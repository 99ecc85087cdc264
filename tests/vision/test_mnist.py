"""vision.datasets.MNIST / FashionMNIST: torchvision's samples and attributes, the batch path,
on a small fake split and on the real files."""

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.datasets import DatasetError
from scratchdl.utils.data import DataLoader, Subset, default_collate
from scratchdl.vision import transforms
from scratchdl.vision.datasets import MNIST, FashionMNIST

SEED_TUTORIAL = transforms.Compose(
    [transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))]
)


def test_attributes_as_torchvision(fake_mnist):
    splits, calls = fake_mnist
    train = MNIST("data", train=True)
    assert calls == [{"files": "MNIST", "train": True, "root": "data", "download": False}]
    assert isinstance(train.data, sd.Tensor) and train.data.data.dtype == np.uint8
    assert train.data.shape == (50, 28, 28)
    assert train.targets.data.dtype == np.int64
    np.testing.assert_array_equal(train.targets.numpy(), splits[True][1])
    assert len(train) == 50 and train.train is True
    assert len(MNIST("data", train=False)) == 7
    assert train.classes[7] == "7 - seven" and train.class_to_idx["3 - three"] == 3
    assert FashionMNIST.classes[0] == "T-shirt/top" and FashionMNIST.classes[9] == "Ankle boot"
    FashionMNIST("data", download=True)
    assert calls[-1]["files"] == "Fashion-MNIST" and calls[-1]["download"] is True


def test_a_raw_sample_is_a_uint8_array_and_an_int(fake_mnist):
    splits, _ = fake_mnist
    image, label = MNIST("data")[3]
    assert isinstance(image, np.ndarray) and image.dtype == np.uint8 and image.shape == (28, 28)
    np.testing.assert_array_equal(image, splits[True][0][3])
    assert type(label) is int and label == 3


def test_to_tensor_gives_a_float32_image_in_0_1(fake_mnist):
    splits, _ = fake_mnist
    image, _ = MNIST("data", transform=transforms.ToTensor())[0]
    assert isinstance(image, sd.Tensor) and image.shape == (1, 28, 28)
    assert image.data.dtype == np.float32
    np.testing.assert_array_equal(image.numpy()[0], splits[True][0][0] / np.float32(255))


def test_target_transform_receives_the_int_label(fake_mnist):
    _, label = MNIST("data", target_transform=lambda y: f"digit {y}")[4]
    assert label == "digit 4"


def test_repr_as_torchvision(fake_mnist):
    assert repr(MNIST("../data", train=False, transform=SEED_TUTORIAL)) == (
        "Dataset MNIST\n"
        "    Number of datapoints: 7\n"
        "    Root location: ../data\n"
        "    Split: Test\n"
        "    StandardTransform\n"
        "Transform: Compose(\n"
        "               ToTensor()\n"
        "               Normalize(mean=(0.1307,), std=(0.3081,))\n"
        "           )"
    )


class CountingMNIST(MNIST):
    """Counts the samples read one at a time."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.item_calls = 0

    def __getitem__(self, index):
        self.item_calls += 1
        return super().__getitem__(index)

    get_batch = MNIST.get_batch  # a subclass that overrides __getitem__ must restate this


def assert_same_batch(fast, plain):
    assert type(fast) is type(plain) is list
    for a, b in zip(fast, plain, strict=True):
        assert isinstance(a, sd.Tensor) and a.data.dtype == b.data.dtype
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize(
    "transform", [None, transforms.ToTensor(), SEED_TUTORIAL], ids=["raw", "ToTensor", "tutorial"]
)
def test_the_batch_path_equals_sample_by_sample_collation(fake_mnist, transform):
    dataset = CountingMNIST("data", transform=transform)
    indices = np.random.default_rng(2).permutation(50)[:32].tolist()
    plain = default_collate([dataset[i] for i in indices])
    dataset.item_calls = 0
    fast = dataset.get_batch(indices)
    assert dataset.item_calls == 0  # one fancy-index, no sample read alone
    assert_same_batch(fast, plain)


@pytest.mark.parametrize(
    ("transform", "target_transform"),
    [
        (transforms.Compose([transforms.ToTensor(), transforms.Lambda(lambda x: x * 2)]), None),
        (transforms.ToTensor(), lambda y: y + 1),
        (np.flipud, None),
    ],
)
def test_other_transforms_fall_back_to_sample_by_sample(fake_mnist, transform, target_transform):
    dataset = CountingMNIST("data", transform=transform, target_transform=target_transform)
    batch = dataset.get_batch([5, 1, 2])
    assert dataset.item_calls == 3
    assert_same_batch(batch, default_collate([dataset[i] for i in [5, 1, 2]]))


def test_a_subclass_overriding_getitem_alone_is_read_sample_by_sample(fake_mnist):
    class Shifted(MNIST):
        def __getitem__(self, index):
            image, label = super().__getitem__(index)
            return image, label + 100

    _, labels = next(iter(DataLoader(Shifted("data", transform=SEED_TUTORIAL), batch_size=4)))
    np.testing.assert_array_equal(labels.numpy(), [100, 101, 102, 103])


def test_the_loader_serves_the_same_batches_by_either_path(fake_mnist):
    dataset = MNIST("data", transform=SEED_TUTORIAL)
    sd.manual_seed(5)
    fast = list(DataLoader(dataset, batch_size=8, shuffle=True))
    sd.manual_seed(5)
    plain = list(DataLoader(dataset, batch_size=8, shuffle=True, collate_fn=default_collate))
    sd.manual_seed(5)
    forced = list(
        DataLoader(dataset, batch_size=8, shuffle=True, collate_fn=lambda s: default_collate(s))
    )
    assert len(fast) == 7 and fast[-1][0].shape == (2, 1, 28, 28)
    for a, b, c in zip(fast, plain, forced, strict=True):
        assert_same_batch(a, c)
        assert_same_batch(b, c)


def test_replaced_data_and_targets_are_used_by_both_paths(fake_mnist):
    dataset = MNIST("data", transform=transforms.ToTensor())
    keep = np.array([4, 9, 0])
    dataset.data = sd.from_numpy(dataset.data.numpy()[keep])
    dataset.targets = [int(t) for t in dataset.targets.numpy()[keep]]
    assert len(dataset) == 3
    assert_same_batch(dataset.get_batch([2, 0]), default_collate([dataset[2], dataset[0]]))
    assert dataset[1][1] == 9


def test_subset_of_mnist_uses_the_batch_path(fake_mnist):
    dataset = CountingMNIST("data", transform=SEED_TUTORIAL)
    subset = Subset(dataset, range(10, 20))
    images, labels = next(iter(DataLoader(subset, batch_size=4)))
    assert dataset.item_calls == 0
    np.testing.assert_array_equal(labels.numpy(), [0, 1, 2, 3])
    assert images.shape == (4, 1, 28, 28)


def test_real_mnist_in_the_seed_tutorials_pipeline(mnist_dir):
    train = MNIST(mnist_dir, train=True, transform=SEED_TUTORIAL)
    assert train.data.shape == (60000, 28, 28) and train.targets.shape == (60000,)
    assert np.bincount(train.targets.numpy())[:2].tolist() == [5923, 6742]
    loader = DataLoader(train, batch_size=32, shuffle=True)
    assert len(loader) == 1875 and len(loader.dataset) == 60000
    images, labels = next(iter(loader))
    assert images.shape == (32, 1, 28, 28) and images.data.dtype == np.float32
    assert labels.shape == (32,) and labels.data.dtype == np.int64
    low, high = (0 - 0.1307) / 0.3081, (1 - 0.1307) / 0.3081
    assert low - 1e-6 <= images.numpy().min() and images.numpy().max() <= high + 1e-6


def test_real_fashion_mnist_test_split(mnist_dir):
    test = FashionMNIST(mnist_dir, train=False)
    assert test.data.shape == (10000, 28, 28)
    assert np.bincount(test.targets.numpy()).tolist() == [1000] * 10


def test_mnist_files_are_rejected_as_fashion_mnist(mnist_dir, monkeypatch):
    monkeypatch.delenv("SCRATCHDL_DATA")
    with pytest.raises(DatasetError, match=r"MD5 \w+ does not match the Fashion-MNIST file"):
        FashionMNIST(root=mnist_dir / "mnist", train=False)
