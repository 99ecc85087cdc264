"""The PyTorch MNIST MLP walk-through this project's notes begin with, in its shape: the
device check, loaders of batch 32, a 784-512-256-10 sigmoid network ending in log_softmax,
CrossEntropyLoss, SGD with momentum, printing sizes, types and the model, and an accuracy
count with max(1, keepdim=True), eq and view_as. Only the import lines say scratchdl.
tests/programs/test_programs.py runs it on a subset."""

import argparse

import scratchdl as torch
import scratchdl.nn as nn
import scratchdl.nn.functional as F
from scratchdl.vision import datasets, transforms

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--train-samples", type=int, default=60000)
parser.add_argument("--data", default="../data")
args = parser.parse_args()

if torch.cuda.is_available():
    DEVICE = torch.device("cuda")
else:
    DEVICE = torch.device("cpu")
print("Using PyTorch version:", torch.__version__, " Device:", DEVICE)

BATCH_SIZE = 32
EPOCHS = args.epochs

train_dataset = datasets.MNIST(
    root=args.data, train=True, download=True, transform=transforms.ToTensor()
)
test_dataset = datasets.MNIST(root=args.data, train=False, transform=transforms.ToTensor())
train_dataset = torch.utils.data.Subset(train_dataset, range(args.train_samples))
train_loader = torch.utils.data.DataLoader(
    dataset=train_dataset, batch_size=BATCH_SIZE, shuffle=True
)
test_loader = torch.utils.data.DataLoader(
    dataset=test_dataset, batch_size=BATCH_SIZE, shuffle=False
)

for X_train, y_train in train_loader:
    print("X_train:", X_train.size(), "type:", X_train.type())
    print("y_train:", y_train.size(), "type:", y_train.type())
    break


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc1 = nn.Linear(28 * 28, 512)
        self.fc2 = nn.Linear(512, 256)
        self.fc3 = nn.Linear(256, 10)

    def forward(self, x):
        x = x.view(-1, 28 * 28)
        x = self.fc1(x)
        x = F.sigmoid(x)
        x = self.fc2(x)
        x = F.sigmoid(x)
        x = self.fc3(x)
        x = F.log_softmax(x, dim=1)
        return x


model = Net().to(DEVICE)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.5)
criterion = nn.CrossEntropyLoss()
print(model)


def train(model, train_loader, optimizer, log_interval):
    model.train()
    for batch_idx, (image, label) in enumerate(train_loader):
        image = image.to(DEVICE)
        label = label.to(DEVICE)
        optimizer.zero_grad()
        output = model(image)
        loss = criterion(output, label)
        loss.backward()
        optimizer.step()
        if batch_idx % log_interval == 0:
            print(
                "Train Epoch: {} [{}/{}({:.0f}%)]\tTrain Loss: {:.6f}".format(
                    epoch, batch_idx * len(image), len(train_loader.dataset),
                    100.0 * batch_idx / len(train_loader), loss.item(),
                )
            )  # fmt: skip


def evaluate(model, test_loader):
    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for image, label in test_loader:
            image = image.to(DEVICE)
            label = label.to(DEVICE)
            output = model(image)
            test_loss += criterion(output, label).item()
            prediction = output.max(1, keepdim=True)[1]
            correct += prediction.eq(label.view_as(prediction)).sum().item()
    test_loss /= len(test_loader.dataset) / BATCH_SIZE
    test_accuracy = 100.0 * correct / len(test_loader.dataset)
    return test_loss, test_accuracy


for epoch in range(1, EPOCHS + 1):
    train(model, train_loader, optimizer, log_interval=200)
    test_loss, test_accuracy = evaluate(model, test_loader)
    print(
        "\n[EPOCH: {}], \tTest Loss: {:.4f}, \tTest Accuracy: {:.2f} % \n".format(
            epoch, test_loss, test_accuracy
        )
    )
