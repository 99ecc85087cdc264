"""Ready-made networks. Each is a Keras-style ``scratchdl.train.Model`` and outputs logits.

from scratchdl.models import MLP, TwoLayerNet
model = MLP([784, 512, 512, 10], dropout=0.2)
"""

from scratchdl.models.convnets import DeepConvNet, SimpleConvNet
from scratchdl.models.mlp import MLP
from scratchdl.models.two_layer_net import TwoLayerNet
from scratchdl.train import Sequential

__all__ = ["MLP", "DeepConvNet", "Sequential", "SimpleConvNet", "TwoLayerNet"]
