"""Which work lets CPython threads run at the same time? N threads hash large buffers with
hashlib (C code that releases the GIL while it hashes more than 2 KiB), then N threads count in
pure Python (which holds it). For each, the process's CPU time over the wall time: about how
many CPUs were busy at once. Prints one JSON object.

    python3 gil_release.py --threads 4
"""
import argparse
import hashlib
import json
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
    results = {}
    for name, target, arg in (("hashing", hashing, args.hash_rounds), ("counting", counting, args.max_count)):
        wall, cpu = on_threads(args.threads, target, arg)
        results[name] = {"wallMillis": round(wall, 1), "cpuMillis": round(cpu, 1), "busyCpus": round(cpu / wall, 2)}
    print(json.dumps({"runtime": lab_python.runtime(), "threads": args.threads, "cpus": os.cpu_count(),
                      "hashRounds": args.hash_rounds, "maxCount": args.max_count, **results,
                      **lab_python.facts()}))


if __name__ == "__main__":
    sys.exit(main())
