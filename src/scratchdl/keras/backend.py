"""keras.backend: the few session helpers Keras programs call."""

from scratchdl.keras.losses.functions import EPSILON
from scratchdl.keras.naming import clear_session


def epsilon() -> float:
    """The fuzz factor of the losses (1e-7)."""
    return EPSILON


def floatx() -> str:
    """The float type of weights and inputs: always "float32" here."""
    return "float32"


def backend() -> str:
    """The name of the computing backend."""
    return "scratchdl"


__all__ = ["backend", "clear_session", "epsilon", "floatx"]
