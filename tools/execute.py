#!/usr/bin/env python3
"""Executes notebooks headlessly through a real Jupyter kernel, the way `./lab test` does.

For each notebook: the values in its metadata `concurrency_lab.test_parameters` are injected
as a new cell, tagged `injected-parameters`, right after the cell tagged `parameters`
(papermill's convention); every cell is run with nbclient; the run fails on the first cell
error or timeout, naming the notebook and the cell; and cells tagged `expect-image` or
`expect-html` must have produced an image/png or text/html output. Executed copies are
written to --output.

    python3 tools/execute.py --kernel java --output build/test/notebooks notebooks/
"""
import argparse
import json
import re
import sys
import time
import traceback
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTATIONS = {"expect-image": "image/png", "expect-html": "text/html"}
DISPLAY_ID = re.compile(r"^\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\s*$")
DECLARATION = r"\b(?:int|long|double|float|boolean|String|var)\s+{name}\s*="


# A healthy kernel answers within a few seconds; one that has not answered in 30 never will.
STARTUP_TIMEOUT = 30


def log_tail(path, lines=15):
    try:
        tail = path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return ""
    return "\n      kernel log (" + str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path) + "):\n        " + "\n        ".join(tail)


class Failure(Exception):
    """A notebook failed; the message names the cell."""


class TrackingClient(NotebookClient):
    """Remembers which cell is running, so that a failure can name it."""

    current = None

    async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
        self.current = cell_index
        return await super().async_execute_cell(cell, cell_index, *args, **kwargs)


def java_literal(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}L" if abs(value) >= 2**31 else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    raise Failure(f"test parameter value {value!r} is not a number, boolean or string")


def inject(nb, params):
    """Adds the injected-parameters cell after the parameters cell; returns its index or None."""
    if not params:
        return None
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    if len(tagged) != 1:
        raise Failure(f"has test parameters but {len(tagged)} cells tagged 'parameters' (needs exactly one)")
    declared = nb.cells[tagged[0]].source
    for name in params:
        if not re.search(DECLARATION.format(name=re.escape(name)), declared):
            raise Failure(f"test parameter {name} is not declared in the 'parameters' cell")
    body = "// Parameters injected by ./lab test: small values, so that the notebook runs quickly.\n"
    body += "\n".join(f"{name} = {java_literal(value)};" for name, value in params.items())
    cell = nbformat.v4.new_code_cell(body, metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(tagged[0] + 1, cell)
    return tagged[0] + 1


RIGHT, NOT_YET = "Right", "Not yet"


def is_solution(path):
    return "solutions" in Path(path).parts


def add_wrong_answers(nb):
    """After the last cell, each wrong answer the lesson names: its exercise cell, then the check again.

    The check must say "Not yet" to every one of them; the kernel keeps the lesson's state, so
    only these two cells run again.
    """
    wrong = nb.metadata.get("concurrency_lab", {}).get("wrong_answers", [])
    if not wrong:
        return
    checks = [c for c in nb.cells if "check" in c.metadata.get("tags", [])]
    if len(checks) != 1:
        raise Failure(f"names wrong answers but has {len(checks)} cells tagged 'check' (needs exactly one)")
    for n, answer in enumerate(wrong, 1):
        why = answer.get("why", "")
        source = answer["source"] if isinstance(answer["source"], str) else "".join(answer["source"])
        nb.cells.append(nbformat.v4.new_code_cell(source, metadata={"tags": ["wrong-answer"], "why": why}))
        nb.cells.append(nbformat.v4.new_code_cell(checks[0].source, metadata={"tags": ["wrong-answer-check"], "why": why,
                                                                              "answer": source}))


def verdict_of(cell):
    text = ""
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        for part in (out.get("text", ""), data.get("text/plain", ""), data.get("text/html", "")):
            text += "".join(part) if isinstance(part, list) else part
    text = re.sub(r"<[^>]+>", "", text).strip().strip('"')
    if text.startswith(RIGHT):
        return RIGHT
    if text.startswith(NOT_YET):
        return NOT_YET
    return text[:120] or "nothing"


def check_verdicts(path, nb, injected):
    """A lesson's check refuses its starting answer and every named wrong one; a solution's accepts."""
    problems = []
    expected = RIGHT if is_solution(path) else NOT_YET
    for i, cell in enumerate(nb.cells):
        tags = cell.metadata.get("tags", []) if cell.cell_type == "code" else []
        if "check" in tags:
            said = verdict_of(cell)
            if said != expected:
                what = "the worked solution" if expected == RIGHT else "the exercise's starting answer, which is wrong"
                problems.append(f"{describe(nb, i, injected)} is the check: given {what}, it should say "
                                f"\"{expected}...\" but said: {said}")
        elif "wrong-answer-check" in tags:
            said = verdict_of(cell)
            if said != NOT_YET:
                answer = " ".join(cell.metadata.get("answer", "").split())
                problems.append(f"the check accepted a wrong answer ({cell.metadata.get('why')}): {answer[:100]} "
                                f"-> {said}")
    return problems


def describe(nb, index, injected):
    """'cell 7 (code cell 4: first line)' in the notebook as stored (injected cell not counted)."""
    if index is None:
        return "before the first cell (the kernel did not start)"
    cell = nb.cells[index]
    if "wrong-answer" in cell.metadata.get("tags", []) or "wrong-answer-check" in cell.metadata.get("tags", []):
        return f"the harness's run of a wrong answer ({cell.metadata.get('why')}), cell {index + 1}"
    if injected is not None and index == injected:
        return f"the injected-parameters cell after cell {index}"
    stored = index + 1 - (1 if injected is not None and index > injected else 0)
    code_no = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code"
                  and "injected-parameters" not in c.metadata.get("tags", []))
    first = next((l.strip() for l in cell.source.splitlines() if l.strip()), "")
    return f"cell {stored} (code cell {code_no}: {first[:70]})"


