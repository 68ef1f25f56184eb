"""Sizes a process's ``/proc/PID/status`` gives, for the benchmarks that
watch memory (a module of its own: importing it loads nothing else into the
process being measured)."""
from __future__ import annotations


def status_mb(pid: int, *fields: str) -> list[float]:
    """Sizes of ``/proc/PID/status`` in MB, read at once: the peak resident
    set so far (``VmHWM``, the default), the anonymous memory now
    (``RssAnon``); 0 once the process is gone."""
    fields = fields or ("VmHWM",)
    got = dict.fromkeys(fields, 0.0)
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                name, _, value = line.partition(":")
                if name in got:
                    got[name] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return [got[k] for k in fields]
