"""The lab's performance suite: runs the helper jar's commands and their CPython counterparts side
by side in one run on this machine, and the JMH micro-benchmarks, and writes a Markdown report
with each figure, its CPython counterpart, their ratio, the goal it is held to, the machine and
the commands that reproduce it.

    python3 tools/bench.py --java JAVA --python PYTHON [--only startup,pools,cluster,sleepers,switch,counters] [--rounds 3]
                           [--output build/bench/report.md]

./lab bench builds what it needs and runs this. Each figure is the median over --rounds rounds,
Java and CPython interleaved so that both see the same machine. Standard library only.
"""
import argparse
import datetime
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAR = ROOT / "lib" / "target" / "concurrency-lab.jar"
BENCH_JAR = ROOT / "bench" / "target" / "benchmarks.jar"
CPYTHON = ROOT / "lib" / "src" / "main" / "resources" / "concurrencylab" / "cpython"


class Bench:
    def __init__(self, java, python, rounds, build, jupyter_python=None):
        self.java, self.python, self.rounds, self.build = java, python, rounds, build
        self.jupyter_python = jupyter_python
        self.lines = []

    # ---- running
    def run(self, command, timeout=900):
        shown = " ".join(shlex.quote(str(part)) for part in command)
        print(f"  $ {shown}", file=sys.stderr, flush=True)
        done = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            sys.exit(f"bench.py: this command failed (exit {done.returncode}):\n  {shown}\n{done.stderr.strip()[-2000:]}")
        return done.stdout

    def json(self, command):
        return json.loads(self.run(command))

    def lab(self, *arguments, jvm=()):
        return [self.java, *jvm, "-jar", JAR, *arguments]

    def cpython(self, program, *arguments):
        return [self.python, CPYTHON / program, *arguments]

    def rel(self, command):
        """A command as the reader would type it from the project's root."""
        parts = []
        for part in command:
            text = str(part)
            # The exact binaries are in the report's head; a reader types the plain names.
            if text == str(self.java):
                text = "java"
            elif text == str(self.python):
                text = "python3"
            elif text.startswith(str(ROOT) + os.sep):
                text = os.path.relpath(text, ROOT)
            parts.append(shlex.quote(text))
        return " ".join(parts)

    # ---- writing
    def out(self, text=""):
        self.lines.append(text)

    def table(self, header, rows):
        self.out("| " + " | ".join(header) + " |")
        self.out("| " + " | ".join("---" if i == 0 else "---:" for i in range(len(header))) + " |")
        for row in rows:
            self.out("| " + " | ".join(row) + " |")
        self.out()


def ms(value):
    return f"{value:,.0f} ms" if value >= 100 else f"{value:,.1f} ms"


def ratio(python, java):
    return f"{python / java:,.2f}x" if java > 0 else "n/a"


def verdict(ok):
    return "met" if ok else "**missed**"


# ---------------------------------------------------------------- sections

def runners(b):
    """Counting in processes, threads and under a simulated GIL, against CPython (issue 3)."""
    b.out("## Runners: counting with processes and threads")
    b.out()
    b.out(f"Every worker counts to MAX_COUNT by adding 1 (each result checked). Medians of {b.rounds} rounds, "
          "strategies and CPython interleaved; each run a fresh JVM or Python.")
    b.out()
    big = "4000000000"
    commands, walls, starts = [], {}, []
    strategies = ["sequential", "threads", "gil-threads", "processes"]
    for _ in range(b.rounds):
        for strategy in strategies:
            command = b.lab("count", "--strategy", strategy, "--workers", "2", "--max-count", big, "--json")
            run = b.json(command)
            walls.setdefault(strategy, []).append(run["wallMillis"])
            if strategy == "processes":
                starts.extend(run["jvmStartMillis"])
            if len(walls[strategy]) == 1:
                commands.append((f"{strategy}, 2 x count(4e9)", command, None))
    seq = statistics.median(walls["sequential"])
    rows = []
    for strategy in strategies:
        value = statistics.median(walls[strategy])
        goal = ""
        if strategy == "threads":
            goal = f"speed-up >= 1.8x on 2+ CPUs: {verdict(seq / value >= 1.8)}"
        elif strategy == "gil-threads":
            goal = f"<= 1.1x sequential: {verdict(value / seq <= 1.1)}"
        rows.append([strategy, ms(value), f"{seq / value:,.2f}x", goal])
    b.table(["2 workers x count(4,000,000,000), Java", "wall", "speed-up over sequential", "goal"], rows)
    b.out(f"A child JVM, from spawn until it starts counting: median {ms(statistics.median(starts))} "
          f"({len(starts)} children).")
    b.out()

    rows = []
    for name, strategy, workers, max_count, goal in [
            ("1 worker x count(1e8), sequential (fresh JVM: JIT warm-up included)", "sequential", "1", "100000000", 50),
            ("the article's 4 processes x count(1e8)", "processes", "4", "100000000", None),
            ("the article's 4 threads x count(1e8)", "threads", "4", "100000000", None)]:
        java_command = b.lab("count", "--strategy", strategy, "--workers", workers, "--max-count", max_count, "--json")
        python_command = b.cpython("count.py", "--strategy", strategy, "--workers", workers, "--max-count", max_count)
        java, python = [], []
        for _ in range(b.rounds):
            java.append(b.json(java_command)["wallMillis"])
            python.append(b.json(python_command)["wallMillis"])
        j, p = statistics.median(java), statistics.median(python)
        rows.append([name, ms(j), ms(p), ratio(p, j), f">= {goal}x: {verdict(p / j >= goal)}" if goal else ""])
        commands.append((name, java_command, python_command))
    b.table(["the same count", "Java", "CPython", "CPython / Java", "goal"], rows)
    reproduce(b, commands)


