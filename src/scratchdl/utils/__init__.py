"""Utilities shaped like ``torch.utils``: ``scratchdl.utils.data`` (datasets and loaders)."""

from scratchdl.utils import data

__all__ = ["data"]
