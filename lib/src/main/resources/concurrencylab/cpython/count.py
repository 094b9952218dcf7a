"""The lab's CPython counterpart of the Java runners: N workers each count to MAX_COUNT,
one after another, in processes (multiprocessing) or in threads (threading), with the same
shape as the article's programs. Prints exactly one JSON object, in the same fields as
`java -jar concurrency-lab.jar count --json`.

    python3 count.py --strategy threads --workers 4 --max-count 10000000
"""
import argparse
import json
import multiprocessing
import queue
import sys
import threading
import time

import lab_python
from lab_python import watch_parent


def count(max_count):
    """Adds 1, max_count times; returns the counter (CPython does not optimise this away)."""
    counter = 0
    for _ in range(max_count):
        counter += 1
    return counter


def calibrate():
    """Counts for about 0.2 s on this thread and returns the rate: how the lab estimates how long
    a run would take before it starts one."""
    n, elapsed = 100_000, 0.0
    while elapsed < 0.2:
        n *= 2
        start = time.perf_counter()
        if count(n) != n:
            sys.exit("count.py: the calibration count came out wrong")
        elapsed = time.perf_counter() - start
    return {"countsPerSecond": round(n / elapsed), "calibrationMillis": round(elapsed * 1000, 2)}


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
    parser.add_argument("--strategy", choices=["sequential", "processes", "threads"])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-count", type=int, default=10_000_000)
    parser.add_argument("--start-method", choices=["fork", "forkserver", "spawn"],
                        help="how multiprocessing starts each process (default: this platform's)")
    parser.add_argument("--calibrate", action="store_true",
                        help="print how many counts a second one thread makes here, and stop")
    args = parser.parse_args()
    if args.calibrate:
        print(json.dumps(dict(calibrate(), **lab_python.facts(args.start_method))))
        return 0
    if args.strategy is None:
        parser.error("--strategy is required (sequential, processes or threads), unless --calibrate")
    if args.workers < 1 or args.max_count < 1:
        parser.error("--workers and --max-count must be at least 1")
    watch_parent()

    t0 = time.perf_counter()
    in_process = args.strategy == "processes"
    if in_process:
        context = multiprocessing.get_context(args.start_method)
        results = context.Queue()
        workers = [context.Process(target=worker, args=(n, args.max_count, t0, results, True), daemon=True)
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
        "runtime": lab_python.runtime(lab_python.start_method(args.start_method) if in_process else None),
        "strategy": args.strategy,
        "workers": args.workers,
        "maxCount": args.max_count,
        "wallMillis": round(wall, 2),
        "cpuMillis": round(sum(r[4] for r in finished), 2),
        "results": [r[1] for r in finished],
        "timeline": [{"worker": r[0], "startMillis": round(r[2], 2), "endMillis": round(r[3], 2)} for r in finished],
        **lab_python.facts(args.start_method),
    }))


# The guard the article insists on. Under spawn and forkserver (the default on Linux from 3.14,
# on macOS and Windows spawn) each child imports this file again as "__mp_main__"; without the
# guard the child would reach main() and try to start processes while it is still starting,
# which multiprocessing refuses with a RuntimeError. Under fork the child does not re-import.
if __name__ == "__main__":
    sys.exit(main())
