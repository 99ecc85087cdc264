"""A convolutional network (the book's SimpleConvNet) on 3000 MNIST images.

conv (30 filters 5x5) → ReLU → 2x2 max-pool → affine → ReLU → affine.

    SCRATCHDL_DATA=... python examples/14_cnn.py
"""

import scratchdl as sd
from scratchdl.models import SimpleConvNet
from scratchdl.utils.data import to_arrays
from scratchdl.vision.datasets import MNIST
from scratchdl.vision.transforms import ToTensor

sd.manual_seed(0)
train = MNIST(train=True, download=True, transform=ToTensor())
test = MNIST(train=False, download=True, transform=ToTensor())
(x_train, y_train), (x_test, y_test) = to_arrays(train, 3000), to_arrays(test, 1000)
model = SimpleConvNet()
images = sd.tensor(x_train[:2])
feature_maps = model.conv(images)
print(
    f"images {images.shape} -> conv {feature_maps.shape} -> pool {model.pool(feature_maps).shape}"
)
print(f"-> logits {model(images).shape}")

model.compile(optimizer="adam", loss="cross_entropy", metrics=["accuracy"], lr=1e-3)
history = model.fit(x_train, y_train, epochs=3, batch_size=100, verbose=0)
for record in history:
    print(f"epoch {record['epoch']}: train accuracy {record['accuracy']:.4f}")
print("test:", model.evaluate(x_test, y_test))