def error_text(cell):
    """The cell's error: its name and value, then the first lines of its traceback."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            head = ": ".join(p for p in (out.get("ename", ""), out.get("evalue", "")) if p)
            trace = [re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip() for line in out.get("traceback", [])]
            trace = [line for line in trace if line.strip() and line.strip() != head][:8]
            return "\n      ".join([head] + trace if head else trace)
    return ""


def check_outputs(nb, injected):
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        mimes = {m for out in cell.get("outputs", []) for m in out.get("data", {})}
        for tag, mime in EXPECTATIONS.items():
            if tag in cell.metadata.get("tags", []) and mime not in mimes:
                problems.append(f"{describe(nb, i, injected)} is tagged {tag} but produced no {mime} output "
                                f"(it produced: {', '.join(sorted(mimes)) or 'nothing'})")
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            # A returned id shows as text/plain (IJava, JJava) or text/html (rapaio).
            plain = data.get("text/plain", "") or data.get("text/html", "") or out.get("text", "")
            if isinstance(plain, list):
                plain = "".join(plain)
            if plain and DISPLAY_ID.match(plain):
                problems.append(f"{describe(nb, i, injected)} shows a stray display id ({plain.strip()}): "
                                "end the cell with a statement, not a display(...) expression")
    return problems


def run(path, kernel, output, params_key, timeout):
    nb = nbformat.read(path, as_version=4)
    settings = nb.metadata.get("concurrency_lab", {})
    params = settings.get(params_key, {}) if params_key else {}
    injected = inject(nb, params)
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    if params_key == "test_parameters":
        add_wrong_answers(nb)
    started = time.monotonic()
    if code_cells:
        log_dir = ROOT / "build" / "test" / "kernel-logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        log_path = log_dir / (path.stem + ".log")
        for attempt in (1, 2):
            client = TrackingClient(nb, kernel_name=kernel, timeout=settings.get("cell_timeout", timeout),
                                    startup_timeout=STARTUP_TIMEOUT, allow_errors=False, record_timing=True,
                                    resources={"metadata": {"path": str(path.parent)}})
            try:
                with open(log_path, "a" if attempt > 1 else "w") as log:
                    # The kernel's own log goes to a file; its tail is shown when something fails.
                    client.execute(stdout=log, stderr=log)
                break
            except CellTimeoutError:
                raise Failure(f"{describe(nb, client.current, injected)} did not finish within "
                              f"{client.timeout} s (the cell timeout)" + log_tail(log_path)) from None
            except CellExecutionError as e:
                cell_error = error_text(nb.cells[client.current]) if client.current is not None else ""
                detail = cell_error or str(e).strip().splitlines()[-1]
                raise Failure(f"{describe(nb, client.current, injected)} failed:\n      {detail}") from None
            except DeadKernelError as e:
                raise Failure(f"the kernel died during {describe(nb, client.current, injected)}: {e}"
                              + log_tail(log_path)) from None
            except RuntimeError as e:
                # A kernel that never answered its first request ran no cell: start it once more.
                if attempt == 1 and client.current is None:
                    print(f"  .... {path.name}: the kernel did not answer within {STARTUP_TIMEOUT} s; "
                          "starting it once more", flush=True)
                    continue
                raise Failure(f"the '{kernel}' kernel did not start or answer: {e}" + log_tail(log_path)) from None
            finally:
                if output:
                    target = output / path.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    nbformat.write(nb, target)
    problems = check_outputs(nb, injected) + check_verdicts(path, nb, injected)
    if problems:
        raise Failure("\n      ".join(problems))
    return code_cells, time.monotonic() - started


def self_test(kernel, timeout):
    """The harness must catch a deliberate error, a cell that runs too long and a check that accepts
    wrong answers: else it tests nothing."""
    results = []
    cases = [("deliberate-error.ipynb", "cell 3 (code cell 2", "failed", None),
             ("deliberate-timeout.ipynb", "cell 2 (code cell 2", "did not finish within", None),
             # A check that says "Right" to the starting answer and to a named wrong one: both reported.
             ("lenient-check.ipynb", "it should say \"Not yet...\"", "accepted a wrong answer (seven is wrong too)",
              "test_parameters")]
    for name, where, what, params_key in cases:
        try:
            run(FIXTURES / name, kernel, None, params_key, min(timeout, 10))
            results.append((name, "the harness let it pass"))
        except Failure as e:
            message = str(e)
            ok = where in message and what in message
            results.append((name, None if ok else f"reported as: {message}"))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path, help="notebooks, or folders of them")
    parser.add_argument("--kernel", default="java", help="kernel name (default: java)")
    parser.add_argument("--output", type=Path, help="folder for the executed notebooks")
    parser.add_argument("--summary", type=Path, help="file to write 'PASSED FAILED' into")
    parser.add_argument("--only", help="execute only notebooks whose name contains this")
    parser.add_argument("--timeout", type=int, default=180, help="seconds one cell may run (default 180)")
    parser.add_argument("--parameters", choices=["test", "default"], default="test",
                        help="inject the notebooks' test parameters (default) or keep their own")
    parser.add_argument("--self-test", action="store_true",
                        help="also check that the harness catches a deliberate error and a timeout")
    args = parser.parse_args()

    notebooks = []
    for p in args.paths:
        notebooks += sorted(q for q in p.glob("*.ipynb")) if p.is_dir() else [p]
    if args.only:
        notebooks = [n for n in notebooks if args.only in n.name]
    if not notebooks:
        print("  no notebooks to execute")
    params_key = "test_parameters" if args.parameters == "test" else None
    passed = failed = 0
    for path in notebooks:
        try:
            cells, seconds = run(path.resolve(), args.kernel, args.output, params_key, args.timeout)
            what = f"{cells} code cells, {seconds:.1f} s" if cells else "no code cells"
            print(f"  PASS {path.name} ({what})", flush=True)
            passed += 1
        except Failure as e:
            print(f"  FAIL {path.name}: {e}", flush=True)
            failed += 1
        except Exception:
            print(f"  FAIL {path.name}: the harness itself failed:\n{traceback.format_exc()}", flush=True)
            failed += 1
    if args.self_test:
        for name, problem in self_test(args.kernel, args.timeout):
            if problem:
                print(f"  FAIL self-test {name}: {problem}", flush=True)
                failed += 1
            else:
                print(f"  PASS self-test {name} (the harness caught it and named the cell)", flush=True)
                passed += 1
    if args.summary:
        args.summary.parent.mkdir(parents=True, exist_ok=True)
        args.summary.write_text(f"{passed} {failed}\n")
    print(f"  notebooks: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
