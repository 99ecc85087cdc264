"""Data loading: datasets of arrays, mini-batch iteration, and array transforms.

from scratchdl.data import DataLoader, TensorDataset
loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
"""

from scratchdl.data import transforms
from scratchdl.data.dataset import Dataset, TensorDataset, collate
from scratchdl.data.loader import DataLoader

__all__ = ["DataLoader", "Dataset", "TensorDataset", "collate", "transforms"]
