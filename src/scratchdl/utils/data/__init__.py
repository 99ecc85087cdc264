"""Data loading: datasets of arrays, mini-batch iteration, and array transforms.

from scratchdl.utils.data import DataLoader, TensorDataset
loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
"""

from scratchdl.utils.data import transforms
from scratchdl.utils.data.dataset import Dataset, TensorDataset, collate
from scratchdl.utils.data.loader import DataLoader

__all__ = ["DataLoader", "Dataset", "TensorDataset", "collate", "transforms"]
