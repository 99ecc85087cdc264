"""Fixtures for dataset tests: IDX writers, a fake MNIST, local HTTP mirrors, no real network.

Every test here runs with the user cache in a temporary folder and with the real mirror
lists emptied, so nothing ever reaches a host other than 127.0.0.1.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from scratchdl.datasets import files as dataset_files


@pytest.fixture(autouse=True)
def _offline_and_private_cache(monkeypatch, tmp_path):
    """No real mirrors, and a per-test cache folder instead of the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    for key, spec in dataset_files.DATASET_FILES.items():
        monkeypatch.setitem(dataset_files.DATASET_FILES, key, dataclasses.replace(spec, mirrors=()))


@pytest.fixture
def no_data_env(monkeypatch):
    """Run without $SCRATCHDL_DATA, so only root and the (temporary) cache are searched."""
    monkeypatch.delenv("SCRATCHDL_DATA", raising=False)


def idx_bytes(array: np.ndarray) -> bytes:
    """``array`` (uint8) encoded as IDX: magic 0x0000080N, N big-endian dims, payload."""
    header = bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, dtype=">u4").tobytes()
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


@pytest.fixture
def write_idx():
    """Write an array as an IDX file (gzip when the name ends in .gz); returns the path."""

    def write(path: Path, array: np.ndarray) -> Path:
        data = idx_bytes(array)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
        return path

    return write


@pytest.fixture
def fake_mnist(tmp_path, write_idx, monkeypatch):
    """Four small MNIST-format files (6 train, 3 test samples) in ``served/``, and the MNIST
    DatasetFiles with their MD5s and no mirrors (also set as ``DATASET_FILES["mnist"]``).
    Returns (folder, DatasetFiles, {train: (images, labels)})."""
    rng = np.random.default_rng(0)
    folder = tmp_path / "served"
    splits = {}
    for train, n in ((True, 6), (False, 3)):
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        labels = np.arange(n, dtype=np.uint8) % 10
        images_file, labels_file = dataset_files.MNIST_FILES.split(train)
        write_idx(folder / images_file, images)
        write_idx(folder / labels_file, labels)
        splits[train] = (images, labels)
    md5 = {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    spec = dataclasses.replace(dataset_files.MNIST_FILES, md5=md5, mirrors=())
    monkeypatch.setitem(dataset_files.DATASET_FILES, "mnist", spec)
    return folder, spec, splits


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Unavailable(_QuietFiles):
    def do_GET(self):
        self.send_error(503, "Service Unavailable")


class _Corrupting(_QuietFiles):
    """Serves the right length of wrong bytes."""

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        body = bytes(b ^ 0xFF for b in path.read_bytes()[:64]) + path.read_bytes()[64:]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


HANDLERS = {"files": _QuietFiles, "503": _Unavailable, "corrupt": _Corrupting}


@pytest.fixture
def mirror():
    """Start a loopback HTTP mirror: mirror(kind, folder) -> base URL ending in '/'.

    kinds: 'files' serves ``folder``; '503' answers 503; 'corrupt' serves damaged files;
    'refused' is a closed port; 'silent' accepts connections but never answers.
    """
    servers, sockets = [], []

    def start(kind: str, folder: Path | None = None) -> str:
        if kind in ("refused", "silent"):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            if kind == "silent":
                sock.listen(1)
                sockets.append(sock)
            else:
                sock.close()
            return f"http://127.0.0.1:{port}/"
        handler = functools.partial(HANDLERS[kind], directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        serve = functools.partial(server.serve_forever, poll_interval=0.01)
        threading.Thread(target=serve, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
    for sock in sockets:
        sock.close()
