"""The optional packages the command line uses, and what to install when one is missing."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Extra:
    """An optional package: the module imported, its distribution, the scratchdl extra
    that installs it (``pip install 'scratchdl[plot]'``) and what it adds."""

    module: str
    distribution: str
    extra: str
    purpose: str


EXTRAS = (
    Extra("tqdm", "tqdm", "progress", "progress bars"),
    Extra("matplotlib", "matplotlib", "plot", "figures (train, demo)"),
    Extra("PIL", "pillow", "image", "reading PNG/JPEG images (predict)"),
)


def require(module: str, needed_for: str) -> ModuleType:
    """Import an optional ``module``; ImportError saying what to install if it is missing."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        extra = _extra_of(module)
        name = extra.distribution if extra else module
        raise ImportError(f"{needed_for} needs {name}: {_command(extra)}") from error


def install_hint(error: ImportError) -> str | None:
    """For an ImportError of an optional package, a message naming what to install (the
    error's own when it already says so); None for any other ImportError (a bug)."""
    extra = _extra_of(error.name or "")
    if "pip install" in str(error):
        return str(error)
    if extra is None:
        return None
    return f"this needs the optional package {extra.distribution}: {_command(extra)}"


def _extra_of(module: str) -> Extra | None:
    """The extra that installs ``module`` (a package or one of its modules), if any."""
    top = module.partition(".")[0]
    return next((extra for extra in EXTRAS if extra.module == top), None)


def _command(extra: Extra | None) -> str:
    return f"pip install 'scratchdl[{extra.extra if extra else 'all'}]'"
