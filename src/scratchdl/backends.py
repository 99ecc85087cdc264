"""``torch.backends``: the flags PyTorch programs read and set about the backends.

scratchdl runs on NumPy (the CPU), on CuPy (an NVIDIA GPU; see ``scratchdl.cuda``) and
nothing else, so there is no Apple GPU (``mps.is_available()`` is False) and no cuDNN
(``cudnn.is_available()`` is False). The flags programs set — ``cudnn.benchmark``,
``cudnn.deterministic``, ``cuda.matmul.allow_tf32`` — are plain attributes that keep
what they are given and change nothing; see ``scratchdl.switches`` for why none is
needed.
"""

from __future__ import annotations

from types import SimpleNamespace


def _never() -> bool:
    """Not available in scratchdl."""
    return False


mps = SimpleNamespace(is_available=_never, is_built=_never)
cudnn = SimpleNamespace(
    is_available=_never, enabled=True, benchmark=False, deterministic=False, allow_tf32=True
)
cuda = SimpleNamespace(
    matmul=SimpleNamespace(allow_tf32=False, allow_fp16_reduced_precision_reduction=True)
)
