"""Writing files so that a failure never leaves half of one: every output of the tool
(summaries, annotated copies, templates, registries, sync's local files) is written to a
temporary file beside its target and put in place only when it is complete."""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class TargetLocked(OSError):
    """The output is open in a spreadsheet program (its lock file is there)."""


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces it only if the block succeeds.

    The temporary file is named ``.NAME.PID.XXXX.tmp``: one left by a process that was
    killed (a power cut) is removed by the next write of the same target. A library
    that wraps the ``OSError`` that stopped it (xlsxwriter's ``FileCreateError`` for a
    full disk) has it raised as the ``OSError`` it is."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent
    )
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        try:
            yield tmp_path
        except Exception as exc:
            cause = exc.args[0] if exc.args else None
            if isinstance(cause, OSError) and not isinstance(exc, OSError):
                raise cause from exc
            raise
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes 0600; give the usual mode
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporary files of ``target`` whose writing process is gone."""
    removed = []
    for tmp in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        pid = tmp.name[len(target.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                tmp.unlink()
                removed.append(tmp)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock_file(path: Path) -> Path | None:
    for lock in (path.with_name(f".~lock.{path.name}#"), path.with_name(f"~${path.name}")):
        if lock.exists():
            return lock
    return None


def save_workbook(path: str | Path, build: Callable[[Path], None]) -> Path:
    """Run ``build`` on a temporary file beside ``path`` and put it in place only when it
    succeeds. Raises :class:`TargetLocked` when the file is open in Excel or LibreOffice
    (its lock file is there), ``OSError`` when it cannot be written."""
    target = Path(path)
    lock = _lock_file(target)
    if lock is not None:
        raise TargetLocked(
            f"{target} is open in a spreadsheet program ({lock.name}); close it and run again"
        )
    with atomic_path(target) as tmp:
        build(tmp)
    return target
