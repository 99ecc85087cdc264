"""Nested containers as flat arrays plus a JSON structure, and back: the layout of ``save``.

``flatten(obj, arrays)`` moves every array out of ``obj`` into ``arrays``, keyed by its
path (``model/fc.weight``, ``optimizer/state/0/exp_avg``), and returns a JSON-able node
that rebuilds the rest:

    None, bool, int, float, str    themselves
    list                           a list of nodes
    array or Tensor                {"array": path}
    NumPy scalar (np.float32(1))   {"scalar": path}, stored as a 0-d array
    tuple                          {"tuple": [node, ...]}
    dict                           {"dict": [[key, node], ...]}  (keys: str or int)

``unflatten`` rebuilds the object and checks every node, so a damaged structure is an
error, never a wrong object.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from scratchdl.autograd import Tensor

NUMERIC_KINDS = "biuf"
"""dtype kinds a saved array may have: bool, signed and unsigned integers, floats."""

FORMAT, VERSION = "scratchdl", 1


def numeric_array(value: Any, where: str) -> np.ndarray:
    """``value`` (a NumPy array or a Tensor) as a NumPy array; TypeError unless numeric."""
    array = value.numpy() if isinstance(value, Tensor) else np.asarray(value)
    if array.dtype.kind not in NUMERIC_KINDS:
        raise TypeError(
            f"save: {where} holds {array.dtype} data; only bool, integer and float arrays "
            "can be saved"
        )
    return array


def flatten(value: Any, arrays: dict[str, np.ndarray], path: str = "") -> Any:
    """The node of ``value`` (see the module docstring); its arrays go into ``arrays``."""
    if isinstance(value, (Tensor, np.ndarray, np.generic)) and not isinstance(value, str):
        if path in arrays:
            raise ValueError(f"save: two arrays would be stored under the same name {path!r}")
        arrays[path] = numeric_array(value, f"the entry at {path!r}")
        return {"scalar" if isinstance(value, np.generic) else "array": path}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping):
        pairs = [
            [_key(key, path), flatten(item, arrays, _join(path, key))]
            for key, item in value.items()
        ]
        return {"dict": pairs}
    if isinstance(value, (list, tuple)):
        items = [flatten(item, arrays, _join(path, index)) for index, item in enumerate(value)]
        return {"tuple": items} if isinstance(value, tuple) else items
    raise TypeError(
        f"save: cannot store a {type(value).__name__} at {path or 'the top'!r}; expected "
        "tensors, arrays, numbers, strings, None, and dicts, lists or tuples of them"
    )


def _key(key: Any, path: str) -> str | int:
    if isinstance(key, bool) or not isinstance(key, (str, int)):
        raise TypeError(
            f"save: the dict key {key!r} at {path or 'the top'!r} must be a str or an int"
        )
    return key


def _join(path: str, key: str | int) -> str:
    return f"{path}/{key}" if path else str(key)


def unflatten(
    node: Any, arrays: Mapping[str, np.ndarray], wrap: Callable[[np.ndarray], Any]
) -> Any:
    """Rebuild what ``flatten`` turned into ``node``, each array passed through ``wrap``.

    Raises ValueError, naming the problem, if a node is malformed, an array it names is
    missing or named twice, or an array belongs to no node.
    """
    used: set[str] = set()

    def build(node: Any) -> Any:
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if isinstance(node, list):
            return [build(item) for item in node]
        if not isinstance(node, dict) or len(node) != 1:
            raise ValueError(f"the structure holds a malformed node {_short(node)}")
        ((tag, content),) = node.items()
        if tag in ("array", "scalar"):
            array = take(content)
            return array[()] if tag == "scalar" else wrap(array)
        if tag == "tuple" and isinstance(content, list):
            return tuple(build(item) for item in content)
        if tag == "dict" and isinstance(content, list):
            return dict(pair(item) for item in content)
        raise ValueError(f"the structure holds a malformed node {_short(node)}")

    def pair(item: Any) -> tuple[str | int, Any]:
        valid = isinstance(item, list) and len(item) == 2
        if not valid or isinstance(item[0], bool) or not isinstance(item[0], (str, int)):
            raise ValueError(f"the structure holds a malformed dict entry {_short(item)}")
        return item[0], build(item[1])

    def take(name: Any) -> np.ndarray:
        if not isinstance(name, str) or name not in arrays:
            raise ValueError(f"the structure names a missing array {_short(name)}")
        if name in used:
            raise ValueError(f"the structure names the array {name!r} twice")
        used.add(name)
        return arrays[name]

    value = build(node)
    unused = [name for name in arrays if name not in used]
    if unused:
        raise ValueError(f"the arrays {unused[:3]} belong to no part of the structure")
    return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def encode_structure(node: Any) -> bytes:
    """The structure as the JSON text stored beside the arrays."""
    return json.dumps({"format": FORMAT, "version": VERSION, "tree": node}).encode()


def decode_structure(text: bytes | str) -> Any:
    """The node stored by ``encode_structure``; ValueError if the text is not one."""
    header = parse_json(text)
    if not isinstance(header, dict) or header.get("format") != FORMAT or "tree" not in header:
        raise ValueError("its structure entry is not a scratchdl structure")
    if header.get("version") != VERSION:
        raise ValueError(
            f"it was written by another scratchdl (structure version {header.get('version')!r}; "
            f"this one reads version {VERSION})"
        )
    return header["tree"]


def parse_json(text: bytes | str) -> Any:
    """Strict JSON: ValueError for invalid text or an object with a repeated key."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except (UnicodeDecodeError, RecursionError) as error:
        raise ValueError(f"invalid JSON ({error})") from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    unique: dict[str, Any] = {}
    for key, value in pairs:
        if key in unique:
            raise ValueError(f"invalid JSON: the key {key!r} appears twice in one object")
        unique[key] = value
    return unique
