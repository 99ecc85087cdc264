"""ShapeOps: Tensor's methods that rearrange, select, sort and index — each one line
calling ``scratchdl.functional`` (see ``tensor_ops``, which puts them together)."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from scratchdl.autograd.tensor_arithmetic import Dim, Number

if TYPE_CHECKING:
    from scratchdl import functional as F
    from scratchdl.autograd.tensor import Tensor
else:
    F = None  # set to scratchdl.functional by tensor_ops.bind


class ShapeOps:
    """Shape, selection, sorting and indexing methods of Tensor; each delegates to
    ``scratchdl.functional``."""

    __slots__ = ()

    # ----------------------------------------------------------------- shapes
    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in a new shape (``reshape(2, -1)`` or ``reshape((2, -1))``)."""
        return F.reshape(self, *shape)

    def view(self, *shape: Any) -> Tensor:
        """``reshape`` under torch's name (scratchdl copies when memory requires it)."""
        return F.reshape(self, *shape)

    def view_as(self, other: Any) -> Tensor:
        """This tensor in ``other``'s shape."""
        return F.reshape(self, other.shape)

    reshape_as = view_as

    def flatten(self, start_dim: builtins.int = 0, end_dim: builtins.int = -1) -> Tensor:
        """Dimensions ``start_dim`` to ``end_dim`` merged into one."""
        return F.flatten(self, start_dim, end_dim)

    def squeeze(self, dim: Dim = None) -> Tensor:
        """Without the dimensions of length 1 (all of them, or those in ``dim``)."""
        return F.squeeze(self, dim)

    def unsqueeze(self, dim: builtins.int) -> Tensor:
        """With a new dimension of length 1 at ``dim``."""
        return F.unsqueeze(self, dim)

    def permute(self, *dims: Any) -> Tensor:
        """The dimensions reordered: ``x.permute(2, 0, 1)``."""
        return F.permute(self, *dims)

    def transpose(self, dim0: builtins.int, dim1: builtins.int) -> Tensor:
        """Dimensions ``dim0`` and ``dim1`` swapped."""
        return F.transpose(self, dim0, dim1)

    swapaxes = swapdims = transpose

    def t(self) -> Tensor:
        """The transpose of a matrix (a 0-d or 1-d tensor is returned as it is)."""
        return F.t(self)

    @property
    def T(self) -> Tensor:
        """The tensor with all its dimensions reversed."""
        return F.permute(self, *reversed(range(self.ndim)))

    @property
    def mT(self) -> Tensor:
        """The last two dimensions swapped (a batch of matrices transposed)."""
        return F.transpose(self, -2, -1)

    def expand(self, *sizes: Any) -> Tensor:
        """Broadcast to ``sizes`` (-1 keeps a dimension); the gradient is summed back."""
        return F.expand(self, *sizes)

    def expand_as(self, other: Any) -> Tensor:
        """Broadcast to ``other``'s shape."""
        return F.broadcast_to(self, other.shape)

    def repeat(self, *repeats: Any) -> Tensor:
        """Tiled ``repeats`` times along each dimension."""
        return F.repeat(self, *repeats)

    def contiguous(self) -> Tensor:
        """Self when its memory is in row-major order, else a row-major copy."""
        return F.contiguous(self)

    def chunk(self, chunks: builtins.int, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """Split into ``chunks`` nearly equal pieces along ``dim``."""
        return F.chunk(self, chunks, dim)

    def split(self, split_size: Any, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """Pieces of ``split_size`` (or the given sizes) along ``dim``."""
        return F.split(self, split_size, dim)

    def unbind(self, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """The slices along ``dim``, that dimension removed."""
        return F.unbind(self, dim)

    def gather(self, dim: builtins.int, index: Any) -> Tensor:
        """out[i][j] = self[i][index[i][j]] for dim=1 (torch.gather)."""
        return F.gather(self, dim, index)

    def matmul(self, other: Any) -> Tensor:
        """The matrix product self @ other."""
        return F.matmul(self, other)

    mm = bmm = matmul

    # --------------------------------------------------------------- sorting
    def sort(
        self,
        dim: builtins.int = -1,
        descending: builtins.bool = False,
        *,
        stable: builtins.bool = False,
    ) -> Any:
        """The named tuple (values, indices): sorted along ``dim``."""
        return F.sort(self, dim, descending, stable=stable)

    def argsort(
        self,
        dim: builtins.int = -1,
        descending: builtins.bool = False,
        *,
        stable: builtins.bool = False,
    ) -> Tensor:
        """The indices that sort along ``dim``."""
        return F.argsort(self, dim, descending, stable=stable)

    def topk(
        self,
        k: builtins.int,
        dim: builtins.int = -1,
        largest: builtins.bool = True,
        sorted: builtins.bool = True,
    ) -> Any:
        """The named tuple (values, indices) of the k largest (or smallest) along ``dim``."""
        return F.topk(self, k, dim, largest, sorted)

    def kthvalue(
        self, k: builtins.int, dim: builtins.int = -1, keepdim: builtins.bool = False
    ) -> Any:
        """The named tuple (values, indices) of the k-th smallest along ``dim``."""
        return F.kthvalue(self, k, dim, keepdim)

    def median(self, dim: builtins.int | None = None, keepdim: builtins.bool = False) -> Any:
        """The lower median of all elements; with ``dim``, (values, indices) along it."""
        return F.median(self, dim, keepdim)

    def cumsum(self, dim: builtins.int, *, dtype: Any = None) -> Tensor:
        """The cumulative sum along ``dim``."""
        return F.cumsum(self, dim, dtype=dtype)

    def cumprod(self, dim: builtins.int, *, dtype: Any = None) -> Tensor:
        """The cumulative product along ``dim``."""
        return F.cumprod(self, dim, dtype=dtype)

    def unique(
        self,
        sorted: builtins.bool = True,
        return_inverse: builtins.bool = False,
        return_counts: builtins.bool = False,
        dim: builtins.int | None = None,
    ) -> Any:
        """The distinct elements, ascending (with inverse indices and counts if asked)."""
        return F.unique(self, sorted, return_inverse, return_counts, dim)

    def bincount(self, weights: Any = None, minlength: builtins.int = 0) -> Tensor:
        """How often each value 0, 1, ..., max occurs (or the sum of its weights)."""
        return F.bincount(self, weights, minlength)

    def nonzero(self, *, as_tuple: builtins.bool = False) -> Any:
        """The indices of the nonzero elements."""
        return F.nonzero(self, as_tuple=as_tuple)

    def count_nonzero(self, dim: Dim = None) -> Tensor:
        """How many elements are nonzero over ``dim`` (all by default)."""
        return F.count_nonzero(self, dim)

    # -------------------------------------------------------------- indexing
    def index_select(self, dim: builtins.int, index: Any) -> Tensor:
        """The slices along ``dim`` at the positions in ``index`` (torch.index_select)."""
        return F.index_select(self, dim, index)

    def scatter(
        self,
        dim: builtins.int,
        index: Any,
        src: Any = None,
        value: Any = None,
        *,
        reduce: Any = None,
    ) -> Tensor:
        """A copy with ``src`` (or ``value``) written along ``dim`` at ``index``."""
        return F.scatter(self, dim, index, src, value, reduce=reduce)

    def scatter_(
        self,
        dim: builtins.int,
        index: Any,
        src: Any = None,
        value: Any = None,
        *,
        reduce: Any = None,
    ) -> Tensor:
        """``src`` (or ``value``) written along ``dim`` at ``index``, in place."""
        return F.inplace(self, F.scatter, dim, index, src, value, reduce=reduce)

    def scatter_add(self, dim: builtins.int, index: Any, src: Any) -> Tensor:
        """A copy with ``src`` added along ``dim`` at ``index``."""
        return F.scatter_add(self, dim, index, src)

    def scatter_add_(self, dim: builtins.int, index: Any, src: Any) -> Tensor:
        """``src`` added along ``dim`` at ``index``, in place."""
        return F.inplace(self, F.scatter_add, dim, index, src)

    def index_add(self, dim: builtins.int, index: Any, source: Any, *, alpha: Number = 1) -> Tensor:
        """A copy with alpha · ``source``'s slices added along ``dim`` at ``index``."""
        return F.index_add(self, dim, index, source, alpha=alpha)

    def index_add_(
        self, dim: builtins.int, index: Any, source: Any, *, alpha: Number = 1
    ) -> Tensor:
        """alpha · ``source``'s slices added along ``dim`` at ``index``, in place."""
        return F.inplace(self, F.index_add, dim, index, source, alpha=alpha)

    def narrow(self, dim: builtins.int, start: Any, length: builtins.int) -> Tensor:
        """``length`` slices along ``dim`` from ``start``."""
        return F.narrow(self, dim, start, length)

    def repeat_interleave(
        self, repeats: Any, dim: builtins.int | None = None, *, output_size: Any = None
    ) -> Tensor:
        """Each slice along ``dim`` repeated ``repeats`` times, the copies side by side."""
        return F.repeat_interleave(self, repeats, dim, output_size=output_size)

    def flip(self, *dims: Any) -> Tensor:
        """Reversed along ``dims``: ``x.flip(0)``, ``x.flip(0, 1)`` or ``x.flip((0, 1))``."""
        return F.flip(self, dims[0] if len(dims) == 1 else dims)

    def roll(self, shifts: Any, dims: Any = None) -> Tensor:
        """Shifted cyclically by ``shifts`` along ``dims``."""
        return F.roll(self, shifts, dims)

    def tril(self, diagonal: builtins.int = 0) -> Tensor:
        """The lower triangle of the last two dimensions, the rest 0."""
        return F.tril(self, diagonal)

    def triu(self, diagonal: builtins.int = 0) -> Tensor:
        """The upper triangle of the last two dimensions, the rest 0."""
        return F.triu(self, diagonal)

    def diag(self, diagonal: builtins.int = 0) -> Tensor:
        """A vector's diagonal matrix, or a matrix's diagonal."""
        return F.diag(self, diagonal)

    def diagonal(
        self, offset: builtins.int = 0, dim1: builtins.int = 0, dim2: builtins.int = 1
    ) -> Tensor:
        """The diagonal ``offset`` of the matrices in dimensions dim1 and dim2."""
        return F.diagonal(self, offset, dim1, dim2)

    def dot(self, other: Any) -> Tensor:
        """The inner product with a 1-d tensor of the same length and dtype."""
        return F.dot(self, other)

    def outer(self, vec2: Any) -> Tensor:
        """The outer product with a 1-d tensor."""
        return F.outer(self, vec2)

    def addmm(self, mat1: Any, mat2: Any, *, beta: Number = 1, alpha: Number = 1) -> Tensor:
        """beta · self + alpha · (mat1 @ mat2)."""
        return F.addmm(self, mat1, mat2, beta=beta, alpha=alpha)
