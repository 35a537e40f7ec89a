"""Writing results safely: whole files by rename, never over an input.

``--output`` goes to a temporary file in the target's folder and is renamed into place, so a
reader never sees half a report and an interrupted run leaves the old file untouched.
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from .errors import InputError

__all__ = ["atomic_writer", "refuse_inputs", "write_atomic"]


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
    refuse_inputs(path, inputs)
    with atomic_writer(path) as fh:
        fh.write(text.encode("utf-8"))


@contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` (by rename) when the block ends without an error;
    on an error the temporary file is removed and ``path`` is left as it was."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(path, f"cannot be written ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fchmod(fh.fileno(), _mode_for(path))  # mkstemp's 0600 would surprise readers
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _mode_for(path: Path) -> int:
    """The permissions ``path`` has, or those a new file gets (0666 less the umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
