"""Datasets and data loading, as ``torch.utils.data``.

from scratchdl.utils.data import DataLoader, TensorDataset, random_split
train, val = random_split(TensorDataset(X, y), [0.8, 0.2])
loader = DataLoader(train, batch_size=32, shuffle=True)
"""

from scratchdl.utils.data.collate import default_collate, default_convert
from scratchdl.utils.data.dataloader import DataLoader, get_worker_info
from scratchdl.utils.data.dataset import (
    ConcatDataset,
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    random_split,
    to_arrays,
)
from scratchdl.utils.data.distributed import DistributedSampler
from scratchdl.utils.data.sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

__all__ = [
    "BatchSampler",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "DistributedSampler",
    "IterableDataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "random_split",
    "to_arrays",
]
