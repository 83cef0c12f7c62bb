"""Errors of the answering side: one line each, saying what is wrong and what to do."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class for errors shown to a person as they are."""


class QuestionError(AssistantError):
    """The question cannot be answered as given (empty, too long, unreadable)."""


class FilterError(AssistantError):
    """A filter names a document, operation or theme the index does not have."""
