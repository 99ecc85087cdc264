"""A convolutional network (the book's SimpleConvNet) on 3000 MNIST images.

conv (30 filters 5x5) → ReLU → 2x2 max-pool → affine → ReLU → affine.

    SCRATCHDL_DATA=... python examples/14_cnn.py
"""

import scratchdl as sd
from scratchdl.datasets import MNIST
from scratchdl.models import SimpleConvNet

sd.manual_seed(0)
train, test = MNIST(train=True), MNIST(train=False)
model = SimpleConvNet()
images = sd.tensor(train.data[:2])
feature_maps = model.conv(images)
print(
    f"images {images.shape} -> conv {feature_maps.shape} -> pool {model.pool(feature_maps).shape}"
)
print(f"-> logits {model(images).shape}")

model.compile(optimizer="adam", loss="cross_entropy", metrics=["accuracy"], lr=1e-3)
history = model.fit(train.data[:3000], train.targets[:3000], epochs=3, batch_size=100, verbose=0)
for record in history:
    print(f"epoch {record['epoch']}: train accuracy {record['accuracy']:.4f}")
print("test:", model.evaluate(test.data[:1000], test.targets[:1000]))