def pools(b):
    """Process pools against CPython's multiprocessing.Pool (issue 4)."""
    figures = [
        # (name, arguments, the field compared)
        ("map of x*x over 1,000,000 inputs, 2 workers", ["--workers", "2", "--mode", "map", "--squares", "1000000",
                                                        "--repeat", "7"], "wallMillis"),
        ("imap, chunksize 1, over 100,000 inputs, 2 workers", ["--workers", "2", "--mode", "imap", "--chunksize", "1",
                                                               "--squares", "100000", "--repeat", "5"], "wallMillis"),
        ("pool start-up, 2 workers (all ready)", ["--workers", "2", "--mode", "map", "--squares", "10"], "startMillis"),
        ("pool start-up, 4 workers (all ready)", ["--workers", "4", "--mode", "map", "--squares", "10"], "startMillis"),
        ("the article's Pool(4).map(count, 5 x 100,000,000)", ["--workers", "4", "--mode", "map", "--tasks", "5",
                                                               "--max-count", "100000000"], "wallMillis"),
    ]
    b.out("## Pools: worker JVMs against multiprocessing.Pool")
    b.out()
    b.out(f"Medians of {b.rounds} rounds; within a round, `--repeat` calls on one pool and their median "
          "(throughput once warm; the first call of a fresh JVM is slower).")
    b.out()
    rows, commands = [], []
    for name, arguments, field in figures:
        java_command = b.lab("pool", "--kind", "processes", *arguments, "--json")
        python_command = b.cpython("pool.py", "--kind", "processes", *arguments)
        java, python = [], []
        for _ in range(b.rounds):
            java.append(b.json(java_command)[field])
            python.append(b.json(python_command)[field])
        j, p = statistics.median(java), statistics.median(python)
        rows.append([f"{name} ({field})", ms(j), ms(p), ratio(p, j)])
        commands.append((name, java_command, python_command))
    b.table(["figure", "Java", "CPython", "CPython / Java"], rows)

    memory = [
        ("imap over 10,000,000 inputs, chunksize 1,000, in a 256 MB heap",
         ["--workers", "2", "--mode", "imap", "--chunksize", "1000", "--squares", "10000000"], ["-Xmx256m", "-Xmn16m"]),
        ("map over 1,000,000 inputs", ["--workers", "2", "--mode", "map", "--squares", "1000000"], ["-Xmx4g", "-Xmn16m"]),
        ("map over 10,000,000 inputs", ["--workers", "2", "--mode", "map", "--squares", "10000000"], ["-Xmx4g", "-Xmn16m"]),
    ]
    rows = []
    for name, arguments, options in memory:
        command = b.lab("pool", "--kind", "processes", *arguments, "--json", jvm=options)
        result = b.json(command)
        rows.append([name, f"{result['peakHeapMB']:,.0f} MB", ms(result["wallMillis"])])
        commands.append((name, command, None))
    b.out("Memory of the calling JVM (one run each, a fresh JVM):")
    b.out()
    b.table(["figure", "peak heap", "wall"], rows)
    reproduce(b, commands)


