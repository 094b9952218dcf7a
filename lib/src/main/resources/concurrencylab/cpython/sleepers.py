"""The lab's CPython counterpart of `java -jar concurrency-lab.jar sleepers --runner event-loop`:
N asyncio tasks that each sleep S ms at the same time, gathered. Prints exactly one JSON object
with the same fields.

    python3 sleepers.py --tasks 100000 --sleep-ms 1000
"""
import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import threading
import time


def watch_parent():
    """Ends this process as soon as the one that started it is gone."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(3)

    threading.Thread(target=watch, daemon=True).start()


def peak_rss_mb():
    """Peak resident set size of this process, in MB (VmHWM on Linux: ru_maxrss survives exec)."""
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


async def main(tasks, seconds):
    done = 0

    async def sleeper():
        nonlocal done
        await asyncio.sleep(seconds)
        done += 1

    await asyncio.gather(*(sleeper() for _ in range(tasks)))
    return done


def at_least_one(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def not_negative(text):
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=at_least_one, required=True)
    parser.add_argument("--sleep-ms", type=not_negative, required=True)
    parser.add_argument("--repeat", type=at_least_one, default=1, help="runs in this process; the median is reported")
    args = parser.parse_args()
    watch_parent()
    walls = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        completed = asyncio.run(main(args.tasks, args.sleep_ms / 1000))
        walls.append(time.perf_counter() - start)
    wall = statistics.median(walls)
    print(json.dumps({
        "runner": "event-loop",
        "tasks": args.tasks,
        "sleepMillis": args.sleep_ms,
        "wallMillis": round(wall * 1000, 2),
        "peakRssMB": round(peak_rss_mb(), 1),
        "completed": completed,
        "wallMillisEach": [round(w * 1000, 2) for w in walls],
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
    }))
