"""The book's TwoLayerNet: check backprop against the numerical gradient, then train with it.

SCRATCHDL_DATA=... python examples/07_two_layer_net_backprop.py
"""

import numpy as np

import scratchdl as sd
from scratchdl.classic import TwoLayerNet, gradient_check
from scratchdl.utils.data import to_arrays
from scratchdl.vision.datasets import MNIST
from scratchdl.vision.transforms import ToTensor

sd.manual_seed(0)
train = MNIST(train=True, download=True, transform=ToTensor())
test = MNIST(train=False, download=True, transform=ToTensor())
(x_train, t_train), (x_test, t_test) = to_arrays(train, 5000), to_arrays(test, 1000)
x_train, x_test = x_train.reshape(5000, -1), x_test.reshape(1000, -1)
net = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)

# fast=False runs the book's loop, one weight at a time: the same numbers in ~5 s.
differences = gradient_check(net, x_train[:3], t_train[:3], fast=True)
print("mean |backprop - numerical|:", {key: f"{value:.1e}" for key, value in differences.items()})

rng, lr, batch_size = np.random.default_rng(0), 0.1, 100
for step in range(1, 501):
    batch = rng.choice(len(x_train), batch_size)
    grads = net.gradient(x_train[batch], t_train[batch])
    for key in net.params:
        net.params[key] -= lr * grads[key]
    if step % 100 == 0:
        print(
            f"step {step}: loss {net.loss(x_train[batch], t_train[batch]):.3f}, "
            f"train accuracy {net.accuracy(x_train, t_train):.3f}, "
            f"test accuracy {net.accuracy(x_test, t_test):.3f}"
        )
