"""Who owns a store, and the snapshot the owner keeps for the command line.

DuckDB lets one process write a file, and no other process open it meanwhile. A monitor or a
server with ``--feeds`` holds its store for its whole life, so it says so in ``<db>.owner.json``
(its pid, what it is, since when, its URL when serving) and, after a cycle that changed something
(and at least once a minute), writes a consistent copy of the store to ``<db>.snapshot``:
CHECKPOINT (everything in the file, nothing left in the write-ahead log), then the file copied to
a temporary name and renamed over the last snapshot (a reader opening it sees a whole snapshot,
old or new). This is done by the one thread
that writes, between its writes, so nothing changes the file while it is copied; the copy is made
by a child process, since closing the file in this one would release DuckDB's lock on it.

``redline query``, ``trend``, ``report``, ``export`` and ``redlines`` (``cli.base.open_store``)
read the snapshot when the store is owned, and say so.
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

log = logging.getLogger("redline.monitor")

COPY_TIMEOUT = 3600.0  # seconds the snapshot's copy may take


def owner_path(db: str | Path) -> Path:
    return Path(f"{db}.owner.json")


def snapshot_path(db: str | Path) -> Path:
    return Path(f"{db}.snapshot")


@dataclass(frozen=True)
class Owner:
    """The process owning a store, as its owner file says."""

    pid: int
    role: str                       # monitor or serve
    started: str
    url: str | None = None
    snapshot_at: str | None = None  # when the snapshot was written (UTC, ISO 8601); None: none yet

    def alive(self) -> bool:
        """True while the process is running (a stale file of a killed owner is ignored)."""
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1), "utf-8")
    os.replace(tmp, path)


class Ownership:
    """This process's claim on a store: the owner file, and the snapshots it writes."""

    def __init__(self, db: str | Path, role: str, url: str | None = None, snapshots: bool = True) -> None:
        self.db, self.role, self.url, self.snapshots = Path(db), role, url, snapshots
        self.started = datetime.now().astimezone().isoformat(timespec="seconds")
        self.snapshot_at: str | None = None
        self.copy_seconds: float | None = None
        self._write()

    def _write(self) -> None:
        _write_json(owner_path(self.db), {"pid": os.getpid(), "role": self.role, "started": self.started,
                                          "url": self.url, "snapshot_at": self.snapshot_at})

    def snapshot(self, store: Any) -> None:
        """Write the snapshot (see the module docstring); call it only between writes, from the
        thread that writes. A failure (a full disk) is logged: the store itself is unharmed."""
        if not self.snapshots:
            return
        started = time.monotonic()
        target = snapshot_path(self.db)
        tmp = target.with_name(target.name + ".tmp")
        try:
            store.sql("CHECKPOINT").fetchall()
            _copy_elsewhere(self.db, tmp)
            os.replace(tmp, target)
        except Exception as e:
            log.warning("cannot write the snapshot %s: %s", target, e)
            tmp.unlink(missing_ok=True)
            return
        self.copy_seconds = time.monotonic() - started
        self.snapshot_at = datetime.now().astimezone().isoformat(timespec="seconds")
        self._write()
        log.info("snapshot %s written in %.2fs", target, self.copy_seconds)

    def release(self) -> None:
        """Give the store up: the owner file and the snapshot removed (the store is free again)."""
        for path in (owner_path(self.db), snapshot_path(self.db)):
            path.unlink(missing_ok=True)


def _copy_elsewhere(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` in a child process. Not in this one: DuckDB's lock on the
    store is a POSIX record lock, and closing any descriptor of the file in the process holding it
    releases it (another process could then open the store while this one writes)."""
    done = subprocess.run([sys.executable, "-c", "import shutil, sys; shutil.copyfile(sys.argv[1], sys.argv[2])",
                           str(source), str(target)], capture_output=True, timeout=COPY_TIMEOUT)
    if done.returncode != 0:
        raise OSError((done.stderr.decode("utf-8", "replace").strip().splitlines() or ["the copy failed"])[-1])


def read_owner(db: str | Path) -> Owner | None:
    """The live owner of ``db``, or None (no owner file, a stale one, or one that does not read)."""
    try:
        data = json.loads(owner_path(db).read_text("utf-8"))
        owner = Owner(pid=int(data["pid"]), role=str(data["role"]), started=str(data["started"]),
                      url=data.get("url"), snapshot_at=data.get("snapshot_at"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return owner if owner.alive() else None
