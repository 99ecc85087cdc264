"""End to end on the real MNIST: a 784-100-10 MLP reaches 95% test accuracy in two epochs
(about a second of training on two cores)."""

import pytest

import scratchdl as sd
import scratchdl.functional as F
from scratchdl.models import MLP
from scratchdl.optim import Adam
from scratchdl.train import evaluate, fit
from scratchdl.utils.data import DataLoader
from scratchdl.vision.datasets import MNIST
from scratchdl.vision.transforms import ToTensor


@pytest.mark.slow
def test_mlp_reaches_95_percent_on_mnist(mnist_dir):
    sd.manual_seed(0)
    train_set = MNIST(mnist_dir, train=True, transform=ToTensor())
    train = DataLoader(train_set, batch_size=100, shuffle=True)
    test = DataLoader(MNIST(mnist_dir, train=False, transform=ToTensor()), batch_size=1000)
    model = MLP([784, 100, 10])
    history = fit(model, train, F.cross_entropy, Adam(model.parameters(), lr=3e-3), 2, test)
    assert history["accuracy"][1] > history["accuracy"][0]
    assert history["val_accuracy"][-1] >= 0.95
    assert evaluate(model, test, None)["accuracy"] == history["val_accuracy"][-1]
