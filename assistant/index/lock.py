"""One writer at a time: a file lock (`filelock`) around every change to the index or the corpus.

Without it, three `hcb index build --force` run at once each deleted the others' unfinished
build folders, and the live build lost its passages while `status` still said "fresh".

    with writer_lock(index_dir, "hcb index build --force", timeout=300):
        ...   # build, swap CURRENT, clean up

A second writer waits up to `timeout` seconds (`HCB_LOCK_TIMEOUT`), telling `on_wait` whom it
waits for; then it gives up with a `BusyError` naming the command that holds the lock. The lock
is an OS lock (flock): a killed holder releases it at once. Beside it, a small "holder" file
says who holds it, because the lock file itself is truncated by every process that opens it.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from filelock import FileLock, Timeout

from ..errors import BusyError, HcbError

LOCK_NAME = ".hcb-write.lock"
HOLDER_NAME = ".hcb-write.holder"


def holder(folder: Path) -> str:
    """Who holds the lock on `folder`, as one phrase ("`hcb corpus add` (pid 42, for 3 s)"), or ""."""
    try:
        h = json.loads((Path(folder) / HOLDER_NAME).read_text(encoding="utf-8"))
        return f"`{h['what']}` (pid {h['pid']}, for {max(0, time.time() - float(h['since'])):.0f} s)"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


@contextmanager
def writer_lock(folder: Path, what: str, timeout: float,
                on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the write lock of `folder` (created if missing) while the block runs.

    `what` names the running command for anyone who has to wait. `timeout` 0 means: do not wait.
    """
    folder = Path(folder)
    lock = FileLock(folder / LOCK_NAME, thread_local=False)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=0)
    except Timeout:   # first: filelock's Timeout is an OSError too
        who = holder(folder) or "another hcb command"
        if timeout > 0:
            if on_wait:
                on_wait(f"waiting up to {timeout:.0f} s for {who} to finish changing {folder}")
            try:
                lock.acquire(timeout=timeout)
            except Timeout:
                raise BusyError(f"{folder} is being changed by {holder(folder) or who}; waited {timeout:.0f} s: "
                                "let it finish and try again, or raise HCB_LOCK_TIMEOUT") from None
        else:
            raise BusyError(f"{folder} is being changed by {who}: let it finish and try again "
                            "(HCB_LOCK_TIMEOUT=0 means: do not wait)") from None
    except OSError as e:   # a read-only mount, another user's folder
        raise HcbError(f"cannot lock {folder} for writing ({e.strerror or e}): make it writable by this user, "
                       "or set HCB_INDEX_DIR / HCB_CORPUS_DIR to a folder that is") from None
    try:
        info = {"what": what, "pid": os.getpid(), "since": time.time()}
        (folder / HOLDER_NAME).write_text(json.dumps(info), encoding="utf-8")
        yield
    finally:
        try:
            (folder / HOLDER_NAME).unlink(missing_ok=True)
        finally:
            lock.release()
