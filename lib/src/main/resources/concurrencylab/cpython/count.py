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
import sys
import threading
import time


def count(max_count):
    """Adds 1, max_count times; returns the counter (CPython does not optimise this away)."""
    counter = 0
    for _ in range(max_count):
        counter += 1
    return counter


def worker(number, max_count, t0, results):
    start = time.perf_counter()
    result = count(max_count)
    end = time.perf_counter()
    results.put((number, result, (start - t0) * 1000, (end - t0) * 1000))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strategy", choices=["sequential", "processes", "threads"], required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-count", type=int, default=10_000_000)
    args = parser.parse_args()
    if args.workers < 1 or args.max_count < 1:
        parser.error("--workers and --max-count must be at least 1")

    cpu0 = os.times()
    t0 = time.perf_counter()
    if args.strategy == "processes":
        results = multiprocessing.Queue()
        workers = [multiprocessing.Process(target=worker, args=(n, args.max_count, t0, results))
                   for n in range(1, args.workers + 1)]
    elif args.strategy == "threads":
        import queue
        results = queue.Queue()
        workers = [threading.Thread(target=worker, args=(n, args.max_count, t0, results))
                   for n in range(1, args.workers + 1)]
    else:
        import queue
        results = queue.Queue()
        workers = []
        for n in range(1, args.workers + 1):
            worker(n, args.max_count, t0, results)
    for w in workers:
        w.start()
    finished = sorted(results.get() for _ in range(args.workers))
    for w in workers:
        w.join()
    wall = (time.perf_counter() - t0) * 1000
    cpu1 = os.times()
    cpu = sum(b - a for a, b in zip(cpu0[:4], cpu1[:4])) * 1000

    print(json.dumps({
        "runtime": f"CPython {platform.python_version()}",
        "strategy": args.strategy,
        "workers": args.workers,
        "maxCount": args.max_count,
        "wallMillis": round(wall, 2),
        "cpuMillis": round(cpu, 2),
        "results": [r[1] for r in finished],
        "timeline": [{"worker": r[0], "startMillis": round(r[2], 2), "endMillis": round(r[3], 2)} for r in finished],
    }))


# The guard the article insists on: a child process started by multiprocessing may import
# this file again, and must not start workers of its own.
if __name__ == "__main__":
    sys.exit(main())