def cluster(b):
    """A Hazelcast cluster on loopback against worker JVMs and threads, with the same calls (issue 15)."""
    squares, per_task = 100_000, 3_000
    figures = {
        # figure: (the arguments after --kind, the number of inputs)
        "start-up, 2 workers": (["--workers", "2", "--mode", "map", "--squares", "10"], 10),
        "start-up, 3 workers": (["--workers", "3", "--mode", "map", "--squares", "10"], 10),
        "map over 100,000": (["--workers", "2", "--mode", "map", "--squares", str(squares), "--repeat", "5"], squares),
        "imap, chunksize 1, over 3,000": (["--workers", "2", "--mode", "imap", "--chunksize", "1", "--squares", str(per_task), "--repeat", "3"],
                 per_task),
    }
    kinds = ["cluster", "processes", "threads"]
    runs = {}  # (figure, kind) -> one JSON object per round
    commands = []
    for _ in range(b.rounds):
        for figure, (arguments, inputs) in figures.items():
            for kind in kinds:
                command = b.lab("pool", "--kind", kind, *arguments, "--json")
                run = b.json(command)
                check_squares(run, inputs, command)
                runs.setdefault((figure, kind), []).append(run)
                if len(runs[(figure, kind)]) == 1:
                    commands.append((f"{figure}, {kind}", command))

    def median(figure, value):
        return {kind: statistics.median(value(run) for run in runs[(figure, kind)]) for kind in kinds}

    first = median("map over 100,000", lambda run: run["wallMillisEach"][0])
    warm = median("map over 100,000", lambda run: statistics.median(run["wallMillisEach"][1:]))
    each = median("imap, chunksize 1, over 3,000", lambda run: statistics.median(run["wallMillisEach"][1:]) * 1000 / per_task)
    rows = [
        ["time to a ready pool of 2 (startMillis)", median("start-up, 2 workers", lambda run: run["startMillis"]), ms],
        ["time to a ready pool of 3 (startMillis)", median("start-up, 3 workers", lambda run: run["startMillis"]), ms],
        [f"map of x*x over {squares:,} inputs, 2 workers: first call of a fresh JVM", first, ms],
        [f"the same, warm (median of calls 2 to 5)", warm, ms],
        ["the same, warm: inputs per second", {kind: squares / warm[kind] * 1000 for kind in kinds}, per_second],
        [f"imap, chunksize 1, over {per_task:,} inputs, 2 workers: per task, warm (calls 2 and 3)", each, micros],
        ["the same: first result of a call (one task there and back; median of the 3 calls)",
         median("imap, chunksize 1, over 3,000", lambda run: run["firstResultMillis"]), ms],
    ]
    b.out("## A cluster: Hazelcast members against worker JVMs and threads")
    b.out()
    b.out("The same `pool` command with `--kind cluster` (that many Hazelcast 5.7.0 members, each a child JVM on "
          "loopback; the calling JVM is their client), `processes` (worker JVMs) and `threads`. Every call's results "
          f"are summed and checked. Medians of {b.rounds} rounds, the three kinds interleaved; each run a fresh JVM. "
          f"map uses CPython's default chunksize (12,500 inputs a task here, so 8 tasks); imap with chunksize 1 "
          "sends each input as its own task, at most 64 in flight per member, so its per-task figure is the "
          "cost of a task at full pipe, and the first result is one task's round trip.")
    b.out()
    table = []
    for name, values, show in rows:
        per_second_row = show is per_second
        slower = values["processes"] / values["cluster"] if per_second_row else values["cluster"] / values["processes"]
        table.append([name, *(show(values[kind]) for kind in kinds), f"{slower:,.1f}x"])
    b.table(["figure", "cluster", "processes", "threads", "cluster / processes (time)"], table)
    b.out("<details><summary>Commands (from the project's root; <code>java</code> as above)</summary>")
    b.out()
    for name, command in commands:
        b.out(f"- {name}: `{b.rel(command)}`")
    b.out()
    b.out("</details>")
    b.out()


STARTS = ["fork", "forkserver", "spawn"]
NO_ARCHIVE = "-Dconcurrencylab.startupArchives=/nonexistent/startup-archives"
# `java -jar ... machine --json` took 16.2 times `java -version` before issue 16 (2026-12-04, JDK 25 on the
# project's 2-CPU machine, 0.34 s against 0.021 s): the goal is half of that, as a ratio measured in one run.
CLI_BEFORE = 16.2


