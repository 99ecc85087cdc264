"""The IDX parser on small files the tests write: good, bad magic, truncated, wrong length."""

import gzip

import numpy as np
import pytest

from scratchdl.datasets import DatasetError, read_idx
from scratchdl.datasets.idx import parse_idx

IMAGES = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
LABELS = np.array([7, 0, 9], dtype=np.uint8)


@pytest.mark.parametrize("name", ["images.idx3.gz", "images.idx3"])
def test_reads_gzip_and_raw_images(tmp_path, write_idx, name):
    array = read_idx(write_idx(tmp_path / name, IMAGES), ndim=3)
    assert array.dtype == np.uint8
    np.testing.assert_array_equal(array, IMAGES)


def test_reads_labels(tmp_path, write_idx):
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "l.gz", LABELS), ndim=1), LABELS)


def test_bad_magic_number(tmp_path):
    path = tmp_path / "bad.idx"
    path.write_bytes(b"\x00\x00\x0d\x01" + b"\x00\x00\x00\x01" + b"\x00" * 4)  # float32 data
    with pytest.raises(DatasetError, match=r"bad\.idx: bad IDX magic number 0x00000d01"):
        read_idx(path)


def test_unexpected_dimension_count(tmp_path, write_idx):
    path = write_idx(tmp_path / "labels.gz", LABELS)
    expected = r"labels\.gz: IDX magic 0x00000801 says 1 dim.*0x00000803"
    with pytest.raises(DatasetError, match=expected):
        read_idx(path, ndim=3)


@pytest.mark.parametrize(("payload", "size"), [(bytes(25), 25), (bytes(23), 23)])
def test_payload_length_must_match_the_dimensions(tmp_path, write_idx, payload, size):
    path = write_idx(tmp_path / "images.idx", IMAGES)
    path.write_bytes(path.read_bytes()[:16] + payload)
    with pytest.raises(DatasetError, match=rf"payload has {size} bytes.*\(2, 3, 4\) need 24"):
        read_idx(path)


def test_truncated_header():
    with pytest.raises(DatasetError, match=r"x\.idx: truncated IDX header"):
        parse_idx(b"\x00\x00\x08\x03\x00\x00\x00\x02", "x.idx")
    with pytest.raises(DatasetError, match="too short"):
        parse_idx(b"\x00\x00", "x.idx")


def test_truncated_gzip(tmp_path, write_idx):
    path = write_idx(tmp_path / "images.gz", IMAGES)
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(DatasetError, match=r"images\.gz: corrupt or truncated gzip"):
        read_idx(path)


def test_corrupt_gzip(tmp_path):
    path = tmp_path / "images.gz"
    good = gzip.compress(bytes(range(256)) * 8)
    path.write_bytes(good[:20] + bytes(b ^ 0x5A for b in good[20:]))
    with pytest.raises(DatasetError, match="corrupt or truncated gzip"):
        read_idx(path)


def test_not_gzip(tmp_path, write_idx):
    path = tmp_path / "images.gz"
    path.write_bytes(write_idx(tmp_path / "raw.idx", IMAGES).read_bytes())
    with pytest.raises(DatasetError, match=r"images\.gz: not a gzip file"):
        read_idx(path)
