"""The lab's CPython counterpart of the Java runners: N workers each count to MAX_COUNT,
one after another, in processes (multiprocessing) or in threads (threading), with the same
shape as the article's programs. Prints exactly one JSON object, in the same fields as
`java -jar concurrency-lab.jar count --json`.

    python3 count.py --strategy threads --workers 4 --max-count 10000000
"""
import argparse
import json
import multiprocessing
import os
import platform
import queue
import sys
import threading
import time


def count(max_count):
    """Adds 1, max_count times; returns the counter (CPython does not optimise this away)."""
    counter = 0
    for _ in range(max_count):
        counter += 1
    return counter


def watch_parent():
    """Ends this process as soon as the one that started it is gone: no orphan keeps counting."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(3)

    threading.Thread(target=watch, daemon=True).start()


def worker(number, max_count, t0, results, in_process):
    if in_process:
        watch_parent()
    clock = time.process_time if in_process else time.thread_time
    cpu0 = clock()
    start = time.perf_counter()
    result = count(max_count)
    end = time.perf_counter()
    results.put((number, result, (start - t0) * 1000, (end - t0) * 1000, (clock() - cpu0) * 1000))


def collect(results, workers, expected):
    """Gathers one result per worker; fails, rather than waits forever, if a worker died."""
    finished = []
    while len(finished) < expected:
        try:
            finished.append(results.get(timeout=0.5))
        except queue.Empty:
            failed = [w for w in workers if getattr(w, "exitcode", None) not in (None, 0)]
            alive = [w for w in workers if w.is_alive()]
            if failed or not alive:
                codes = ", ".join(str(w.exitcode) for w in failed) or "none"
                sys.exit(f"count.py: {expected - len(finished)} worker(s) ended without a result (exit codes: {codes})")
    return sorted(finished)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strategy", choices=["sequential", "processes", "threads"], required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-count", type=int, default=10_000_000)
    args = parser.parse_args()
    if args.workers < 1 or args.max_count < 1:
        parser.error("--workers and --max-count must be at least 1")
    watch_parent()

    t0 = time.perf_counter()
    in_process = args.strategy == "processes"
    if in_process:
        results = multiprocessing.Queue()
        workers = [multiprocessing.Process(target=worker, args=(n, args.max_count, t0, results, True), daemon=True)
                   for n in range(1, args.workers + 1)]
    else:
        results = queue.Queue()
        workers = [threading.Thread(target=worker, args=(n, args.max_count, t0, results, False), daemon=True)
                   for n in range(1, args.workers + 1)]
    if args.strategy == "sequential":
        for n in range(1, args.workers + 1):
            worker(n, args.max_count, t0, results, False)
        finished = sorted(results.get() for _ in range(args.workers))
    else:
        for w in workers:
            w.start()
        finished = collect(results, workers, args.workers)
        for w in workers:
            w.join()
    wall = (time.perf_counter() - t0) * 1000

    print(json.dumps({
        "runtime": f"CPython {platform.python_version()}",
        "strategy": args.strategy,
        "workers": args.workers,
        "maxCount": args.max_count,
        "wallMillis": round(wall, 2),
        "cpuMillis": round(sum(r[4] for r in finished), 2),
        "results": [r[1] for r in finished],
        "timeline": [{"worker": r[0], "startMillis": round(r[2], 2), "endMillis": round(r[3], 2)} for r in finished],
    }))


# The guard the article insists on: a child process started by multiprocessing may import
# this file again, and must not start workers of its own.
if __name__ == "__main__":
    sys.exit(main())