def startup(b):
    """Worker JVMs, pools and the command line from a cold start, against CPython's start methods (issue 16)."""
    squares = 1_000_000
    rows = {}  # figure -> list of values, one per round

    def add(figure, value):
        rows.setdefault(figure, []).append(value)

    def wall(command):
        t0 = time.perf_counter()
        b.run(command)
        return (time.perf_counter() - t0) * 1000

    commands = []

    def once(name, java=None, python=None):
        if name not in {c[0] for c in commands}:
            commands.append((name, java, python))

    machine_py = [b.python, "-c", "import json, os, platform; print(json.dumps({'cpus': os.cpu_count(), "
                  "'python': platform.python_version(), 'os': platform.platform()}))"]
    for _ in range(b.rounds):
        add("java -version", wall([b.java, "-version"]))
        add("python3 -c pass", wall([b.python, "-c", "pass"]))
        cli = b.lab("machine", "--json")
        add("cli", wall(cli))
        add("cli python", wall(machine_py))
        once("the command line: machine --json (whole process)", cli, machine_py)

        for archive, jvm in (("with", ()), ("without", (NO_ARCHIVE,))):
            command = b.lab("count", "--strategy", "processes", "--workers", "1", "--max-count", "1", "--json", jvm=jvm)
            run = b.json(command)
            if run["results"] != [1]:
                sys.exit(f"bench.py: a child JVM counted {run['results']} instead of [1]:\n  {b.rel(command)}")
            add(f"child {archive}", run["jvmStartMillis"][0])
            once(f"a child JVM, {archive} the archive", command)
        for method in STARTS:
            command = b.cpython("count.py", "--strategy", "processes", "--workers", "1", "--max-count", "1",
                                "--start-method", method)
            run = b.json(command)
            add(f"child {method}", run["timeline"][0]["startMillis"])
            once(f"a child process, {method}", None, command)

        for workers in (2, 4):
            arguments = ["--workers", str(workers), "--mode", "map", "--squares", "10"]
            for archive, jvm in (("with", ()), ("without", (NO_ARCHIVE,))):
                command = b.lab("pool", "--kind", "processes", *arguments, "--json", jvm=jvm)
                run = b.json(command)
                check_squares(run, 10, command)
                add(f"pool {workers} {archive}", run["startMillis"])
                once(f"pool start-up, {workers} workers, {archive} the archive", command)
            for method in STARTS:
                command = b.cpython("pool.py", "--kind", "processes", *arguments, "--start-method", method)
                add(f"pool {workers} {method}", b.json(command)["startMillis"])
                once(f"pool start-up, {workers} workers, {method}", None, command)

        arguments = ["--workers", "2", "--mode", "map", "--squares", str(squares), "--repeat", "7"]
        for archive, jvm in (("with", ()), ("without", (NO_ARCHIVE,))):
            command = b.lab("pool", "--kind", "processes", *arguments, "--json", jvm=jvm)
            run = b.json(command)
            check_squares(run, squares, command)
            add(f"first {archive}", run["wallMillisEach"][0])
            add(f"warm {archive}", statistics.median(run["wallMillisEach"][1:]))
            once(f"map over {squares:,}, 2 workers, 7 calls, {archive} the archive", command)
        for method in ("fork", "forkserver"):
            command = b.cpython("pool.py", "--kind", "processes", *arguments, "--start-method", method)
            run = b.json(command)
            add(f"first {method}", run["wallMillisEach"][0])
            add(f"warm {method}", statistics.median(run["wallMillisEach"][1:]))
            once(f"map over {squares:,}, 2 workers, 7 calls, {method}", None, command)

    m = {figure: statistics.median(values) for figure, values in rows.items()}
    b.out("## Start-up: child JVMs, pools and the command line")
    b.out()
    b.out(f"Each run a fresh JVM or Python; medians of {b.rounds} rounds, Java and CPython interleaved. "
          "\"With the archive\" is what the lab does after `./lab build`: the class-data archive of the workers "
          "(an AOT cache on JDK 25, AppCDS on JDK 21) and the lab's classes in a jar of their own; \"without\" is "
          f"the same command with `{NO_ARCHIVE}`. CPython's three start methods: fork (Linux before 3.14), "
          "forkserver (Linux from 3.14) and spawn (macOS and Windows).")
    b.out()
    b.table(["a child, from spawn until it runs the task", "Java, with the archive", "Java, without",
             "CPython fork", "CPython forkserver", "CPython spawn", "goal"],
            [["1 worker of `count --strategy processes`", ms(m["child with"]), ms(m["child without"]),
              *(ms(m[f"child {method}"]) for method in STARTS),
              f"Java <= 60 ms: {verdict(m['child with'] <= 60)}"]])
    table = []
    for workers in (2, 4):
        table.append([f"{workers} workers", ms(m[f"pool {workers} with"]), ms(m[f"pool {workers} without"]),
                      *(ms(m[f"pool {workers} {method}"]) for method in STARTS),
                      f"Java <= forkserver: {verdict(m[f'pool {workers} with'] <= m[f'pool {workers} forkserver'])}"])
    b.table(["pool start-up, until every worker has answered (startMillis)", "Java, with the archive", "Java, without",
             "CPython fork", "CPython forkserver", "CPython spawn", "goal"], table)
    fastest = min(m["first fork"], m["first forkserver"])
    b.table([f"map of x*x over {squares:,} inputs, 2 workers", "Java, with the archive", "Java, without",
             "CPython fork", "CPython forkserver", "goal"],
            [["first call of a fresh JVM or Python", ms(m["first with"]), ms(m["first without"]),
              ms(m["first fork"]), ms(m["first forkserver"]),
              f"Java <= CPython's faster: {verdict(m['first with'] <= fastest)}"],
             ["warm (median of calls 2 to 7)", ms(m["warm with"]), ms(m["warm without"]),
              ms(m["warm fork"]), ms(m["warm forkserver"]),
              f"CPython / Java >= 3x: {verdict(min(m['warm fork'], m['warm forkserver']) / m['warm with'] >= 3)} "
              f"({min(m['warm fork'], m['warm forkserver']) / m['warm with']:,.1f}x)"]])
    ratio_now = m["cli"] / m["java -version"]
    b.table(["whole process", "Java", "CPython", "goal"],
            [["`java -version` / `python3 -c pass`", ms(m["java -version"]), ms(m["python3 -c pass"]), ""],
             ["the command line, `machine --json` / its CPython counterpart", ms(m["cli"]), ms(m["cli python"]),
              f"<= {CLI_BEFORE / 2:,.1f}x `java -version` (half of the {CLI_BEFORE}x before): "
              f"{verdict(ratio_now <= CLI_BEFORE / 2)} ({ratio_now:,.1f}x)"]])
    reproduce(b, commands)


