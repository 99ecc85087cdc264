"""Ready-made networks, PyTorch style: each is an ``nn.Module`` (MLP an ``nn.Sequential``)
that outputs logits; train them with a loop over ``train.train_step`` or ``train.fit``.

from scratchdl.models import MLP, TwoLayerNet
model = MLP([784, 512, 512, 10], dropout=0.2)
"""

from scratchdl.models.convnets import DeepConvNet, SimpleConvNet
from scratchdl.models.mlp import MLP
from scratchdl.models.two_layer_net import TwoLayerNet

__all__ = ["MLP", "DeepConvNet", "SimpleConvNet", "TwoLayerNet"]
