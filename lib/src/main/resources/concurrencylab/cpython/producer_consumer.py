"""The lab's CPython counterpart of lesson 06: the article's producer and consumers, with its
commands scripted instead of typed, and every wait bounded, so that it always ends.

    python3 producer_consumer.py --commands hello Start --gap-ms 200 --tick-ms 100 --give-up-ms 3000

The producer is the article's: for a command other than "Start" it releases the lock it never
acquired. With --fixed it takes the lock only to set the flag (`with lock:`). Each consumer looks
at the flag under the lock once a tick and gives up after --give-up-ms (the article's never does).
Prints exactly one JSON object: what ended the producer, and each consumer's outcome.

With --owners instead, it releases each of threading's locks from a thread that did not take it
and prints what happened, one JSON object.

    python3 producer_consumer.py --owners
"""
import argparse
import json
import platform
import sys
import threading
import time

from lab_python import watch_parent


def run(commands, gap, tick, give_up, fixed, consumers):
    lock = threading.Lock()
    state = {"started": False}
    producer_end = {"how": "the commands ran out before Start"}
    outcomes = [None] * consumers
    t0 = time.perf_counter()

    def millis():
        return round((time.perf_counter() - t0) * 1000)

    def producer():
        try:
            for command in commands:
                if command == "Start":
                    if fixed:
                        with lock:
                            state["started"] = True
                    else:
                        lock.acquire()
                        state["started"] = True
                        lock.release()
                    producer_end["how"] = "set the flag at %d ms" % millis()
                    return
                if not fixed:
                    lock.release()  # the article's line: this thread never acquired the lock
                time.sleep(gap)
        except Exception as error:  # what ends the thread; threading would print it and go on
            producer_end["how"] = "%s: %s (at %d ms)" % (type(error).__name__, error, millis())

    def consumer(k):
        deadline = time.perf_counter() + give_up
        while True:
            with lock:
                seen = state["started"]
            if seen:
                outcomes[k] = "saw the flag at %d ms" % millis()
                return
            if time.perf_counter() > deadline:
                outcomes[k] = "gave up at %d ms" % millis()
                return
            time.sleep(tick)

    threads = [threading.Thread(target=producer, name="producer")]
    threads += [threading.Thread(target=consumer, args=(k,), name="consumer-%d" % (k + 1)) for k in range(consumers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"producer": producer_end["how"], "consumers": outcomes}


def owners():
    """Releases each lock from a thread that did not acquire it; reports what happened."""

    def release_elsewhere(primitive):
        happened = []

        def release():
            try:
                primitive.release()
                happened.append("released")
            except Exception as error:
                happened.append("%s: %s" % (type(error).__name__, error))

        thread = threading.Thread(target=release)
        thread.start()
        thread.join()
        return happened[0]

    rows = []
    lock = threading.Lock()
    rows.append(["Lock, not held", release_elsewhere(lock)])
    lock.acquire()
    rows.append(["Lock, held by another thread", release_elsewhere(lock)])
    rlock = threading.RLock()
    rlock.acquire()
    rows.append(["RLock, held by another thread", release_elsewhere(rlock)])
    semaphore = threading.Semaphore(1)
    outcome = release_elsewhere(semaphore)
    rows.append(["Semaphore(1), not acquired", outcome + " (value now %d)" % semaphore._value])
    rows.append(["BoundedSemaphore(1), not acquired", release_elsewhere(threading.BoundedSemaphore(1))])
    return {"releases": rows}


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commands", nargs="+")
    parser.add_argument("--gap-ms", type=positive, default=1000)
    parser.add_argument("--tick-ms", type=positive, default=1000)
    parser.add_argument("--give-up-ms", type=positive, default=3000)
    parser.add_argument("--consumers", type=positive, default=2)
    parser.add_argument("--fixed", action="store_true", help="the producer takes the lock only to set the flag")
    parser.add_argument("--owners", action="store_true", help="release each lock from a thread that did not take it")
    args = parser.parse_args()
    watch_parent()
    if args.owners:
        result = owners()
    elif args.commands:
        result = run(args.commands, args.gap_ms / 1000, args.tick_ms / 1000, args.give_up_ms / 1000, args.fixed,
                     args.consumers)
    else:
        parser.error("give --commands ... (or --owners)")
    result["python"] = platform.python_version()
    print(json.dumps(result))
    sys.exit(0)
