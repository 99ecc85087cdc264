"""MNIST with a PyTorch-style training loop: accuracy per epoch, and early stopping on a
validation set (the test set is looked at once, at the end).

    SCRATCHDL_DATA=... python examples/09_mnist_mlp.py
"""

import scratchdl as sd
import scratchdl.optim as optim
from scratchdl import functional as F
from scratchdl.models import MLP
from scratchdl.train import evaluate
from scratchdl.utils.data import DataLoader, Subset
from scratchdl.vision import datasets, transforms

sd.manual_seed(0)
train = datasets.MNIST(train=True, download=True, transform=transforms.ToTensor())
test = datasets.MNIST(train=False, download=True, transform=transforms.ToTensor())
train_set, val_set = Subset(train, range(5000)), Subset(train, range(5000, 6000))
train_loader = DataLoader(train_set, batch_size=100, shuffle=True)
val_loader = DataLoader(val_set, batch_size=500)
model = MLP([784, 100, 10])
optimizer = optim.Adam(model.parameters(), lr=1e-3)

best_accuracy, patience, epochs_without_gain = 0.0, 2, 0
for epoch in range(1, 21):
    model.train()
    for images, labels in train_loader:
        loss = F.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    train_accuracy = evaluate(model, train_loader, None)["accuracy"]
    val_accuracy = evaluate(model, val_loader, None)["accuracy"]
    print(f"epoch {epoch}: train accuracy {train_accuracy:.4f}, validation {val_accuracy:.4f}")
    if val_accuracy > best_accuracy:
        best_accuracy, epochs_without_gain = val_accuracy, 0
    else:
        epochs_without_gain += 1
        if epochs_without_gain == patience:
            print(f"no gain for {patience} epochs: stopping")
            break

test_loader = DataLoader(Subset(test, range(2000)), batch_size=500)
print(f"test accuracy {evaluate(model, test_loader, None)['accuracy']:.4f}")
