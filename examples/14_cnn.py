"""A convolutional network (the book's SimpleConvNet) on 3000 MNIST images.

conv (30 filters 5x5) → ReLU → 2x2 max-pool → affine → ReLU → affine, trained
PyTorch-style by ``scratchdl.train.fit`` (a loop over ``train_step``).

    SCRATCHDL_DATA=... python examples/14_cnn.py
"""

import scratchdl as sd
import scratchdl.functional as F
from scratchdl import optim
from scratchdl.data import DataLoader, TensorDataset
from scratchdl.datasets import MNIST
from scratchdl.models import SimpleConvNet
from scratchdl.train import evaluate, fit

sd.manual_seed(0)
train, test = MNIST(train=True), MNIST(train=False)
model = SimpleConvNet()
images = sd.tensor(train.data[:2])
feature_maps = model.conv(images)
print(
    f"images {images.shape} -> conv {feature_maps.shape} -> pool {model.pool(feature_maps).shape}"
)
print(f"-> logits {model(images).shape}")

loader = DataLoader(
    TensorDataset(train.data[:3000], train.targets[:3000]), batch_size=100, shuffle=True
)
optimizer = optim.Adam(model.parameters(), lr=1e-3)
history = fit(model, loader, F.cross_entropy, optimizer, epochs=3)
for record in history:
    print(f"epoch {record['epoch']}: train accuracy {record['accuracy']:.4f}")
test_loader = DataLoader(TensorDataset(test.data[:1000], test.targets[:1000]), batch_size=100)
print("test:", evaluate(model, test_loader, F.cross_entropy))
