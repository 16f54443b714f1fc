"""Who is writing a run: the owner process recorded when a run is opened, and whether it is still alive.

A run killed with SIGKILL cannot mark itself ``interrupted``; its status stays ``running``.
Readers therefore look at the owner a run recorded (host, process id and the process's
start time) and report a ``running`` run whose owner is gone as ``interrupted``. The start
time guards against a reused process id. A run owned by another host cannot be checked and
is shown as stored.
"""

from __future__ import annotations

import os
import socket
from typing import NamedTuple


class Owner(NamedTuple):
    """The process that opened a run."""

    host: str
    pid: int
    started: str


def _start_ticks(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux ``/proc``), or ``""`` where unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            stat = f.read()
    except OSError:
        return ""
    fields = stat[stat.rfind(")") + 2:].split()
    return fields[19] if len(fields) > 19 else ""


def current_owner() -> Owner:
    """This process as a run owner."""
    return Owner(socket.gethostname(), os.getpid(), _start_ticks(os.getpid()))


def is_alive(owner: Owner) -> bool | None:
    """Whether ``owner`` still runs: ``True``/``False`` on this host, ``None`` for another host."""
    if owner.host != socket.gethostname():
        return None
    try:
        os.kill(owner.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, another user's
    if owner.started and _start_ticks(owner.pid) not in ("", owner.started):
        return False  # the id was reused by a later process
    return True