def check_squares(run, inputs, command):
    expected = (inputs - 1) * inputs * (2 * inputs - 1) // 6
    if run["resultsChecksum"] != expected or run["tasks"] != inputs:
        sys.exit(f"bench.py: the squares of {inputs:,} inputs summed to {run['resultsChecksum']}, not {expected}: "
                 f"{command}")


def micros(value):
    return f"{value:,.0f} µs" if value >= 100 else f"{value:,.1f} µs"


def per_second(value):
    return f"{value / 1e6:,.2f} M/s" if value >= 1e6 else f"{value / 1e3:,.0f} k/s"


def sleepers(b):
    """Many concurrent sleepers: event loop, virtual threads, asyncio (issue 5)."""
    tasks, sleep_ms = "100000", "1000"
    b.out("## Many sleepers: the event loop and virtual threads against asyncio")
    b.out()
    b.out(f"100,000 tasks that each sleep 1 s at the same time, all awaited. Medians of {b.rounds} rounds, "
          "Java and CPython interleaved; within a round, the median of repeated runs in one process.")
    b.out()
    loop_command = b.lab("sleepers", "--runner", "event-loop", "--tasks", tasks, "--sleep-ms", sleep_ms, "--repeat", "5",
                         "--json")
    virtual_command = b.lab("sleepers", "--runner", "virtual-threads", "--tasks", tasks, "--sleep-ms", sleep_ms,
                            "--repeat", "7", "--json")
    python_command = b.cpython("sleepers.py", "--tasks", tasks, "--sleep-ms", sleep_ms, "--repeat", "5")
    loop, virtual, virtual_cold, python = [], [], [], []
    for _ in range(b.rounds):
        run = b.json(loop_command)
        check_completed(run, loop_command)
        loop.append(run["wallMillis"])
        run = b.json(virtual_command)
        check_completed(run, virtual_command)
        virtual.append(run["wallMillis"])
        virtual_cold.append(run["wallMillisEach"][0])
        run = b.json(python_command)
        check_completed(run, python_command)
        python.append(run["wallMillis"])
    p = statistics.median(python)
    rows = []
    for name, values, goal in [
            ("event loop (5 runs per JVM)", loop, 1300),
            ("virtual threads, warm (7 runs per JVM)", virtual, 1300),
            ("virtual threads, cold (the first run of a fresh JVM)", virtual_cold, None)]:
        value = statistics.median(values)
        rows.append([name, ms(value), ms(p), ratio(p, value),
                     f"<= {goal:,} ms: {verdict(value <= goal)}" if goal else "(for reference)"])
    b.table(["100,000 x sleep(1 s)", "Java", "CPython asyncio", "CPython / Java", "goal"], rows)

    rows, commands = [], [("event loop", loop_command, python_command), ("virtual threads", virtual_command, None)]
    for runner in ["virtual-threads", "event-loop"]:
        command = b.lab("sleepers", "--runner", runner, "--tasks", "1000000", "--sleep-ms", sleep_ms, "--json",
                        jvm=["-Xmx2g"])
        run = b.json(command)
        check_completed(run, command)
        goal = f"completes in a 2 GB heap: {verdict(run['completed'] == 1_000_000)}" if runner == "virtual-threads" else ""
        rows.append([runner.replace("-", " "), ms(run["wallMillis"]), f"{run['peakHeapMB']:,.0f} MB", goal])
        commands.append((f"a million, {runner.replace('-', ' ')}", command, None))
    b.out("A million sleepers in one fresh JVM with `-Xmx2g` (one run each):")
    b.out()
    b.table(["1,000,000 x sleep(1 s)", "wall", "peak heap", "goal"], rows)
    reproduce(b, commands)


