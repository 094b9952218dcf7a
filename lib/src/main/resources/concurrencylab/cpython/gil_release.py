"""Which work lets CPython threads run at the same time? N threads hash large buffers with
hashlib (C code that releases the GIL while it hashes more than 2 KiB), then N threads count in
pure Python (which holds it). For each, the process's CPU time over the wall time: about how
many CPUs were busy at once. Prints three lines of text, for a person.

    python3 gil_release.py --threads 4
"""
import argparse
import hashlib
import os
import sys
import threading
import time

import lab_python
from lab_python import watch_parent

BUFFER = os.urandom(16 * 1024 * 1024)


def hashing(rounds):
    for _ in range(rounds):
        hashlib.sha256(BUFFER).digest()


def counting(max_count):
    counter = 0
    for _ in range(max_count):
        counter += 1
    if counter != max_count:
        sys.exit("gil_release.py: the count came out wrong")


def on_threads(threads, target, arg):
    """Runs target(arg) on each of `threads` threads at once; returns (wall ms, CPU ms)."""
    workers = [threading.Thread(target=target, args=(arg,)) for _ in range(threads)]
    cpu0, t0 = time.process_time(), time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return (time.perf_counter() - t0) * 1000, (time.process_time() - cpu0) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--hash-rounds", type=int, default=16, help="16 MiB buffers each thread hashes")
    parser.add_argument("--max-count", type=int, default=5_000_000, help="how far each thread counts")
    args = parser.parse_args()
    if not 1 <= args.threads <= 64 or args.hash_rounds < 1 or args.max_count < 1:
        parser.error("--threads must be 1 to 64, --hash-rounds and --max-count at least 1")
    watch_parent()
    hashing(1)  # warm up: the buffer is paged in, the hash code loaded
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{lab_python.runtime()}, {cpus} CPU{'s' if cpus != 1 else ''}, "
          f"{args.threads} thread{'s' if args.threads != 1 else ''} at once:")
    for label, target, arg in (
            (f"hashing {args.hash_rounds} x 16 MiB each (hashlib: C code)", hashing, args.hash_rounds),
            (f"counting to {args.max_count:,} each (pure Python)", counting, args.max_count)):
        wall, cpu = on_threads(args.threads, target, arg)
        print(f"  {label:<44} wall {wall / 1000:5.2f} s, CPU {cpu / 1000:5.2f} s: {cpu / wall:4.2f} CPUs busy")

if __name__ == "__main__":
    sys.exit(main())
