"""LayerNorm as a module: ``F.layer_norm`` with learnable γ and β."""

from __future__ import annotations

from typing import Any

from scratchdl import functional as F
from scratchdl.autograd import Tensor
from scratchdl.autograd import dtype as dtypes
from scratchdl.functional import creation
from scratchdl.nn.module import Module
from scratchdl.nn.parameter import Parameter


class LayerNorm(Module):
    """Normalise each sample over its last dimensions ``normalized_shape`` (see
    ``F.layer_norm``), as ``torch.nn.LayerNorm``: parameters ``weight`` γ (ones) and
    ``bias`` β (zeros) of that shape when ``elementwise_affine`` (β only with ``bias``).
    The same in training and eval mode."""

    def __init__(
        self,
        normalized_shape: int | tuple[int, ...] | list[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
        self.normalized_shape = tuple(int(n) for n in shape)
        if not self.normalized_shape or min(self.normalized_shape) <= 0:
            raise ValueError(
                f"LayerNorm: normalized_shape must be positive sizes, got {normalized_shape!r}"
            )
        self.eps, self.elementwise_affine = eps, elementwise_affine
        made = {"dtype": dtypes.float32 if dtype is None else dtype, "device": device}
        affine, shape = elementwise_affine, self.normalized_shape
        self.weight = Parameter(creation.ones(shape, **made)) if affine else None
        self.bias = Parameter(creation.zeros(shape, **made)) if affine and bias else None

    def forward(self, input: Any) -> Tensor:
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        settings = [f"{self.normalized_shape}", f"eps={self.eps}"]
        settings += [f"elementwise_affine={self.elementwise_affine}"]
        return ", ".join([*settings, f"bias={self.bias is not None}"])
