"""Lookup order (root, $SCRATCHDL_DATA, user cache), MD5 verification, the file report."""

import shutil

import pytest

from scratchdl.datasets import DatasetError, find_dataset_files
from scratchdl.datasets.files import (
    FASHION_MNIST_FILES,
    MNIST_FILES,
    cache_dir,
    dataset_files,
    find_file,
    resolve_files,
    search_dirs,
)

LABELS = "t10k-labels-idx1-ubyte.gz"


def place(folder, name=LABELS, content=b"x"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    return folder / name


def test_cache_dir_follows_xdg_then_home(monkeypatch, tmp_path):
    assert cache_dir() == tmp_path / "xdg-cache" / "scratchdl"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "scratchdl"


def test_search_order_is_root_then_env_then_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("SCRATCHDL_DATA", str(tmp_path / "env"))
    assert search_dirs(MNIST_FILES, tmp_path / "root") == [
        tmp_path / "root" / "mnist",
        tmp_path / "root",
        tmp_path / "root" / "MNIST" / "raw",
        tmp_path / "env" / "mnist",
        tmp_path / "xdg-cache" / "scratchdl" / "mnist",
    ]


def test_find_file_takes_the_first_location_holding_it(monkeypatch, tmp_path):
    monkeypatch.setenv("SCRATCHDL_DATA", str(tmp_path / "env"))
    in_cache = place(cache_dir() / "mnist")
    assert find_file(MNIST_FILES, LABELS) == in_cache
    in_env = place(tmp_path / "env" / "mnist")
    assert find_file(MNIST_FILES, LABELS) == in_env
    in_root = place(tmp_path / "root" / "mnist")
    assert find_file(MNIST_FILES, LABELS, root=tmp_path / "root") == in_root
    assert find_file(MNIST_FILES, LABELS, root=tmp_path / "elsewhere") == in_env


def test_root_may_point_at_the_files_themselves(tmp_path, no_data_env):
    direct = place(tmp_path / "my-mnist")
    assert find_file(MNIST_FILES, LABELS, root=tmp_path / "my-mnist") == direct
    assert find_file(MNIST_FILES, LABELS) is None


def test_files_torchvision_downloaded_are_found_under_its_raw_folder(tmp_path, no_data_env):
    in_torchvision_layout = place(tmp_path / "data" / "FashionMNIST" / "raw")
    assert find_file(FASHION_MNIST_FILES, LABELS, root=tmp_path / "data") == in_torchvision_layout


def test_resolve_verifies_checksums(fake_mnist, tmp_path):
    folder, spec, _ = fake_mnist
    root = tmp_path / "root"
    shutil.copytree(folder, root / "mnist")
    place(root / "mnist", "t10k-images-idx3-ubyte.gz", b"damaged")
    assert resolve_files(spec, spec.split(train=True), root)[0].parent == root / "mnist"
    with pytest.raises(DatasetError, match=r"t10k-images-idx3-ubyte\.gz: MD5 [0-9a-f]{32} does"):
        resolve_files(spec, spec.split(train=False), root)


def test_missing_files_without_download_say_where_to_put_them(tmp_path, no_data_env):
    with pytest.raises(DatasetError) as error:
        resolve_files(MNIST_FILES, MNIST_FILES.split(train=True), tmp_path / "r", download=False)
    message = str(error.value)
    assert "missing train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz" in message
    for name in MNIST_FILES.filenames:
        assert str(tmp_path / "r" / "mnist" / name) in message
    assert "SCRATCHDL_DATA" in message


def test_find_dataset_files_reports_verified_corrupt_and_missing(fake_mnist, tmp_path, no_data_env):
    folder, _, _ = fake_mnist
    good = place(tmp_path / "root" / "mnist", "train-images-idx3-ubyte.gz")
    shutil.copy(folder / good.name, good)
    corrupt = place(tmp_path / "root" / "mnist", "train-labels-idx1-ubyte.gz", b"corrupt")
    report = find_dataset_files("mnist", tmp_path / "root")
    assert [status.filename for status in report] == list(MNIST_FILES.filenames)
    assert (report[0].path, report[0].verified) == (good, True)
    assert (report[1].path, report[1].verified) == (corrupt, False)
    assert (report[2].path, report[2].verified) == (None, False)


def test_dataset_names_are_forgiving_but_checked():
    assert dataset_files("FashionMNIST").folder == "fashion-mnist"
    assert dataset_files("fashion_mnist").folder == "fashion-mnist"
    with pytest.raises(ValueError, match="unknown dataset 'cifar10'"):
        dataset_files("cifar10")
