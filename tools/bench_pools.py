"""Measures the pools' performance figures against CPython's multiprocessing.Pool, in one run on
this machine, and prints them as a Markdown table with the commands that reproduce each.

    python3 tools/bench_pools.py [--java JAVA] [--python PYTHON] [--rounds 3]

Each figure is the median over --rounds runs, Java and CPython interleaved so that both see the
same machine; inside each run, the call is made several times on one pool (--repeat) and the
median taken, so that the figures are throughput once warmed up. It needs the jar built
(./lab build). Standard library only.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAR = ROOT / "lib" / "target" / "concurrency-lab.jar"
POOL_PY = ROOT / "lib" / "src" / "main" / "resources" / "concurrencylab" / "cpython" / "pool.py"

FIGURES = [
    # (name, arguments, the field compared, heap for the Java run or None)
    ("map of x*x over 1,000,000 inputs, 2 workers", ["--workers", "2", "--mode", "map", "--squares", "1000000",
                                                     "--repeat", "7"], "wallMillis", None),
    ("imap, chunksize 1, over 100,000 inputs, 2 workers", ["--workers", "2", "--mode", "imap", "--chunksize", "1",
                                                          "--squares", "100000", "--repeat", "5"], "wallMillis", None),
    ("pool start-up, 2 workers (all ready)", ["--workers", "2", "--mode", "map", "--squares", "10"], "startMillis", None),
    ("pool start-up, 4 workers (all ready)", ["--workers", "4", "--mode", "map", "--squares", "10"], "startMillis", None),
    ("the article's Pool(4).map(count, 5 x 100,000,000)", ["--workers", "4", "--mode", "map", "--tasks", "5",
                                                           "--max-count", "100000000"], "wallMillis", None),
]
MEMORY = [
    # (name, arguments, JVM options): the parent's peak heap, Java only
    ("imap over 10,000,000 inputs, chunksize 1,000, in a 256 MB heap",
     ["--workers", "2", "--mode", "imap", "--chunksize", "1000", "--squares", "10000000"], ["-Xmx256m", "-Xmn16m"]),
    ("map over 1,000,000 inputs", ["--workers", "2", "--mode", "map", "--squares", "1000000"], ["-Xmx4g", "-Xmn16m"]),
    ("map over 10,000,000 inputs", ["--workers", "2", "--mode", "map", "--squares", "10000000"], ["-Xmx4g", "-Xmn16m"]),
]


def run(command):
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        sys.exit(f"bench_pools.py: {' '.join(command)} failed:\n{done.stderr.strip()}")
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--java", default=os.path.join(os.environ.get("JAVA_HOME", ""), "bin", "java")
                        if os.environ.get("JAVA_HOME") else "java")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not JAR.is_file():
        sys.exit(f"bench_pools.py: {JAR} is missing: run ./lab build first")

    print("| figure | Java (median) | CPython (median) | CPython / Java |")
    print("| --- | ---: | ---: | ---: |")
    for name, arguments, field, _ in FIGURES:
        java, python = [], []
        for _ in range(args.rounds):
            java.append(run([args.java, "-jar", str(JAR), "pool", "--kind", "processes"] + arguments + ["--json"])[field])
            python.append(run([args.python, str(POOL_PY), "--kind", "processes"] + arguments)[field])
        j, p = statistics.median(java), statistics.median(python)
        print(f"| {name} ({field}) | {j:,.1f} ms | {p:,.1f} ms | {p / j:.2f} |")
    print()
    print("| memory (Java parent, peak heap) | peak heap | wall |")
    print("| --- | ---: | ---: |")
    for name, arguments, options in MEMORY:
        result = run([args.java] + options + ["-jar", str(JAR), "pool", "--kind", "processes"] + arguments + ["--json"])
        print(f"| {name} (`{' '.join(options)}`) | {result['peakHeapMB']:,.0f} MB | {result['wallMillis']:,.0f} ms |")
    print()
    print(f"Java: `{args.java} -jar {JAR.relative_to(ROOT)} pool --kind processes ARGS --json`; "
          f"CPython: `{args.python} {POOL_PY.relative_to(ROOT)} --kind processes ARGS`; "
          f"{os.cpu_count()} CPUs; {args.rounds} rounds.")


if __name__ == "__main__":
    main()
