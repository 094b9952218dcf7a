"""What CPython's Pool.imap does while its caller is not reading: the lab's counterpart of
concurrencylab.pools.ImapBacklog. A pool of N worker processes squares range(K) with imap;
the caller takes the first result, then waits (reading nothing) until the pool has stopped
taking inputs or --pause seconds have passed, then reads the rest and checks their sum.
Prints one JSON object: how many inputs the pool had taken when the wait ended, the parent's
resident memory before the call and at its peak, and how long the wait was. A run that has not
read every result after --time-limit seconds stops there (the pool is terminated) and says how
many it read; those are checked too.

CPython's imap has no bound on how far it runs ahead: its task-handler thread iterates the
input as fast as the workers take tasks, and the results wait in the parent (up to 3.15 at
least; a buffersize parameter is being added on CPython's main branch, gh-64192).

    python3 imap_backlog.py --workers 2 --inputs 2000000 --chunksize 100 --pause 10 --time-limit 40
"""
import argparse
import json
import multiprocessing
import sys
import threading
import time

import lab_python
from lab_python import peak_rss_mb, watch_parent

STILL_SECONDS = 0.5  # the wait ends once no input has been taken for this long


def square(x):
    return x * x


def rss_mb():
    """Resident set size now, in MB (Linux); the peak elsewhere, as the best there is."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


class Counted:
    """range(k), counting what has been taken from it (by the pool's task-handler thread)."""

    def __init__(self, k):
        self.k = k
        self.taken = 0

    def __iter__(self):
        for x in range(self.k):
            self.taken = x + 1
            yield x


def at_least_one(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=at_least_one, required=True)
    parser.add_argument("--inputs", type=at_least_one, required=True, metavar="K")
    parser.add_argument("--chunksize", type=at_least_one, default=1)
    parser.add_argument("--pause", type=float, default=10.0, metavar="SECONDS",
                        help="the longest the caller waits before reading on (default 10)")
    parser.add_argument("--time-limit", type=float, default=40.0, metavar="SECONDS",
                        help="stop reading after this long from the call, results read so far kept (default 40)")
    parser.add_argument("--start-method", choices=["fork", "forkserver", "spawn"])
    args = parser.parse_args()
    watch_parent()

    context = multiprocessing.get_context(args.start_method)
    inputs = Counted(args.inputs)
    with context.Pool(args.workers) as pool:
        pool.map(square, range(args.workers))          # every worker is up before we measure
        rss_before = rss_mb()
        t0 = time.perf_counter()
        results = pool.imap(square, inputs, args.chunksize)
        total = next(results)
        first_ms = (time.perf_counter() - t0) * 1000
        # The caller reads nothing now; we watch how far the pool runs ahead.
        wait0 = time.perf_counter()
        seen, still_since = inputs.taken, wait0
        while time.perf_counter() - wait0 < args.pause:
            time.sleep(0.05)
            now = time.perf_counter()
            if inputs.taken != seen:
                seen, still_since = inputs.taken, now
            elif now - still_since >= STILL_SECONDS:
                break
        waited_ms = (time.perf_counter() - wait0) * 1000
        taken = inputs.taken
        rss_after_wait = rss_mb()
        read = 1
        for value in results:
            total += value
            read += 1
            if read % 1000 == 0 and time.perf_counter() - t0 > args.time_limit:
                break
        if read == args.inputs:
            pool.close()
            pool.join()
        # else: leaving the with block terminates the pool and the results not read
    # imap keeps input order, so the results read are the squares of 0 .. read - 1.
    expected = (read - 1) * read * (2 * read - 1) // 6
    if total != expected:
        sys.exit(f"imap_backlog.py: the {read} results read sum to {total}, not {expected}")
    print(json.dumps({
        "inputs": args.inputs,
        "resultsRead": read,
        "workers": args.workers,
        "chunksize": args.chunksize,
        "firstResultMillis": round(first_ms, 2),
        "waitedMillis": round(waited_ms, 2),
        "takenWhileWaiting": taken,
        "memoryBeforeMB": round(rss_before, 1),
        "memoryAfterWaitMB": round(rss_after_wait, 1),
        "peakMemoryMB": round(max(peak_rss_mb(), rss_after_wait), 1),
        "memoryKind": "resident set",
        "resultsChecksum": total,
        "runtime": lab_python.runtime(lab_python.start_method(args.start_method)),
        **lab_python.facts(args.start_method),
    }))


if __name__ == "__main__":
    sys.exit(main())
