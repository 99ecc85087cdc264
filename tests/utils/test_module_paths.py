"""Programs import torch.utils.data's names from its submodules too; the same paths work here."""

import importlib

import pytest

PATHS = {
    "dataset": [
        "Dataset",
        "IterableDataset",
        "TensorDataset",
        "Subset",
        "ConcatDataset",
        "random_split",
    ],
    "sampler": [
        "Sampler",
        "SequentialSampler",
        "RandomSampler",
        "SubsetRandomSampler",
        "WeightedRandomSampler",
        "BatchSampler",
    ],
    "dataloader": ["DataLoader", "default_collate", "default_convert", "get_worker_info"],
    "distributed": ["DistributedSampler"],
}


@pytest.mark.parametrize("module", PATHS)
def test_names_live_where_torch_keeps_them(torch, module):
    ours = importlib.import_module(f"scratchdl.utils.data.{module}")
    theirs = importlib.import_module(f"torch.utils.data.{module}")
    for name in PATHS[module]:
        assert hasattr(theirs, name), name  # the table itself follows torch
        assert hasattr(ours, name), name


def test_the_package_exports_them_all():
    import scratchdl as sd

    for names in PATHS.values():
        for name in names:
            assert hasattr(sd.utils.data, name), name
