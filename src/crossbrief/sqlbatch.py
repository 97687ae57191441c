"""Lists of ids given to SQLite a batch at a time.

SQLite caps the number of parameters one statement binds (999 in older builds), so a
``where id in (?, ?, …)`` over many ids is run once per batch of ``SQL_BATCH``. One helper
for the library, its parse cache, its brief tables and the run's spill file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# Under every SQLite build's limit on bound parameters, with room for a few others.
SQL_BATCH = 500


def batches(items: Sequence[T], size: int = SQL_BATCH) -> Iterator[list[T]]:
    """``items`` in consecutive lists of at most ``size``."""
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def marks(batch: Sequence[object]) -> str:
    """The ``?, ?, …`` of a statement binding ``batch``."""
    return ",".join("?" * len(batch))