def check_completed(run, command):
    if run["completed"] != run["tasks"]:
        sys.exit(f"bench.py: only {run['completed']:,} of {run['tasks']:,} sleepers completed: {command}")


def switch(b):
    """One switch between coroutines: JMH against asyncio's await asyncio.sleep(0) (issue 5)."""
    if not BENCH_JAR.is_file():
        sys.exit(f"bench.py: {BENCH_JAR} is missing: run ./lab bench, which builds it")
    results = b.build / "jmh-switch.json"
    jmh_command = [b.java, "-jar", BENCH_JAR, "SwitchBenchmark", "-rf", "json", "-rff", results]
    b.run(jmh_command, timeout=1800)
    scores = {}
    for entry in json.loads(results.read_text()):
        scores[entry["benchmark"].rsplit(".", 1)[1]] = (entry["primaryMetric"]["score"], entry["primaryMetric"]["scoreError"])
    python_command = b.cpython("sleepers.py", "--switches", "100000", "--repeat", "5")
    python = statistics.median(b.json(python_command)["nanosPerSwitch"] for _ in range(b.rounds))
    b.out("## One switch between two waiting tasks")
    b.out()
    b.out("Two tasks hand the turn to each other 100,000 times; the figure is the cost of one hand-off. "
          "Java: JMH (5 warm-up and 5 measured iterations of 1 s, one fork; the error is JMH's 99.9% interval). "
          f"CPython: two asyncio tasks awaiting `asyncio.sleep(0)` in turn, median of {b.rounds} runs of 5.")
    b.out()
    rows = []
    for key, name, compare in [
            ("eventLoop", "event loop, `Async.sleep(Duration.ZERO)` (continuations, as in the lab's JVMs)", True),
            ("eventLoopWithoutContinuations", "event loop, fallback without the export (a virtual thread per task)", True),
            ("virtualThreads", "two virtual threads, park/unpark", False),
            ("platformThreads", "two platform threads, park/unpark", False)]:
        if key not in scores:
            continue
        score, error = scores[key]
        rows.append([name, f"{score:,.0f} ± {error:,.0f} ns", f"{python:,.0f} ns" if compare else "",
                     ratio(python, score) if compare else ""])
    b.table(["one switch", "Java (JMH)", "CPython asyncio", "CPython / Java"], rows)
    reproduce(b, [("JMH", jmh_command[:4], None), ("asyncio", None, python_command)])


