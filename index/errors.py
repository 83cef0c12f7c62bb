"""Errors of the ingestion side, each saying what, where and what to do."""

from __future__ import annotations


class IndexError_(Exception):
    """Base class: the message is one line a person can act on."""


class ReportError(IndexError_):
    """A report file cannot be ingested (missing, empty, binary, not UTF-8, unreadable)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


class IndexMissingError(IndexError_):
    """There is no index yet where the settings point."""


class IndexMismatchError(IndexError_):
    """The index was built with another model, parser or chunker than this one."""


class StoreUnavailableError(IndexError_):
    """The Chroma store (embedded folder or server) cannot be reached or read."""


class IndexWriteError(IndexError_):
    """The index could not be written (disk full, no permission); the old one is kept."""
