"""Where the IDX dataset files live: names, checksums, mirrors, search order, verification.

Each file is looked up, in order, in:

1. ``root/<folder>``, ``root`` itself and ``root/<torchvision folder>/raw`` (where torchvision
   keeps them: ``MNIST/raw``, ``FashionMNIST/raw``), when ``root`` is given;
2. ``$SCRATCHDL_DATA/<folder>``;
3. the per-user cache, ``$XDG_CACHE_HOME/scratchdl/<folder>`` (default ``~/.cache/scratchdl``).

``<folder>`` is ``mnist`` or ``fashion-mnist``. Files found anywhere must match their
published MD5. Missing files are downloaded into ``root/<folder>`` (or the cache without a
``root``) when allowed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from scratchdl.datasets.download import download_file
from scratchdl.datasets.errors import DatasetError

DATA_ENV = "SCRATCHDL_DATA"
TRAIN_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
TEST_FILES = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


@dataclass(frozen=True)
class DatasetFiles:
    """One IDX dataset on disk: its folder names (ours and torchvision's), each file's MD5
    and the mirrors serving it."""

    name: str
    folder: str
    torchvision_folder: str
    md5: Mapping[str, str]
    mirrors: tuple[str, ...]

    @property
    def filenames(self) -> tuple[str, ...]:
        """The four file names: training images and labels, then test images and labels."""
        return TRAIN_FILES + TEST_FILES

    def split(self, train: bool) -> tuple[str, str]:
        """The (images, labels) file names of the training or the test split."""
        return TRAIN_FILES if train else TEST_FILES


MNIST_FILES = DatasetFiles(
    name="MNIST",
    folder="mnist",
    torchvision_folder="MNIST",
    md5={
        "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
        "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
        "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
    },
    mirrors=(
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ),
)

FASHION_MNIST_FILES = DatasetFiles(
    name="Fashion-MNIST",
    folder="fashion-mnist",
    torchvision_folder="FashionMNIST",
    md5={
        "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
    },
    mirrors=(
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/",
    ),
)

DATASET_FILES = {"mnist": MNIST_FILES, "fashion-mnist": FASHION_MNIST_FILES}


def cache_dir() -> Path:
    """The per-user cache: ``$XDG_CACHE_HOME/scratchdl``, else ``~/.cache/scratchdl``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "scratchdl"


def search_dirs(files: DatasetFiles, root: str | Path | None = None) -> list[Path]:
    """The folders searched for ``files``, in lookup order (see the module docstring).

    Raises DatasetError if ``root`` or ``$SCRATCHDL_DATA`` names a file: a mistyped data
    folder must not be skipped silently.
    """
    dirs = []
    if root is not None:
        folder = _data_folder(root, "the data folder")
        dirs += [folder / files.folder, folder, folder / files.torchvision_folder / "raw"]
    if os.environ.get(DATA_ENV):
        dirs.append(_data_folder(os.environ[DATA_ENV], f"${DATA_ENV}") / files.folder)
    dirs.append(cache_dir() / files.folder)
    return dirs


def download_dir(files: DatasetFiles, root: str | Path | None = None) -> Path:
    """Where missing files are downloaded: ``root/<folder>``, else the cache's ``<folder>``."""
    base = cache_dir() if root is None else _data_folder(root, "the data folder")
    return base / files.folder


def _data_folder(path: str | Path, name: str) -> Path:
    """``path``, unless it names an existing file (DatasetError)."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise DatasetError(f"{name} {path} is a file, not a folder")
    return path


def find_file(files: DatasetFiles, filename: str, root: str | Path | None = None) -> Path | None:
    """The first existing ``filename`` in the search folders, or None."""
    return next((d / filename for d in search_dirs(files, root) if (d / filename).is_file()), None)


def md5sum(path: Path) -> str:
    """The MD5 hex digest of a file, read in 1 MiB chunks."""
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verify(files: DatasetFiles, path: Path) -> None:
    """Raise DatasetError unless ``path`` has the published MD5 of its file name."""
    expected, actual = files.md5[path.name], md5sum(path)
    if actual != expected:
        raise DatasetError(
            f"{path}: MD5 {actual} does not match the {files.name} file's {expected}; the file "
            f"is corrupt or belongs to another dataset. Delete or replace it."
        )


@dataclass(frozen=True)
class FileStatus:
    """Where one dataset file was found (None when missing) and whether its MD5 matches."""

    filename: str
    path: Path | None
    verified: bool


def find_dataset_files(name: str, root: str | Path | None = None) -> list[FileStatus]:
    """Report the four files of ``name`` ('mnist' or 'fashion-mnist'): where, and verified?"""
    files = dataset_files(name)
    report = []
    for filename in files.filenames:
        path = find_file(files, filename, root)
        verified = path is not None and md5sum(path) == files.md5[filename]
        report.append(FileStatus(filename, path, verified))
    return report


def dataset_files(name: str) -> DatasetFiles:
    """The DatasetFiles of a dataset name, ignoring case, '-' and '_' ('FashionMNIST' works)."""
    key = name.lower().replace("_", "").replace("-", "")
    by_key = {k.replace("-", ""): files for k, files in DATASET_FILES.items()}
    if key not in by_key:
        raise ValueError(
            f"dataset_files: unknown dataset {name!r}, expected one of {list(DATASET_FILES)}"
        )
    return by_key[key]


def resolve_files(
    files: DatasetFiles,
    filenames: Sequence[str],
    root: str | Path | None = None,
    download: bool = True,
) -> list[Path]:
    """Paths of ``filenames``, verified, downloading missing ones first when ``download``.

    Raises DatasetError when a file is missing (saying where to put all four files) or
    fails its MD5.
    """
    found = {name: find_file(files, name, root) for name in filenames}
    missing = [name for name, path in found.items() if path is None]
    if missing and not download:
        raise DatasetError(
            f"{files.name}: missing {', '.join(missing)}.\n{_where_to_put(files, root)}"
        )
    paths = [found[name] or _download(files, name, root) for name in filenames]
    for path in paths:
        verify(files, path)
    return paths


def _download(files: DatasetFiles, filename: str, root: str | Path | None) -> Path:
    """Download one missing file into ``download_dir``; on failure, say where to put it."""
    target = download_dir(files, root)
    try:
        return download_file(filename, files.md5[filename], target, files.mirrors)
    except DatasetError as error:
        raise DatasetError(f"{files.name}: {error}\n{_where_to_put(files, root)}") from None


def _where_to_put(files: DatasetFiles, root: str | Path | None) -> str:
    """Instructions naming the full path of each of the four files."""
    target = download_dir(files, root)
    wanted = "".join(f"\n  {target / filename}" for filename in files.filenames)
    return (
        f"Put the four {files.name} files here:{wanted}\n"
        f"or set {DATA_ENV} to a folder whose {files.folder}/ subfolder holds them."
    )
