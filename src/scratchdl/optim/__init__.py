"""Optimizers (the update rules of gradient descent) and learning-rate schedulers.

opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loss.backward(); opt.step(); opt.zero_grad()
"""

from scratchdl.optim import lr_scheduler
from scratchdl.optim.adadelta import Adadelta
from scratchdl.optim.adagrad import Adagrad
from scratchdl.optim.adam import Adam, AdamW
from scratchdl.optim.optimizer import Optimizer
from scratchdl.optim.rmsprop import RMSprop
from scratchdl.optim.sgd import SGD

__all__ = ["SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "lr_scheduler"]
