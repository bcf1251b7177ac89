"""Reasons a command cannot run at all (exit 3), as opposed to findings in the data."""

from __future__ import annotations


class BedcapError(Exception):
    """A command cannot run; the message is one Dutch line for the user."""


class NotADataRepositoryError(BedcapError):
    """No `data/bedcap.toml` here or in any parent folder."""


class SettingsError(BedcapError):
    """`data/bedcap.toml` cannot be read, so no rule can be applied."""


class TargetExistsError(BedcapError):
    """The folder to create a repository in is not empty."""


class GitError(BedcapError):
    """git is missing or refused what was asked."""


class UsageError(BedcapError):
    """The question is asked wrongly (exit 2): a target that may not be written, say."""


class WriteError(BedcapError):
    """A file could not be written (disk full, read-only, no permission); nothing was left
    half-written (issue 13)."""
