"""One exception tree for everything readout_diff rejects.

Every error the library raises on purpose is a :class:`ReadoutDiffError`; the subclasses also
inherit the matching builtin (``ValueError``, ``FileNotFoundError``) so callers can catch either.
Messages follow one form: *what* was wrong (naming the file, entry or parameter), what was
expected, and what was found.
"""

from __future__ import annotations

__all__ = [
    "CodebookError",
    "InputError",
    "LimitError",
    "LinkerError",
    "ParameterError",
    "ReadoutDiffError",
]


class ReadoutDiffError(Exception):
    """Base class of every error readout_diff raises on purpose."""


class InputError(ReadoutDiffError, ValueError):
    """A readout could not be read: missing, empty, binary, undecodable or malformed.

    ``path`` names the file (or ``"<text>"`` for a string) so a batch can record which input failed.
    """

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class LimitError(InputError):
    """An input is larger than a documented limit (bytes or sentences)."""


class CodebookError(ReadoutDiffError, ValueError):
    """A codebook file or entry is invalid; the message names the file, the entry and the problem."""


class LinkerError(ReadoutDiffError, ValueError):
    """A linker file is missing, malformed, or was trained on other features than this version's."""


class ParameterError(ReadoutDiffError, ValueError):
    """A public function was called with a value outside its documented range."""

    @classmethod
    def invalid(cls, name: str, func: str, expected: str, got: object) -> "ParameterError":
        """Build the one message form used at every public boundary (as scikit-learn does)."""
        return cls(f"The {name!r} parameter of {func} must be {expected}; got {got!r} instead.")
