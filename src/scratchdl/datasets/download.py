"""Download a dataset file from a list of mirrors: atomically, MD5-verified, with progress.

Each mirror is tried in turn. A download is held in memory and written (atomically) only
after its MD5 matches, so an interrupted or corrupt transfer never leaves a file that looks
complete. Only ``urllib`` is used.
"""

from __future__ import annotations

import hashlib
import http.client
import sys
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from scratchdl.datasets.errors import DatasetError
from scratchdl.io import atomic_write

TIMEOUT_SECONDS = 10.0
CHUNK_BYTES = 1 << 16


def download_file(
    filename: str,
    md5: str,
    folder: Path,
    mirrors: Sequence[str],
    timeout: float = TIMEOUT_SECONDS,
) -> Path:
    """Download ``filename`` from the first mirror that serves it with the right MD5.

    A failing mirror (HTTP error, refused connection, timeout, bad MD5) is reported on
    stderr and the next one is tried. Returns ``folder / filename``; raises DatasetError
    listing every mirror's failure when none succeeds.
    """
    failures = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + filename
        try:
            return fetch_verified(url, folder / filename, md5, timeout)
        except (OSError, http.client.HTTPException, ValueError) as error:
            failures.append(f"{url}: {error}")
            print(f"scratchdl: download failed, {url}: {error}", file=sys.stderr)
    tried = "".join(f"\n  {failure}" for failure in failures) or " (no mirrors configured)"
    raise DatasetError(f"could not download {filename} from any mirror:{tried}")


def fetch_verified(url: str, destination: Path, md5: str, timeout: float) -> Path:
    """Download ``url`` into memory and, once its MD5 matches, write it atomically to
    ``destination`` (so a failed download creates no file and no folder)."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        content = _read_with_progress(response, _progress_bar(response.length, destination.name))
    digest = hashlib.md5(content, usedforsecurity=False).hexdigest()
    if digest != md5:
        raise DatasetError(f"MD5 {digest} does not match the expected {md5}")
    atomic_write(destination, lambda file: file.write(content))
    return destination


def _read_with_progress(source: BinaryIO, progress: Any) -> bytes:
    """Read ``source`` chunk by chunk (the largest file is 26 MB), advancing ``progress``."""
    chunks = []
    with progress:
        while chunk := source.read(CHUNK_BYTES):
            chunks.append(chunk)
            progress.update(len(chunk))
    return b"".join(chunks)


def _progress_bar(total: int | None, name: str) -> Any:
    """A tqdm byte counter when tqdm is installed and stderr is a terminal; else silent."""
    if not sys.stderr.isatty():
        return _NoProgress()
    try:
        from tqdm import tqdm
    except ImportError:
        return _NoProgress()
    return tqdm(total=total, desc=name, unit="B", unit_scale=True, file=sys.stderr, leave=False)


class _NoProgress:
    """The silent stand-in for a progress bar."""

    def update(self, n: int) -> None:
        """Ignore progress."""

    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None
