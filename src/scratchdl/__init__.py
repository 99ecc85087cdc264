"""scratchdl: deep learning from scratch on NumPy, with PyTorch's API.

>>> import scratchdl as torch
>>> x = torch.tensor([[1.0, 2.0]], requires_grad=True)
>>> (x * x).sum().backward()
>>> x.grad
tensor([[2., 4.]])

The top level holds what ``torch`` does: tensors and their factories, dtypes, devices,
the operations (``exp``, ``cat``, ``max``, ...), grad modes, seeding, ``save``/``load``.
``nn``, ``optim``, ``utils.data``, ``vision``, ``keras`` and the rest load on first use.
"""

import importlib
import os

import numpy as np

from scratchdl import backend, functional  # functional gives Tensor its methods
from scratchdl.autograd import (
    Function,
    Size,
    Tensor,
    as_tensor,
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
    tensor,
)
from scratchdl.autograd.dtype import (
    bool_,
    complex64,
    complex128,
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    set_default_dtype,
    uint8,
)
from scratchdl.autograd.printing import set_printoptions
from scratchdl.backend import (
    accelerator,
    cuda,
    device,
    get_default_device,
    set_default_device,
)
from scratchdl.backend.threads import get_num_threads, set_num_threads
from scratchdl.functional import (
    abs,
    add,
    all,
    allclose,
    amax,
    amin,
    any,
    argmax,
    argmin,
    argsort,
    bincount,
    bmm,
    broadcast_to,
    cat,
    ceil,
    chunk,
    clamp,
    clip,
    clone,
    concat,
    concatenate,
    cos,
    count_nonzero,
    cumprod,
    cumsum,
    div,
    eq,
    equal,
    exp,
    flatten,
    floor,
    floor_divide,
    gather,
    ge,
    gt,
    isclose,
    isfinite,
    isinf,
    isnan,
    kthvalue,
    le,
    log,
    log_softmax,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    logsumexp,
    lt,
    masked_fill,
    matmul,
    max,
    maximum,
    mean,
    median,
    min,
    minimum,
    mm,
    mul,
    ne,
    neg,
    nonzero,
    norm,
    permute,
    pow,
    prod,
    reciprocal,
    relu,
    remainder,
    reshape,
    round,
    rsqrt,
    sigmoid,
    sign,
    sin,
    softmax,
    sort,
    split,
    sqrt,
    square,
    squeeze,
    stack,
    std,
    sub,
    sum,
    swapaxes,
    t,
    tanh,
    topk,
    transpose,
    unbind,
    unflatten,
    unique,
    unsqueeze,
    var,
    where,
)
from scratchdl.functional.creation import (
    arange,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    zeros,
    zeros_like,
)
from scratchdl.io import load, save
from scratchdl.random import (
    Generator,
    get_rng,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)
from scratchdl.switches import (
    are_deterministic_algorithms_enabled,
    compile,
    get_float32_matmul_precision,
    is_deterministic_algorithms_warn_only_enabled,
    set_float32_matmul_precision,
    use_deterministic_algorithms,
)

__version__ = "0.2.0"


dtype = np.dtype  # scratchdl's dtypes are NumPy's: isinstance(x.dtype, sd.dtype) holds


def finfo(type: np.dtype | None = None) -> np.finfo:
    """Machine limits of a floating dtype (``eps``, ``max``, ``min``, ``tiny``,
    ``resolution``, ``bits``), the default dtype's when none is given, as ``torch.finfo``."""
    return np.finfo(get_default_dtype() if type is None else type)


def iinfo(type: np.dtype) -> np.iinfo:
    """Limits of an integer dtype (``min``, ``max``, ``bits``), as ``torch.iinfo``."""
    return np.iinfo(type)


def is_tensor(obj: object) -> bool:
    """True when ``obj`` is a scratchdl Tensor."""
    return isinstance(obj, Tensor)


def is_floating_point(x: Tensor) -> bool:
    """True for a floating-point tensor."""
    return x.is_floating_point()


def numel(x: Tensor) -> int:
    """The number of elements of ``x``."""
    return x.numel()


