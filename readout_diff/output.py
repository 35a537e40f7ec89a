"""Writing results safely: whole files by rename, never over an input.

``--output`` goes to a temporary file in the target's folder and is renamed into place, so a
reader never sees half a report and an interrupted run leaves the old file untouched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import InputError

__all__ = ["refuse_inputs", "write_atomic"]


def refuse_inputs(output: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Raise InputError when ``output`` is one of ``inputs`` (same file, however it is named:
    a symbolic or hard link, ``./a.txt``), or a folder, which a rename would not replace."""
    out = Path(output)
    if out.is_dir():
        raise InputError(output, "is a folder; the output must be a file path")
    for p in inputs:
        p = Path(p)
        try:
            same = out.exists() and p.exists() and os.path.samefile(out, p)
        except OSError:
            same = False
        if same or out.resolve() == p.resolve():
            raise InputError(output, "is also an input file; refusing to overwrite it")


def write_atomic(path: str | os.PathLike[str], text: str, *,
                 inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and an atomic rename."""
    path = Path(path)
    refuse_inputs(path, inputs)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(path, f"cannot be written ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
