"""Keras's automatic names: a layer or model without a ``name`` is called after its class in
snake case, numbered from the second one on ("dense", "dense_1", "dense_2", ...), as Keras does
within one session. ``keras.backend.clear_session()`` starts the numbering again."""

from __future__ import annotations

import re
from collections import Counter

_used: Counter[str] = Counter()


def snake_case(class_name: str) -> str:
    """Keras's snake case of a class name: MaxPooling2D -> max_pooling2d, Conv2D -> conv2d."""
    words = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", class_name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", words).lower()


def unique_name(base: str) -> str:
    """``base`` the first time, then ``base_1``, ``base_2``, ..."""
    count = _used[base]
    _used[base] += 1
    return base if count == 0 else f"{base}_{count}"


def clear_session() -> None:
    """Forget every name given so far (the next Dense is "dense" again)."""
    _used.clear()