def counters(b):
    """One shared counter: increments per second for each exact kind (JMH), and the lost-update demo (issue 14)."""
    if not BENCH_JAR.is_file():
        sys.exit(f"bench.py: {BENCH_JAR} is missing: run ./lab bench, which builds it")
    results = b.build / "jmh-counters.json"
    extra = shlex.split(b.counters_jmh) if b.counters_jmh else []
    jmh_command = [b.java, "-jar", BENCH_JAR, "CounterBenchmark", *extra, "-rf", "json", "-rff", results]
    b.run(jmh_command, timeout=3600)
    kinds = [("synchronizedCounter", "synchronized"), ("reentrantLock", "ReentrantLock"), ("atomicLong", "AtomicLong"),
             ("longAdder", "LongAdder"), ("perThreadSums", "per-thread sums")]
    scores, settings = {}, ""
    for entry in json.loads(results.read_text()):
        key = entry["benchmark"].rsplit(".", 1)[1]
        scores[(key, entry["params"]["threads"])] = (entry["primaryMetric"]["score"], entry["primaryMetric"]["scoreError"])
        settings = (f"{entry['warmupIterations']} warm-up and {entry['measurementIterations']} measured iterations of "
                    f"{entry['measurementTime']}, {entry['forks']} fork(s)")
    cpus = os.cpu_count() or 1
    columns = ["1", "2", "2xCPUs"]
    b.out("## One shared counter: increments per second")
    b.out()
    b.out("Lesson 09's contention experiment in JMH (`CounterBenchmark`): each invocation makes 4,194,304 increments "
          "in all, shared among worker threads started once per trial, and checks that the total is exact. "
          f"Millions of increments per second, all threads together; 2xCPUs is {2 * cpus} threads here. "
          f"JMH: {settings}; the error is JMH's 99.9% interval (n/a with a single iteration).")
    b.out()
    rows = []
    for key, name in kinds:
        row = [name]
        for threads in columns:
            if (key, threads) in scores:
                score, error = scores[(key, threads)]
                shown = f"{score / 1e6:,.1f}"
                if isinstance(error, (int, float)) and error == error:   # JMH writes "NaN" for one iteration
                    shown += f" ± {error / 1e6:,.1f}"
                row.append(shown)
            else:
                row.append("")
        rows.append(row)
    b.table(["counter", "1 thread", "2 threads", f"2 x CPUs ({2 * cpus} threads)"], rows)

    b.out("The lost-update demo: `lost-updates` runs N threads that each add 1 to one `volatile long` with `value++` "
          f"M times, started together, after one warm-up run; {b.rounds} runs per row in one JVM, each total checked "
          "against N x M.")
    b.out()
    rows, commands = [], []
    for threads in sorted({2, 2 * cpus}):
        command = b.lab("lost-updates", "--threads", str(threads), "--increments", "10000000",
                        "--repeat", str(b.rounds), "--json")
        measured = b.json(command)
        lost = [run["lost"] for run in measured["runs"]]
        fractions = [run["lostFraction"] for run in measured["runs"]]
        rows.append([f"{threads} threads x {measured['incrementsPerThread']:,}", f"{threads * measured['incrementsPerThread']:,}",
                     f"{statistics.median(lost):,.0f}", f"{min(lost):,} to {max(lost):,}",
                     f"{100 * statistics.median(fractions):,.1f}%"])
        commands.append((f"lost updates, {threads} threads", command, None))
    b.table(["racy counter (volatile value++)", "expected", "lost, median", "lost, range", "lost, share of expected"], rows)
    reproduce(b, [("JMH", jmh_command[:4] + extra, None)] + commands)


def lessons(b):
    """Every lesson at its default parameters on one CPU, as on Binder: time and peak memory (issue 11)."""
    if not b.jupyter_python:
        sys.exit("bench.py: the lessons section needs --jupyter-python, the Python of the lab's Jupyter (./lab bench passes it)")
    report = b.build / "lessons.json"
    command = [b.jupyter_python, ROOT / "tools" / "execute.py", "--kernel", "java", "--binder", "--report", report,
               "--output", b.build / "lessons", ROOT / "notebooks"]
    b.run(command, timeout=3600)
    measured = json.loads(report.read_text())
    limit = measured["memory_limit_mib"]
    b.out("## Each lesson on one CPU, as on Binder")
    b.out()
    b.out("Every lesson executed with its default parameters through the lab's kernel, the kernel and everything "
          "it starts pinned to one CPU (the JVMs see one processor, as on Binder), their resident memory summed "
          "and sampled every 100 ms. One run each, first calls in a fresh kernel. PRODUCT.md's bar: about a minute, "
          f"and under {limit:,} MiB (Binder's limit is 2 GB); `./lab test` fails a lesson over the memory limit.")
    b.out()
    rows = []
    for lesson in measured["lessons"]:
        rows.append([lesson["notebook"], f"{lesson['seconds']:,.0f} s", verdict(lesson["seconds"] <= 60),
                     f"{lesson['peak_mib']:,} MiB ({lesson['processes']} processes)", verdict(lesson["peak_mib"] <= limit)])
    total = sum(lesson["seconds"] for lesson in measured["lessons"])
    rows.append(["all lessons", f"{total:,.0f} s", "", "", ""])
    b.table(["lesson", "time, one CPU", "about a minute (<= 60 s)", "peak memory, kernel and children",
             f"under {limit:,} MiB"], rows)
    reproduce(b, [("lessons (the lab's Jupyter and kernel, set up by ./lab)", ["./lab", "bench", "--only", "lessons"], None)])