# torch's second names of dtypes; assigned here, after every use of the builtins they shadow
half, float, double, short, int, long, bool, cfloat, cdouble = (
    float16, float32, float64, int16, int32, int64, bool_, complex64, complex128,
)  # fmt: skip
divide, multiply, subtract, true_divide = div, mul, sub, div

if os.environ.get("SCRATCHDL_KEEP_FREED_MEMORY", "1") != "0":
    backend.keep_freed_memory()  # see its docstring: page faults were a third of conv time
if os.environ.get("SCRATCHDL_TUNE_THREADS", "1") != "0":
    backend.threads.tune()  # OpenBLAS's idle threads spin 0.4 ms, not 0.1 s: see backend/threads.py

_SUBPACKAGES = (
    "backends", "classic", "datasets", "demos", "distributed", "info", "io", "keras", "linalg",
    "models", "nn", "optim", "testing", "train", "utils", "vision",
)  # fmt: skip


def __getattr__(name: str) -> object:
    """``sd.nn``, ``sd.optim``, ... import their subpackage on first use."""
    if name in _SUBPACKAGES:
        return importlib.import_module(f"scratchdl.{name}")
    raise AttributeError(f"module 'scratchdl' has no attribute {name!r}")


__all__ = [
    "Function",
    "Generator",
    "Size",
    "Tensor",
    "__version__",
    "abs",
    "accelerator",
    "add",
    "all",
    "allclose",
    "amax",
    "amin",
    "any",
    "arange",
    "are_deterministic_algorithms_enabled",
    "argmax",
    "argmin",
    "argsort",
    "as_tensor",
    "bincount",
    "bmm",
    "bool",
    "bool_",
    "broadcast_to",
    "cat",
    "cdouble",
    "ceil",
    "cfloat",
    "chunk",
    "clamp",
    "clip",
    "clone",
    "compile",
    "complex64",
    "complex128",
    "concat",
    "concatenate",
    "cos",
    "count_nonzero",
    "cuda",
    "cumprod",
    "cumsum",
    "device",
    "div",
    "divide",
    "double",
    "dtype",
    "empty",
    "empty_like",
    "enable_grad",
    "eq",
    "equal",
    "exp",
    "eye",
    "finfo",
    "flatten",
    "float",
    "float16",
    "float32",
    "float64",
    "floor",
    "floor_divide",
    "from_numpy",
    "full",
    "full_like",
    "functional",
    "gather",
    "ge",
    "get_default_device",
    "get_default_dtype",
    "get_float32_matmul_precision",
    "get_num_threads",
    "get_rng",
    "get_rng_state",
    "gt",
    "half",
    "iinfo",
    "inference_mode",
    "initial_seed",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "is_deterministic_algorithms_warn_only_enabled",
    "is_floating_point",
    "is_grad_enabled",
    "is_tensor",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "kthvalue",
    "le",
    "linspace",
    "load",
    "log",
    "log_softmax",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "logsumexp",
    "long",
    "lt",
    "manual_seed",
    "masked_fill",
    "matmul",
    "max",
    "maximum",
    "mean",
    "median",
    "min",
    "minimum",
    "mm",
    "mul",
    "multiply",
    "ne",
    "neg",
    "no_grad",
    "nonzero",
    "norm",
    "numel",
    "ones",
    "ones_like",
    "permute",
    "pow",
    "prod",
    "rand",
    "rand_like",
    "randint",
    "randn",
    "randn_like",
    "randperm",
    "reciprocal",
    "relu",
    "remainder",
    "reshape",
    "round",
    "rsqrt",
    "save",
    "seed",
    "set_default_device",
    "set_default_dtype",
    "set_float32_matmul_precision",
    "set_grad_enabled",
    "set_num_threads",
    "set_printoptions",
    "set_rng_state",
    "short",
    "sigmoid",
    "sign",
    "sin",
    "softmax",
    "sort",
    "split",
    "sqrt",
    "square",
    "squeeze",
    "stack",
    "std",
    "sub",
    "subtract",
    "sum",
    "swapaxes",
    "t",
    "tanh",
    "tensor",
    "topk",
    "transpose",
    "true_divide",
    "uint8",
    "unbind",
    "unflatten",
    "unique",
    "unsqueeze",
    "use_deterministic_algorithms",
    "var",
    "where",
    "zeros",
    "zeros_like",
]
