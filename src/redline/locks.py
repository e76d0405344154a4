"""A readers-writer lock for a store within one process (the server's reads, its SQL sandbox and
writes; the monitor service's reads and the reopening of its store)."""
from __future__ import annotations

import threading
import time
import weakref
from contextlib import contextmanager
from typing import Callable, Iterator

from .store import StoreBusy


class SharedLock:
    """Many holders sharing it, or one alone (a readers-writer lock; one waiting to be alone goes
    before new sharers, so reads cannot keep it out for ever)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._shared = 0
        self._alone = False
        self._waiting_alone = 0
        self._on_alone: list[weakref.WeakMethod] = []

    def on_alone(self, close: Callable[[], None]) -> None:
        """Call ``close`` (a bound method, held weakly) whenever the lock is taken alone: a shared
        connection no request uses is closed before the sandbox or a write opens the file."""
        with self._cond:
            self._on_alone = [m for m in self._on_alone if m() is not None] + [weakref.WeakMethod(close)]

    @contextmanager
    def hold(self, alone: bool, timeout: float) -> Iterator[None]:
        """Hold the lock (``alone`` or shared) for the block; ``StoreBusy`` after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            if alone:
                self._waiting_alone += 1
            try:
                while self._alone or (self._shared if alone else self._waiting_alone):
                    left = deadline - time.monotonic()
                    if left <= 0 or not self._cond.wait(left):
                        if self._alone or (self._shared if alone else self._waiting_alone):
                            raise StoreBusy("the store is busy in this server (a SQL query or a write)")
            finally:
                if alone:
                    self._waiting_alone -= 1
            if alone:
                self._alone = True
            else:
                self._shared += 1
        if alone:
            for method in list(self._on_alone):
                close = method()
                if close is not None:
                    close()
        try:
            yield
        finally:
            with self._cond:
                if alone:
                    self._alone = False
                else:
                    self._shared -= 1
                self._cond.notify_all()
