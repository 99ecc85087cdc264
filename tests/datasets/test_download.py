"""Downloads from loopback mirrors: fallback past failing ones, atomic and verified writes."""

import dataclasses
import io
import sys

import numpy as np
import pytest

from scratchdl.datasets import DatasetError, load_split
from scratchdl.datasets import download as download_module
from scratchdl.datasets.download import download_file
from scratchdl.datasets.files import MNIST_FILES

LABELS = "t10k-labels-idx1-ubyte.gz"


def use_mirrors(monkeypatch, spec, *mirrors):
    """``spec`` downloading from ``mirrors`` only, with no files found through
    $SCRATCHDL_DATA."""
    monkeypatch.delenv("SCRATCHDL_DATA", raising=False)
    return dataclasses.replace(spec, mirrors=mirrors)


def test_downloads_and_verifies(fake_mnist, mirror, tmp_path):
    folder, spec, _ = fake_mnist
    target = tmp_path / "target"
    path = download_file(LABELS, spec.md5[LABELS], target, [mirror("files", folder)])
    assert path == target / LABELS
    assert path.read_bytes() == (folder / LABELS).read_bytes()
    assert [p.name for p in target.iterdir()] == [LABELS]


def test_failing_mirrors_are_skipped_with_a_message(fake_mnist, mirror, tmp_path, capsys):
    folder, spec, _ = fake_mnist
    failing = [mirror("503", folder), mirror("refused"), mirror("corrupt", folder)]
    good = mirror("files", folder)
    target = tmp_path / "target"
    download_file(LABELS, spec.md5[LABELS], target, [*failing, good])
    messages = capsys.readouterr().err
    for url in failing:
        assert f"download failed, {url}{LABELS}" in messages
    assert "503" in messages and "does not match" in messages
    assert [p.name for p in target.iterdir()] == [LABELS]


def test_a_silent_mirror_times_out(fake_mnist, mirror, tmp_path, capsys):
    folder, spec, _ = fake_mnist
    mirrors = [mirror("silent"), mirror("files", folder)]
    download_file(LABELS, spec.md5[LABELS], tmp_path, mirrors, timeout=0.2)
    assert "timed out" in capsys.readouterr().err


def test_when_every_mirror_fails_nothing_is_left_behind(fake_mnist, mirror, tmp_path):
    folder, spec, _ = fake_mnist
    mirrors = [mirror("503", folder), mirror("corrupt", folder)]
    with pytest.raises(DatasetError, match=f"could not download {LABELS} from any mirror") as error:
        download_file(LABELS, spec.md5[LABELS], tmp_path / "target", mirrors)
    assert all(url in str(error.value) for url in mirrors)
    assert not (tmp_path / "target").exists()  # no file, not even a folder


def test_mnist_downloads_missing_files_into_root(fake_mnist, mirror, tmp_path, monkeypatch):
    folder, spec, splits = fake_mnist
    spec = use_mirrors(monkeypatch, spec, mirror("503", folder), mirror("files", folder))
    _, labels = load_split(spec, train=False, root=tmp_path / "data", download=True)
    downloaded = sorted(p.name for p in (tmp_path / "data" / "mnist").iterdir())
    assert downloaded == sorted(spec.split(train=False))
    np.testing.assert_array_equal(labels, splits[False][1])


def test_mnist_downloads_into_the_cache_without_root(fake_mnist, mirror, tmp_path, monkeypatch):
    folder, spec, _ = fake_mnist
    spec = use_mirrors(monkeypatch, spec, mirror("files", folder))
    images, _ = load_split(spec, train=True, download=True)
    assert len(images) == 6
    assert (tmp_path / "xdg-cache" / "scratchdl" / "mnist" / "train-images-idx3-ubyte.gz").is_file()


def test_mnist_error_when_all_mirrors_fail(fake_mnist, mirror, tmp_path, monkeypatch):
    folder, spec, _ = fake_mnist
    spec = use_mirrors(monkeypatch, spec, mirror("503", folder))
    with pytest.raises(DatasetError) as error:
        load_split(spec, train=True, root=tmp_path / "data", download=True)
    message = str(error.value)
    assert "503" in message and "SCRATCHDL_DATA" in message
    assert str(tmp_path / "data" / "mnist" / "t10k-labels-idx1-ubyte.gz") in message
    assert not (tmp_path / "data" / "mnist").exists()


def test_real_mnist_files_download_from_a_local_mirror(mnist_dir, mirror, tmp_path, monkeypatch):
    real_files = mnist_dir / "mnist"
    spec = use_mirrors(
        monkeypatch, MNIST_FILES, mirror("corrupt", real_files), mirror("files", real_files)
    )
    images, labels = load_split(spec, train=False, root=tmp_path, download=True)
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert np.bincount(labels)[0] == 980


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal_with_tqdm(monkeypatch):
    tqdm = pytest.importorskip("tqdm")
    assert isinstance(download_module._progress_bar(10, "f"), download_module._NoProgress)
    monkeypatch.setattr("sys.stderr", FakeTerminal())
    with download_module._progress_bar(10, "f") as bar:
        assert isinstance(bar, tqdm.tqdm)
    monkeypatch.setitem(sys.modules, "tqdm", None)  # tqdm not installed
    assert isinstance(download_module._progress_bar(10, "f"), download_module._NoProgress)
