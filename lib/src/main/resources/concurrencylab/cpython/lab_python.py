"""What the lab's CPython programs share: which interpreter this is (version, GIL or not,
start method), a watch on the parent, and peak memory. Standard library only; works on
CPython 3.8 to 3.14, with or without the GIL."""
import multiprocessing
import os
import platform
import sys
import sysconfig
import threading
import time


def gil_enabled():
    """True unless this is a free-threaded build running without the GIL.

    sys._is_gil_enabled() exists from 3.13; before that every CPython has the GIL. A
    free-threaded build may still run with it (PYTHON_GIL=1, or an extension that needs it)."""
    probe = getattr(sys, "_is_gil_enabled", None)
    return True if probe is None else bool(probe())


def free_threaded_build():
    """True for a build configured with --disable-gil (python3.13t, python3.14t)."""
    return bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def start_method(requested=None):
    """The start method multiprocessing will use: the one asked for, else this platform's
    default (fork on Linux up to 3.13, forkserver from 3.14, spawn on macOS and Windows)."""
    return requested or multiprocessing.get_start_method(allow_none=False)


def facts(requested_start_method=None):
    """The fields every program adds to its JSON, so that a row says what ran it."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "gil": gil_enabled(),
        "freeThreadedBuild": free_threaded_build(),
        "startMethod": start_method(requested_start_method),
    }


def runtime(with_start_method=None):
    """'CPython 3.11.7, GIL' or 'CPython 3.14.0, no GIL', and ', forkserver' when processes ran."""
    text = f"{platform.python_implementation()} {platform.python_version()}, {'GIL' if gil_enabled() else 'no GIL'}"
    return text + (f", {with_start_method}" if with_start_method else "")


def watch_parent():
    """Ends this process as soon as the one that started it is gone: no orphan keeps counting."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(3)

    threading.Thread(target=watch, daemon=True).start()


def peak_rss_mb():
    """Peak resident set size of this process, in MB.

    On Linux, VmHWM from /proc: ru_maxrss would be wrong here, since it survives exec and so
    reports the peak of whatever process started us (a JVM, say). Elsewhere ru_maxrss (KiB on
    Linux, bytes on macOS)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource  # Unix only
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
