"""N threads each add 1 to one shared counter M times, in one of three ways, and print one
JSON object: the interpreter (version, GIL state), the way, the expected and the actual total.

  inplace  counter.value += 1             (one statement: a read, an add and a write)
  call     v = counter.value; counter.value = add_one(v)   (a call between the read and the write)
  locked   with lock: counter.value = add_one(counter.value)

Part of Concurrency Lab: the Java lesson 09 runs it with each python3 it finds.
"""
import argparse
import json
import platform
import sys
import sysconfig
import threading
import time


class Counter:
    def __init__(self):
        self.value = 0


def add_one(v):
    return v + 1


def inplace(counter, adds, lock):
    for _ in range(adds):
        counter.value += 1


def call(counter, adds, lock):
    for _ in range(adds):
        v = counter.value
        counter.value = add_one(v)


def locked(counter, adds, lock):
    for _ in range(adds):
        with lock:
            counter.value = add_one(counter.value)


WAYS = {"inplace": inplace, "call": call, "locked": locked}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--adds", type=int, required=True)
    parser.add_argument("--way", choices=sorted(WAYS), required=True)
    args = parser.parse_args()
    if not 1 <= args.threads <= 256 or not 1 <= args.adds <= 100_000_000:
        parser.error("threads must be 1 to 256 and adds 1 to 100,000,000")
    counter, lock = Counter(), threading.Lock()
    start = threading.Barrier(args.threads + 1)

    def work():
        start.wait()
        WAYS[args.way](counter, args.adds, lock)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(args.threads)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - began
    gil = getattr(sys, "_is_gil_enabled", None)
    print(json.dumps({
        "version": platform.python_version(),
        "gil": True if gil is None else bool(gil()),
        "freeThreaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        "switchInterval": sys.getswitchinterval(),
        "way": args.way, "threads": args.threads, "adds": args.adds,
        "expected": args.threads * args.adds, "total": counter.value, "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
