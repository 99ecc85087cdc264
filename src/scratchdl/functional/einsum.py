"""einsum: sums of products over named indices, in torch.einsum's equation language.

``einsum("ij,jk->ik", a, b)`` is a @ b; ``"ii->i"`` a diagonal, ``"ii"`` a trace,
``"...ij->...ji"`` a batched transpose. The equation is first made explicit — every
index a letter ('...' becomes letters), the output spelled out — and operands of size 1
along an index are broadcast to its full size, so the Function below only sees equations
whose indices have one size each.

Backward: y = Σ Πₖ xₖ over the indices not in y, so ∂L/∂xₖ is the same sum with xₖ
replaced by the output gradient: an einsum of gy with the other operands, onto xₖ's
indices. Two cases need care: an index repeated in xₖ (xₖ[i, i]) gets its second use
renamed and tied to the first by an identity matrix, so the gradient lands on the
diagonal; an index found only in xₖ (summed away) is broadcast back along its dimension.
"""

from __future__ import annotations

import string
from collections import Counter
from typing import Any

from scratchdl.autograd import Function, Tensor, as_tensor, wrap
from scratchdl.backend import get_array_module
from scratchdl.functional.shape import broadcast_to, reshape


class Einsum(Function):
    """y = einsum("s₀,s₁,...->out", x₀, x₁, ...) with explicit letters only and one size
    per letter;  ∂L/∂xₖ = einsum of gy with the other operands onto sₖ (see the module
    docstring)."""

    def __init__(self, subscripts: tuple[str, ...], output: str) -> None:
        self.subscripts, self.output_subscripts = subscripts, output

    def forward(self, *xs):
        equation = f"{','.join(self.subscripts)}->{self.output_subscripts}"
        return get_array_module(xs[0]).einsum(equation, *xs, optimize=True)  # BLAS for pairs

    def backward(self, gy):
        return tuple(
            self._gradient(k, gy) if x.requires_grad else None for k, x in enumerate(self.inputs)
        )

    def _gradient(self, k: int, gy: Tensor) -> Tensor:
        """∂L/∂xₖ: gy summed against the other operands onto xₖ's letters (repeats tied by
        identity matrices), broadcast along the letters only xₖ has."""
        x = self.inputs[k]
        used = set("".join(self.subscripts))
        fresh = iter(letter for letter in string.ascii_letters if letter not in used)
        letters, eyes, eye_subscripts = [], [], []
        for letter, size in zip(self.subscripts[k], x.shape, strict=True):
            if letter in letters:  # a repeat: a new letter tied to the first by δ
                renamed = next(fresh)
                eyes.append(wrap(get_array_module(gy.data).eye(size, dtype=gy.dtype)))
                eye_subscripts.append(letter + renamed)
                letter = renamed
            letters.append(letter)
        others = [s for i, s in enumerate(self.subscripts) if i != k]
        available = set(self.output_subscripts + "".join(others + eye_subscripts))
        kept = "".join(letter for letter in letters if letter in available)
        operands = [gy, *(x for i, x in enumerate(self.inputs) if i != k), *eyes]
        subscripts = (self.output_subscripts, *others, *eye_subscripts)
        g = Einsum(subscripts, kept)(*operands)
        kept_shape = tuple(
            n if c in available else 1 for c, n in zip(letters, x.shape, strict=True)
        )
        return broadcast_to(reshape(g, kept_shape), x.shape)


def einsum(*args: Any) -> Tensor:
    """Σ over the indices missing from the output of the product of the operands, as
    named by ``equation``: ``einsum("bij,bjk->bik", a, b)``. Also accepts the operands as
    one list, and torch's sublist form ``einsum(a, [0, 1], b, [1, 2], [0, 2])``.
    Operands share one dtype; a size-1 dimension broadcasts. RuntimeError for a malformed
    equation or mismatched sizes, ValueError for a sublist number outside [0, 52)."""
    equation, operands = _arguments(args)
    operands = [as_tensor(x) for x in operands]
    dtypes = {str(x.dtype) for x in operands}
    if len(dtypes) > 1:
        raise RuntimeError(f"einsum: operands must share one dtype, got {sorted(dtypes)}")
    subscripts, output = _explicit(equation.replace(" ", ""), operands)
    sizes = _letter_sizes(subscripts, operands)
    operands = [
        broadcast_to(x, tuple(sizes[c] for c in s))
        for s, x in zip(subscripts, operands, strict=True)
    ]
    return Einsum(tuple(subscripts), output)(*operands)


