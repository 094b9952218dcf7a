"""The lab's CPython counterpart of the Java pool command: a pool of N workers, processes
(multiprocessing.Pool) or threads (multiprocessing.pool.ThreadPool), maps either a CPU-bound
count(max_count) over K tasks or a tiny square(x) over range(K), with map, imap or
imap_unordered. Prints exactly one JSON object: pool start-up time, wall time, time to the
first result, the checked sum of the results, the parent's peak RSS and, for K <= 1000, a
per-task timeline measured inside the workers.

    python3 pool.py --kind processes --workers 4 --mode map --tasks 5 --max-count 10000000
    python3 pool.py --kind threads --workers 2 --mode imap-unordered --chunksize 10 --squares 1000
"""
import argparse
import functools
import itertools
import json
import multiprocessing
import multiprocessing.pool
import os
import queue
import statistics
import sys
import threading
import time

import lab_python
from lab_python import peak_rss_mb, watch_parent

TIMELINE_LIMIT = 1000   # above this many tasks, the bare function is mapped: no timing wrapper
READY_TIMEOUT = 60.0    # seconds to wait for all N workers to run their initializer


def count(max_count):
    """Adds 1, max_count times; returns the counter (CPython does not optimise this away)."""
    counter = 0
    for _ in range(max_count):
        counter += 1
    return counter


def square(x):
    return x * x


def timed(func, in_process, item):
    """Runs func on one (index, value) item and says who ran it and when (time.time() is one
    clock for every process on the machine, unlike perf_counter)."""
    index, value = item
    start = time.time()
    result = func(value)
    end = time.time()
    return index, result, os.getpid() if in_process else threading.get_ident(), start, end


def process_ready(ready):
    """Pool initializer of each worker process: watch the pool's owner, then say "ready"."""
    watch_parent()
    ready.put(os.getpid())


def thread_ready(ready):
    """Pool initializer of each worker thread (the process already watches its parent)."""
    ready.put(threading.get_ident())