def reproduce(b, commands):
    b.out("<details><summary>Commands (from the project's root; <code>java</code> and <code>python3</code> as above)</summary>")
    b.out()
    for name, java, python in commands:
        if java:
            b.out(f"- {name}, Java: `{b.rel(java)}`")
        if python:
            b.out(f"- {name}, CPython: `{b.rel(python)}`")
    b.out()
    b.out("</details>")
    b.out()


SECTIONS = {"startup": startup, "runners": runners, "pools": pools, "cluster": cluster, "sleepers": sleepers, "switch": switch, "counters": counters,
            "lessons": lessons}


# ---------------------------------------------------------------- the machine

def machine(b):
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as info:
            kb = int(info.readline().split()[1])
            memory = f", {kb / 1024 / 1024:,.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    java = subprocess.run([b.java, "-version"], capture_output=True, text=True).stderr.splitlines()
    python = subprocess.run([b.python, "-c", "import platform,sys; print(platform.python_implementation(), "
                             "platform.python_version(), sys.executable)"], capture_output=True, text=True).stdout.strip()
    return [
        f"- Machine: {cpu}, {os.cpu_count()} CPUs{memory}; {platform.system()} {platform.release()}",
        f"- Java: {java[1] if len(java) > 1 else java[0] if java else '?'} (`{b.java}`)",
        f"- CPython: {python}",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--java", default=os.path.join(os.environ["JAVA_HOME"], "bin", "java")
                        if os.environ.get("JAVA_HOME") else "java")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--jupyter-python", help="the Python of the lab's Jupyter, for the lessons section")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per figure; the median is reported (default 3)")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections: " + ", ".join(SECTIONS))
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "bench" / "report.md")
    parser.add_argument("--counters-jmh", default="", metavar="ARGS",
                        help="JMH options for the counters section instead of the benchmark's own settings, "
                             "e.g. \"-wi 1 -i 2 -r 500ms\" for a quick look")
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown or not chosen:
        parser.error(f"--only takes {', '.join(SECTIONS)} (got {args.only!r})")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if not JAR.is_file():
        sys.exit(f"bench.py: {JAR} is missing: run ./lab build first")
    args.output.parent.mkdir(parents=True, exist_ok=True)

    # The interpreter itself, not a launcher in front of it (pyenv's shim adds tens of ms to every start).
    python = subprocess.run([args.python, "-c", "import sys; print(sys.executable)"], capture_output=True,
                            text=True).stdout.strip() or args.python
    b = Bench(args.java, python, args.rounds, args.output.parent, args.jupyter_python)
    b.counters_jmh = args.counters_jmh
    started = time.monotonic()
    for name in chosen:
        print(f"bench: {name}", file=sys.stderr, flush=True)
        SECTIONS[name](b)
    minutes = (time.monotonic() - started) / 60
    head = [
        "# Concurrency Lab: benchmark report",
        "",
        f"Measured {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} by `./lab bench"
        + (f" --only {','.join(chosen)}" if chosen != list(SECTIONS) else "") + f"` in {minutes:,.1f} minutes.",
        "",
        *machine(b),
        "",
        "Ratios above 1 mean Java took less time. This machine's other work adds noise: compare figures "
        "measured in one run, and rerun before trusting a small difference.",
        "",
    ]
    args.output.write_text("\n".join(head + b.lines), encoding="utf-8")
    print(f"bench: wrote {os.path.relpath(args.output, Path.cwd())}", file=sys.stderr)


if __name__ == "__main__":
    main()
