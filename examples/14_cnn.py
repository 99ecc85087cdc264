"""A convolutional network (the book's SimpleConvNet) on 3000 MNIST images.

conv (30 filters 5x5) → ReLU → 2x2 max-pool → affine → ReLU → affine, trained
PyTorch-style by ``scratchdl.train.fit`` (a loop over ``train_step``).

    SCRATCHDL_DATA=... python examples/14_cnn.py
"""

import scratchdl as sd
import scratchdl.functional as F
from scratchdl import optim
from scratchdl.models import SimpleConvNet
from scratchdl.train import evaluate, fit
from scratchdl.utils.data import DataLoader, Subset
from scratchdl.vision.datasets import MNIST
from scratchdl.vision.transforms import ToTensor

sd.manual_seed(0)
train = Subset(MNIST(train=True, download=True, transform=ToTensor()), range(3000))
test = Subset(MNIST(train=False, download=True, transform=ToTensor()), range(1000))
model = SimpleConvNet()
images, _ = next(iter(DataLoader(train, batch_size=2)))
feature_maps = model.conv(images)
print(
    f"images {images.shape} -> conv {feature_maps.shape} -> pool {model.pool(feature_maps).shape}"
)
print(f"-> logits {model(images).shape}")

loader = DataLoader(train, batch_size=100, shuffle=True)
optimizer = optim.Adam(model.parameters(), lr=1e-3)
history = fit(model, loader, F.cross_entropy, optimizer, epochs=3)
for record in history:
    print(f"epoch {record['epoch']}: train accuracy {record['accuracy']:.4f}")
print("test:", evaluate(model, DataLoader(test, batch_size=100), F.cross_entropy))