def at_least_one(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid integer: {text!r}")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def default_map_chunksize(length, workers):
    """The chunksize Pool.map picks when given none (multiprocessing/pool.py, _map_async)."""
    chunksize, extra = divmod(length, workers * 4)
    if extra:
        chunksize += 1
    return max(chunksize, 1)


def wait_ready(ready, workers, t0):
    """Waits for one "ready" per worker; fails with a message after READY_TIMEOUT seconds."""
    ids = []
    while len(ids) < workers:
        remaining = READY_TIMEOUT - (time.perf_counter() - t0)
        try:
            ids.append(ready.get(timeout=max(remaining, 0.001)))
        except queue.Empty:
            sys.exit(f"pool.py: only {len(ids)} of {workers} pool workers were ready "
                     f"after {READY_TIMEOUT:.0f} s")
    return ids


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kind", choices=["processes", "threads"], required=True)
    parser.add_argument("--workers", type=at_least_one, required=True)
    parser.add_argument("--mode", choices=["map", "imap", "imap-unordered"], required=True)
    parser.add_argument("--chunksize", type=at_least_one,
                        help="default: CPython's own (map: about len/(4*workers); imap modes: 1)")
    workload = parser.add_mutually_exclusive_group(required=True)
    workload.add_argument("--tasks", type=at_least_one, metavar="K", help="K tasks of count(--max-count)")
    workload.add_argument("--squares", type=at_least_one, metavar="K", help="square(x) for x in range(K)")
    parser.add_argument("--max-count", type=at_least_one, metavar="M", help="with --tasks only")
    parser.add_argument("--start-method", choices=["fork", "forkserver", "spawn"],
                        help="how multiprocessing starts each worker process (default: this platform's)")
    parser.add_argument("--repeat", type=at_least_one, default=1, metavar="R",
                        help="make the call R times on the same pool and report the median (default 1)")
    args = parser.parse_args()
    if args.tasks is not None and args.max_count is None:
        parser.error("--tasks needs --max-count")
    if args.squares is not None and args.max_count is not None:
        parser.error("--max-count goes with --tasks, not with --squares")
    watch_parent()

    in_process = args.kind == "processes"
    if args.tasks is not None:
        func, tasks, workload_name = count, args.tasks, "count"
        expected = args.tasks * args.max_count

        def inputs():
            return itertools.repeat(args.max_count, args.tasks)
    else:
        func, tasks, workload_name = square, args.squares, "squares"
        expected = (tasks - 1) * tasks * (2 * tasks - 1) // 6

        def inputs():
            return range(tasks)
    with_timeline = tasks <= TIMELINE_LIMIT
    if with_timeline:
        mapped = functools.partial(timed, func, in_process)

        def items():
            return enumerate(inputs())       # still lazy: the index survives imap_unordered
    else:
        mapped, items = func, inputs

    if args.chunksize is not None:
        chunksize = args.chunksize
    elif args.mode == "map":
        chunksize = default_map_chunksize(tasks, args.workers)
    else:
        chunksize = 1

    if in_process:
        context = multiprocessing.get_context(args.start_method)
        ready = context.Queue()
        make_pool = functools.partial(context.Pool, args.workers, process_ready, (ready,))
    else:
        ready = queue.Queue()
        make_pool = functools.partial(multiprocessing.pool.ThreadPool, args.workers, thread_ready, (ready,))

    start0 = time.perf_counter()
    with make_pool() as pool:
        wait_ready(ready, args.workers, start0)
        start_millis = (time.perf_counter() - start0) * 1000

        # Pool.map turns an input without len() (itertools.repeat, enumerate) into a list itself.
        extra = {} if args.chunksize is None else {"chunksize": args.chunksize}
        method = {"map": pool.map, "imap": pool.imap, "imap-unordered": pool.imap_unordered}[args.mode]
        walls, firsts = [], []
        for _ in range(args.repeat):
            t0 = time.time()
            c0 = time.perf_counter()
            if args.mode == "map":
                results = method(mapped, items(), **extra)
                wall = first = time.perf_counter() - c0
            else:
                iterator = method(mapped, items(), **extra)
                results = [next(iterator)]
                first = time.perf_counter() - c0
                results.extend(iterator)
                wall = time.perf_counter() - c0
            walls.append(wall)
            firsts.append(first)
        pool.close()
        pool.join()
    if in_process:
        ready.close()
        ready.join_thread()

    timeline = []
    if with_timeline:
        numbers = {}
        for _, _, who, start, _ in sorted(results, key=lambda r: (r[3], r[0])):
            numbers.setdefault(who, len(numbers) + 1)
        timeline = [{"task": index, "worker": numbers[who],
                     "startMillis": round((start - t0) * 1000, 2), "endMillis": round((end - t0) * 1000, 2)}
                    for index, _, who, start, end in sorted(results)]
        checksum = sum(r[1] for r in results)
    else:
        checksum = sum(results)
    if len(results) != tasks or checksum != expected:
        sys.exit(f"pool.py: {len(results)} results summing to {checksum}; expected {tasks} summing to {expected}")

    print(json.dumps({
        "kind": args.kind,
        "workers": args.workers,
        "mode": args.mode,
        "chunksize": chunksize,
        "tasks": tasks,
        "workload": workload_name,
        "maxCount": args.max_count,
        "startMillis": round(start_millis, 2),
        "wallMillis": round(statistics.median(walls) * 1000, 2),
        "firstResultMillis": round(statistics.median(firsts) * 1000, 2),
        "wallMillisEach": [round(w * 1000, 2) for w in walls],
        "resultsChecksum": checksum,
        "peakRssMB": round(peak_rss_mb(), 1),
        "timeline": timeline,
        "runtime": lab_python.runtime(lab_python.start_method(args.start_method) if in_process else None),
        **lab_python.facts(args.start_method),
    }))


# The guard the article insists on: under spawn and forkserver each worker imports this file
# again, and without the guard would try to start a pool of its own while still starting up,
# which multiprocessing refuses with a RuntimeError.
if __name__ == "__main__":
    sys.exit(main())