def _arguments(args: tuple[Any, ...]) -> tuple[str, list[Any]]:
    """(equation, operands) from einsum's three calling forms."""
    if not args:
        raise TypeError("einsum: expected an equation and operands")
    if isinstance(args[0], str):
        operands = args[1:]
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = operands[0]
        return args[0], list(operands)
    pairs = list(zip(args[0::2], args[1::2], strict=False))
    output = args[-1] if len(args) % 2 else None
    inputs = ",".join(_sublist_letters(sublist) for _, sublist in pairs)
    arrow = "" if output is None else "->" + _sublist_letters(output)
    return inputs + arrow, [x for x, _ in pairs]


def _sublist_letters(sublist: Any) -> str:
    """A sublist such as [0, 1, Ellipsis] as subscripts ("ab...")."""
    letters = []
    for item in sublist:
        if item is Ellipsis:
            letters.append("...")
        elif isinstance(item, int) and 0 <= item < len(string.ascii_letters):
            letters.append(string.ascii_letters[item])
        else:
            raise ValueError(f"einsum: subscript {item!r} is not within the valid range [0, 52)")
    return "".join(letters)


def _explicit(equation: str, operands: list[Tensor]) -> tuple[list[str], str]:
    """Each operand's subscripts and the output's, as letters only: '...' replaced by
    unused letters (right-aligned, so fewer dimensions broadcast) and an implicit output
    spelled out ('...' first, then the letters used once, in alphabetical order)."""
    left, arrow, right = equation.partition("->")
    terms = left.split(",")
    if len(terms) != len(operands):
        raise RuntimeError(
            f"einsum: the equation {equation!r} names {len(terms)} operands, got {len(operands)}"
        )
    for term in (*terms, right):
        bad = [c for c in term.replace("...", "") if c not in string.ascii_letters]
        if bad or term.count("...") > 1:
            raise RuntimeError(
                f"einsum: invalid subscripts {term!r}: use letters [a-zA-Z] and at most one '...'"
            )
    ellipsis_dims = [
        _ellipsis_dims(t, x, i) for i, (t, x) in enumerate(zip(terms, operands, strict=True))
    ]
    fresh = [c for c in string.ascii_letters if c not in equation][: max(ellipsis_dims, default=0)]
    subscripts = [
        t.replace("...", "".join(fresh[len(fresh) - e :]))
        for t, e in zip(terms, ellipsis_dims, strict=True)
    ]
    if not arrow:
        once = sorted(c for c, n in Counter("".join(terms).replace("...", "")).items() if n == 1)
        right = ("..." if "..." in left else "") + "".join(once)
    output = right.replace("...", "".join(fresh))
    for letter in output:
        if output.count(letter) > 1:
            raise RuntimeError(f"einsum: output subscript {letter} appears more than once")
        if letter not in "".join(subscripts):
            raise RuntimeError(
                f"einsum: output subscript {letter} does not appear in any input operand"
            )
    return subscripts, output


def _ellipsis_dims(term: str, x: Tensor, position: int) -> int:
    """How many of x's dimensions the '...' of ``term`` covers (0 without one)."""
    letters = len(term.replace("...", ""))
    if letters == x.ndim or ("..." in term and letters <= x.ndim):
        return x.ndim - letters
    raise RuntimeError(
        f"einsum: the subscripts {term!r} of operand {position} do not match its "
        f"{x.ndim} dimensions (shape {tuple(x.shape)})"
    )


def _letter_sizes(subscripts: list[str], operands: list[Tensor]) -> dict[str, int]:
    """Each letter's size; sizes of 1 broadcast, any other mismatch is a RuntimeError."""
    sizes: dict[str, int] = {}
    for position, (term, x) in enumerate(zip(subscripts, operands, strict=True)):
        own: dict[str, int] = {}
        for letter, size in zip(term, x.shape, strict=True):
            if own.setdefault(letter, size) != size:
                raise RuntimeError(
                    f"einsum: subscript {letter} is repeated in operand {position} with "
                    f"different sizes {own[letter]} and {size}"
                )
            seen = sizes.setdefault(letter, size)
            if seen == 1:
                sizes[letter] = size
            elif size not in (1, seen):
                raise RuntimeError(
                    f"einsum: subscript {letter} has size {size} for operand {position} "
                    f"which does not broadcast with previously seen size {seen}"
                )
    return sizes
