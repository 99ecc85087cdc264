"""``scratchdl.nn.functional`` is ``scratchdl.functional`` under PyTorch's name, so that
``import scratchdl.nn.functional as F`` works as in PyTorch."""

from scratchdl.functional import *  # noqa: F403
from scratchdl.functional import __all__  # noqa: F401
