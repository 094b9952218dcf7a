"""The lab's CPython counterpart of `java -jar concurrency-lab.jar sleepers --runner event-loop`:
N asyncio tasks that each sleep S ms at the same time, gathered. Prints exactly one JSON object
with the same fields.

    python3 sleepers.py --tasks 100000 --sleep-ms 1000

With --switches N instead, it times N hand-offs between two tasks that each await
asyncio.sleep(0) in turn (the counterpart of the lab's JMH switch benchmark) and prints the
cost of one, in nanoseconds.

    python3 sleepers.py --switches 100000 --repeat 5
"""
import argparse
import asyncio
import json
import statistics
import sys
import time

import lab_python
from lab_python import peak_rss_mb, watch_parent


async def main(tasks, seconds):
    done = 0

    async def sleeper():
        nonlocal done
        await asyncio.sleep(seconds)
        done += 1

    await asyncio.gather(*(sleeper() for _ in range(tasks)))
    return done


async def ping_pong(switches):
    """Two tasks hand the turn to each other `switches` times in all; returns the turns taken."""
    turns = 0

    async def player():
        nonlocal turns
        for _ in range(switches // 2):
            turns += 1
            await asyncio.sleep(0)

    await asyncio.gather(player(), player())
    return turns


def switch_cost(switches, repeat):
    each = []
    for _ in range(repeat):
        start = time.perf_counter()
        turns = asyncio.run(ping_pong(switches))
        each.append((time.perf_counter() - start) * 1e9 / switches)
        if turns != switches // 2 * 2:
            sys.exit(f"sleepers.py: expected {switches // 2 * 2} turns, counted {turns}")
    return {
        "benchmark": "switch",
        "switches": switches // 2 * 2,
        "nanosPerSwitch": round(statistics.median(each), 1),
        "nanosPerSwitchEach": [round(n, 1) for n in each],
        **lab_python.facts(),
    }


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
    parser.add_argument("--tasks", type=at_least_one)
    parser.add_argument("--sleep-ms", type=not_negative)
    parser.add_argument("--switches", type=at_least_one, help="time this many hand-offs between two tasks instead")
    parser.add_argument("--repeat", type=at_least_one, default=1, help="runs in this process; the median is reported")
    args = parser.parse_args()
    watch_parent()
    if args.switches is not None:
        if args.tasks is not None or args.sleep_ms is not None:
            parser.error("--switches times hand-offs on its own: leave out --tasks and --sleep-ms")
        if args.switches < 2:
            parser.error("--switches must be at least 2 (one hand-off each way)")
        print(json.dumps(switch_cost(args.switches, args.repeat)))
        sys.exit(0)
    if args.tasks is None or args.sleep_ms is None:
        parser.error("give --tasks N and --sleep-ms S (or --switches N)")
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
        **lab_python.facts(),
    }))
