"""A time limit for rendering one text template field: a watcher thread that stops the
rendering thread once its budget has passed (used by :mod:`kitgen.content.texttemplate`)."""

from __future__ import annotations

import ctypes
import os
import threading
import time


class TimeUp(BaseException):
    """Raised in the rendering thread by the watchdog."""


class Watchdog:
    """Raises :class:`TimeUp` in the rendering thread once ``seconds`` have passed.

    ``PyThreadState_SetAsyncExc`` delivers the exception at the next bytecode boundary,
    so a runaway loop in the compiled template stops there. One watcher thread per process
    serves every render (a thread per render cost about 1 ms each, far more on a busy
    machine); the condition's lock makes sure the exception is only ever sent while the
    render is still running.
    """

    _cond = threading.Condition()
    _running: dict[int, "Watchdog"] = {}
    _thread: threading.Thread | None = None

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.thread_id = threading.get_ident()
        self.deadline = 0.0

    def __enter__(self):
        cls = type(self)
        with cls._cond:
            self.deadline = time.monotonic() + self.seconds
            cls._running[id(self)] = self
            if cls._thread is None or not cls._thread.is_alive():
                cls._thread = threading.Thread(target=cls._watch, name="kitgen-template-watchdog", daemon=True)
                cls._thread.start()
            cls._cond.notify()
        return self

    def __exit__(self, *exc) -> None:
        with type(self)._cond:
            type(self)._running.pop(id(self), None)

    @classmethod
    def _watch(cls) -> None:
        with cls._cond:
            while True:
                if not cls._running:
                    cls._cond.wait()
                    continue
                now = time.monotonic()
                for key, dog in list(cls._running.items()):
                    if dog.deadline <= now:
                        del cls._running[key]
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(dog.thread_id), ctypes.py_object(TimeUp))
                if cls._running:
                    cls._cond.wait(min(d.deadline for d in cls._running.values()) - now)

    @classmethod
    def _after_fork(cls) -> None:
        """A build worker is a fork: it starts with no watcher thread and a fresh lock."""
        cls._cond, cls._running, cls._thread = threading.Condition(), {}, None


os.register_at_fork(after_in_child=Watchdog._after_fork)
