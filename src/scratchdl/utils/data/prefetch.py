"""Run an iterator in a background thread, a few items ahead of its consumer.

``prefetch(items, depth)`` yields the same items as ``items``. A daemon thread computes them
into a queue holding at most ``depth`` of them, so the next batch is being prepared while the
current one trains. An exception raised in the thread is re-raised in the consumer. When the
consumer stops early (``break``, an exception, or dropping the generator), a stop event ends
the thread instead of leaving it blocked on a full queue.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

_POLL_SECONDS = 0.05  # how often a producer blocked on a full queue checks the stop event
_END = object()


@dataclass
class _Failure:
    """Carries an exception raised in the producer thread to the consumer."""

    error: BaseException


def prefetch(items: Iterator[T], depth: int) -> Iterator[T]:
    """Yield ``items``, computed by a background thread up to ``depth`` (>= 1) items ahead.

    The thread starts at the first ``next()``, so a generator never iterated costs nothing.
    """
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    worker = threading.Thread(
        target=_produce, args=(items, buffer, stop), name="scratchdl-prefetch", daemon=True
    )
    worker.start()
    try:
        while (item := buffer.get()) is not _END:
            if isinstance(item, _Failure):
                raise item.error
            yield item
    finally:
        stop.set()
        worker.join()


def _produce(items: Iterator[Any], buffer: queue.Queue, stop: threading.Event) -> None:
    """Put every item, then the end marker, into ``buffer``; give up once ``stop`` is set."""
    try:
        for item in items:
            if not _put(buffer, item, stop):
                return
    except BaseException as error:  # handed to the consumer, which re-raises it
        _put(buffer, _Failure(error), stop)
        return
    _put(buffer, _END, stop)


def _put(buffer: queue.Queue, item: Any, stop: threading.Event) -> bool:
    """Put ``item`` into ``buffer``, waiting for room; False if ``stop`` was set first."""
    while not stop.is_set():
        try:
            buffer.put(item, timeout=_POLL_SECONDS)
            return True
        except queue.Full:
            continue
    return False
