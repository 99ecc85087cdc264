"""Download a dataset file from a list of mirrors: atomically, MD5-verified, with progress.

Each mirror is tried in turn. A download goes to a temporary file beside its destination
and is renamed into place only after its MD5 matches, so an interrupted or corrupt transfer
never leaves a file that looks complete. Only ``urllib`` is used.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import sys
import tempfile
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from scratchdl.datasets.errors import DatasetError

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
    folder.mkdir(parents=True, exist_ok=True)
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
    """Download ``url`` to ``destination`` via a temporary file, renamed once its MD5 matches."""
    handle, temporary = tempfile.mkstemp(
        dir=destination.parent, prefix=f".{destination.name}.", suffix=".part"
    )
    try:
        with (
            os.fdopen(handle, "wb") as out,
            urllib.request.urlopen(url, timeout=timeout) as response,
        ):
            digest = _copy_with_md5(response, out, _progress_bar(response.length, destination.name))
        if digest != md5:
            raise DatasetError(f"MD5 {digest} does not match the expected {md5}")
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return destination


def _copy_with_md5(source: BinaryIO, out: BinaryIO, progress: Any) -> str:
    """Copy ``source`` into ``out`` chunk by chunk; return the MD5 hex digest of the bytes."""
    digest = hashlib.md5(usedforsecurity=False)
    with progress:
        while chunk := source.read(CHUNK_BYTES):
            out.write(chunk)
            digest.update(chunk)
            progress.update(len(chunk))
    return digest.hexdigest()


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
