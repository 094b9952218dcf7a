#!/usr/bin/env python3
"""Runs a lesson in a real web browser, as a learner would: starts `./lab` on a free loopback
port (as tools/server_check.py does), opens the lesson's page in headless Chromium, injects the
lesson's test parameters after its `parameters` cell (in the page only: the file on disk is
never written), runs all cells with the front end's own Run All, waits until every code cell
has run, and checks that a chart appeared and that no cell shows an error. Saves a screenshot.

It drives each front end installed for the lab's Jupyter, one server after the other:
JupyterLab (what Binder opens; Debian 13 packages it) in a fresh workspace, through its own
notebook:run-all-cells command, and the classic Notebook 6 page (Debian 12 and 13), by
clicking Cell > Run All. For JupyterLab the server exposes its app to the page
(LabApp.expose_app_in_browser, from a config folder of this check's own in build/browser).

    /usr/bin/python3 tools/browser_check.py [--notebook notebooks/01-overview.ipynb] [--self-test]
                                            [--ui lab|notebook|all]

Run it with the Python that runs the lab's Jupyter (it imports tools/server_check.py, which
needs tornado). It needs Chromium (Debian's `chromium`, installed with apt-get when it is
missing and this runs as root or with password-less sudo; LAB_CHROMIUM=/path overrides),
Node.js 20+ with npm, and playwright-core at the version tools/browser/package.json pins,
which it installs into build/browser with `npm ci` (never Playwright's own browsers).

--self-test also runs two broken variants of the lesson (a cell that throws, and a run without
a chart), edited in the page, and checks that both are reported as failures, on each front end.

Prints `PASS browser: ...`, `FAIL browser: ...` or `SKIP browser: ...` lines (progress goes
to stderr) and exits 0 (pass), 1 (fail) or 3 (skipped: Chromium or Node.js is missing and
cannot be installed here).
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NOTEBOOKS = ROOT / "notebooks"
SOURCES = HERE / "browser"                      # package.json, package-lock.json, run-lesson.mjs
INSTALL = ROOT / "build" / "browser"            # where npm ci installs playwright-core
LOGS = ROOT / "build" / "logs"
OUTPUT = ROOT / "build" / "test" / "browser"    # screenshots and the server's log
RUNTIME = ROOT / "build" / "jupyter" / "runtime"  # JUPYTER_RUNTIME_DIR of the server ./lab starts
RUN_LIMIT = 300                                 # seconds the lesson may take in the page
MARKER = "LAB_BROWSER_CHECK"                    # in the environment of every process this check starts
PASS, FAIL, SKIP = 0, 1, 3

sys.path.insert(0, str(HERE))  # tools/server_check.py and tools/execute.py


class Failed(Exception):
    pass


class Skipped(Exception):
    pass


class Interrupted(BaseException):
    pass


def progress(message):
    print(f"  .... browser: {message}", file=sys.stderr, flush=True)


def rel(path):
    path = Path(path)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def log_tail(path, lines=8):
    try:
        tail = Path(path).read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return ""
    return "\n      " + "\n      ".join(tail) if tail else ""


# ---------------------------------------------------------------- installing what it needs

def privilege():
    """The prefix that runs apt-get as root ([] when we are root), or None when we cannot."""
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], stdin=subprocess.DEVNULL,
                                               capture_output=True).returncode == 0:
        return ["sudo", "-n"]
    return None


def apt_install(packages, log_path):
    """apt-get install, with apt-get update only when the install fails without it. True if it worked."""
    prefix = privilege()
    if prefix is None or not shutil.which("apt-get"):
        return False
    log_path.parent.mkdir(parents=True, exist_ok=True)
    install = prefix + ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y",
                        "--no-install-recommends", *packages]
    with open(log_path, "w") as log:
        for step in ([install], [prefix + ["apt-get", "update"], install]):
            ok = True
            for command in step:
                log.write(f"$ {' '.join(command)}\n")
                log.flush()
                try:
                    done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                          timeout=1200)
                except subprocess.TimeoutExpired:
                    log.write("(gave up after 1200 s)\n")
                    return False
                if done.returncode != 0:
                    ok = False
                    break
            if ok:
                return True
    return False


def find_chromium():
    wanted = os.environ.get("LAB_CHROMIUM")
    if wanted:
        if not os.access(wanted, os.X_OK):
            raise Skipped(f"LAB_CHROMIUM={wanted} is not an executable file")
        return wanted
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def ensure_chromium():
    found = find_chromium()
    if found:
        return found
    how = "install it (Debian/Ubuntu: sudo apt-get install chromium) or set LAB_CHROMIUM to a Chromium or Chrome"
    if not shutil.which("apt-get"):
        raise Skipped(f"Chromium is not installed and there is no apt-get to install it: {how}")
    if privilege() is None:
        raise Skipped(f"Chromium is not installed and installing it needs root or password-less sudo: {how}")
    log = LOGS / "chromium-apt.log"
    progress(f"installing Debian's chromium with apt-get (log: {rel(log)})")
    if not apt_install(["chromium"], log) or not find_chromium():
        raise Skipped(f"apt-get could not install chromium (log: {rel(log)}):{log_tail(log, 4)}\n    {how}")
    return find_chromium()


def browser_env():
    """Chromium keeps its crash reports and caches under XDG_CONFIG_HOME and XDG_CACHE_HOME
    (~/.config/chromium otherwise): here, under build/browser."""
    return dict(os.environ, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD="1",
                XDG_CONFIG_HOME=str(INSTALL / "home" / "config"), XDG_CACHE_HOME=str(INSTALL / "home" / "cache"))


def version_of(program):
    try:
        out = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30,
                             stdin=subprocess.DEVNULL, env=browser_env()).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None, ""
    match = re.search(r"(\d+)\.\d+", out)
    return (int(match.group(1)) if match else None), out


def ensure_node():
    """node and npm of a version the pinned playwright-core supports (its package.json 'engines')."""
    engines = json.loads((SOURCES / "package.json").read_text()).get("engines", {}).get("node", ">=20")
    minimum = int(re.search(r"\d+", engines).group(0))
    node, npm = shutil.which("node"), shutil.which("npm")
    major, text = version_of(node) if node else (None, "")
    if node and npm and major and major >= minimum:
        return node, npm
    found = f"Node.js {text}" if node else "no Node.js"
    if not npm and node:
        found += " without npm"
    # Debian's own nodejs is installed only where it is new enough (bookworm's is 18).
    policy = subprocess.run(["apt-cache", "policy", "nodejs"], capture_output=True, text=True).stdout \
        if shutil.which("apt-cache") else ""
    candidate = re.search(r"Candidate:\s*(\d+)\.", policy)
    if candidate and int(candidate.group(1)) >= minimum and privilege() is not None:
        log = LOGS / "node-apt.log"
        progress(f"installing nodejs and npm with apt-get (log: {rel(log)})")
        packages = ["nodejs"] + ([] if "nodesource" in policy else ["npm"])
        if apt_install(packages, log):
            return ensure_node_found(minimum, log)
    raise Skipped(f"the browser check needs Node.js {minimum}+ with npm, and found {found}: install it "
                  f"(https://nodejs.org, or NodeSource's packages on Debian/Ubuntu), then run this again")


def ensure_node_found(minimum, log):
    node, npm = shutil.which("node"), shutil.which("npm")
    major, _ = version_of(node) if node else (None, "")
    if node and npm and major and major >= minimum:
        return node, npm
    raise Skipped(f"apt-get installed nodejs, but no Node.js {minimum}+ with npm is on the PATH (log: {rel(log)})")


def ensure_playwright(npm):
    """npm ci into build/browser, from the committed lock; skipped when the install matches it."""
    package, lock = SOURCES / "package.json", SOURCES / "package-lock.json"
    pinned = json.loads(package.read_text())["dependencies"]["playwright-core"]
    digest = hashlib.sha256(package.read_bytes() + b"\0" + lock.read_bytes()).hexdigest()
    stamp = INSTALL / "installed.sha256"
    installed = INSTALL / "node_modules" / "playwright-core" / "package.json"
    try:
        if stamp.read_text().strip() == digest and json.loads(installed.read_text())["version"] == pinned:
            return pinned
    except (OSError, ValueError, KeyError):
        pass
    INSTALL.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    shutil.copyfile(package, INSTALL / "package.json")
    shutil.copyfile(lock, INSTALL / "package-lock.json")
    log = LOGS / "browser-npm.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    progress(f"installing playwright-core {pinned} into {rel(INSTALL)} with npm ci (log: {rel(log)})")
    env = dict(os.environ, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD="1")
    with open(log, "w") as out:
        try:
            done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=INSTALL, env=env,
                                  stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, timeout=600)
            status = done.returncode
        except subprocess.TimeoutExpired:
            status = "timeout"
    if status != 0:
        text = log.read_text(errors="replace")
        if "EUSAGE" in text or "in sync" in text:
            raise Failed(f"tools/browser/package.json and package-lock.json disagree: npm ci refused them "
                         f"(log: {rel(log)}); run `npm install --package-lock-only` in tools/browser")
        raise Skipped(f"npm ci could not install playwright-core {pinned} (log: {rel(log)}):{log_tail(log, 4)}")
    try:
        if json.loads(installed.read_text())["version"] != pinned:
            raise Failed(f"npm ci installed playwright-core {json.loads(installed.read_text())['version']}, "
                         f"not the pinned {pinned}")
    except (OSError, ValueError, KeyError):
        raise Failed(f"npm ci finished but {rel(installed)} is missing (log: {rel(log)})") from None
    stamp.write_text(digest + "\n")
    return pinned


# ---------------------------------------------------------------- the notebook

def parameters_source(notebook):
    """The cell ./lab test injects after the `parameters` cell (tools/execute.py), or None."""
    from execute import java_literal  # the same literals as the headless run
    nb = json.loads(notebook.read_text())
    params = nb.get("metadata", {}).get("concurrency_lab", {}).get("test_parameters", {})
    if not params:
        return None, nb
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise Failed(f"{notebook.name} has test parameters but {len(tagged)} cells tagged 'parameters' "
                     "(needs exactly one)")
    body = "// Parameters injected by the browser check: small values, so that the notebook runs quickly.\n"
    return body + "\n".join(f"{k} = {java_literal(v)};" for k, v in params.items()), nb


# Where JupyterLab reads the one setting this check needs: its app, visible to the page.
LAB_CONFIG = INSTALL / "jupyter-config"


def lab_config():
    LAB_CONFIG.mkdir(parents=True, exist_ok=True)
    (LAB_CONFIG / "jupyter_lab_config.json").write_text(json.dumps({"LabApp": {"expose_app_in_browser": True}}) + "\n")
    return str(LAB_CONFIG)


def front_end(url):
    """Which front end ./lab started, from the URL it printed."""
    path = url.split("?")[0]
    if "/lab/" in path:
        return "lab"
    if "/notebooks/" in path:
        return "classic"
    if "/tree/" in path:
        return "Notebook 7"
    return "unknown"


# ---------------------------------------------------------------- processes

def marked_pids(marker):
    """Processes this run started (./lab, Jupyter, kernels, node, Chromium): all inherit the marker."""
    wanted = f"{MARKER}={marker}".encode()
    pids = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return pids
    for entry in entries:
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if wanted in f.read().split(b"\0"):
                    pids.append(int(entry))
        except OSError:
            continue
    return sorted(pids)


def describe_pid(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            args = f.read().split(b"\0")
        return f"{pid} ({os.path.basename(args[0].decode(errors='replace'))})"
    except (OSError, IndexError):
        return str(pid)


def stop_group(proc, grace=30):
    """SIGTERM to a process group we started, SIGKILL if it has not ended within grace seconds."""
    if proc is None or proc.poll() is not None:
        return True
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    try:
        proc.wait(timeout=grace)
        return True
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)
        return False


def sweep(marker, wait=10):
    """Waits for the processes this run started to end; kills (by pid) any that do not. Returns them."""
    deadline = time.monotonic() + wait
    left = marked_pids(marker)
    while left and time.monotonic() < deadline:
        time.sleep(0.25)
        left = marked_pids(marker)
    if not left:
        return []
    names = [describe_pid(p) for p in left]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in left:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        time.sleep(2)
        left = marked_pids(marker)
        if not left:
            break
    return names


# ---------------------------------------------------------------- the check

FRONT_ENDS = {"lab": "JupyterLab", "classic": "the classic Notebook page", "Notebook 7": "Notebook 7"}


class Run:
    def __init__(self, notebook, self_test, ui):
        self.ui = ui  # as ./lab --ui names it: lab or notebook
        self.kind = None  # the front end ./lab started: lab, classic or Notebook 7
        self.notebook = notebook
        self.lesson = notebook.stem
        self.self_test = self_test
        self.marker = uuid.uuid4().hex
        self.server = None
        self.node = None
        self.port = self.token = None
        self.dropped = 0  # kernel_info_requests the kernel dropped while starting, seen in the server's log
        # Notebook 6 creates an (empty) .ipynb_checkpoints beside a notebook when its page lists checkpoints.
        self.checkpoints = notebook.parent / ".ipynb_checkpoints"
        self.had_checkpoints = self.checkpoints.exists()

    def server_log(self):
        try:
            return (OUTPUT / f"server-{self.ui}.log").read_text(errors="replace")
        except OSError:
            return ""

    def delete_sessions(self):
        """Shuts down the kernels the page started, so that each run gets a fresh one."""
        import server_check
        try:
            for session in server_check.api(self.port, self.token, "GET", "/api/sessions") or []:
                server_check.api(self.port, self.token, "DELETE", f"/api/sessions/{session['id']}")
        except (OSError, urllib.error.URLError, ValueError):
            pass

    def warm_kernel(self):
        """Starts the lesson's kernel through the server, as the page would (a session on the notebook,
        which the page then joins), and asks it directly until it answers. rapaio 3.0.1 sometimes drops
        a kernel_info_request that reaches it while it starts (its channels run before their handlers
        are registered, Channels.connect), and Notebook 6, which asks once, then holds the page's
        websocket for 60 s (kernel_info_timeout); asked once a second, the kernel answers in seconds."""
        import server_check
        name = self.notebook.relative_to(NOTEBOOKS).as_posix()
        for attempt in (1, 2):
            session = server_check.api(self.port, self.token, "POST", "/api/sessions",
                                       {"path": name, "name": name, "type": "notebook", "kernel": {"name": "java"}})
            kernel_id = session["kernel"]["id"]
            connection = RUNTIME / f"kernel-{kernel_id}.json"
            deadline = time.monotonic() + 15
            while not connection.is_file() and time.monotonic() < deadline:
                time.sleep(0.1)
            if not connection.is_file():
                progress(f"no connection file {rel(connection)}: the page will wait for the kernel itself")
                return
            started = time.monotonic()
            if server_check.ask_until_ready(connection, 45):
                dropped = self.server_log().count("Unhandled message: kernel_info_request")
                if dropped > self.dropped:
                    progress(f"the kernel answered after {time.monotonic() - started:.0f} s, but dropped "
                             f"{dropped - self.dropped} kernel_info_request(s) that reached it while it started "
                             "(rapaio 3.0.1; a page asking once would have waited 60 s, Notebook 6's kernel_info_timeout)")
                    self.dropped = dropped
                return
            if attempt == 1:
                progress("the kernel did not answer within 45 s; restarting it once, as a learner would")
                server_check.api(self.port, self.token, "POST", f"/api/kernels/{kernel_id}/restart")
        raise Failed(f"the kernel for {self.lesson} did not answer within 45 s, nor after a restart "
                     f"(server log: {rel(OUTPUT / f'server-{self.ui}.log')})")

    def browse(self, node, chromium, params, case, shot):
        """One run of tools/browser/run-lesson.mjs; returns its result (a dict)."""
        command = [node, str(SOURCES / "run-lesson.mjs"),
                   "--base", f"http://127.0.0.1:{self.port}", "--token", self.token,
                   "--notebook", self.notebook.relative_to(NOTEBOOKS).as_posix(),
                   "--chromium", chromium, "--modules", str(INSTALL / "node_modules"),
                   "--screenshot", str(shot), "--timeout", str(RUN_LIMIT), "--case", case, "--frontend", self.kind]
        if params:
            command += ["--parameters", params]
        self.warm_kernel()
        self.node = subprocess.Popen(command, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, env=browser_env(),
                                     start_new_session=True, text=True)
        try:
            out, _ = self.node.communicate(timeout=RUN_LIMIT + 480)
        except subprocess.TimeoutExpired:
            stop_group(self.node, grace=5)
            raise Failed(f"the browser run of {self.lesson} did not end within {RUN_LIMIT + 480} s") from None
        finally:
            stop_group(self.node, grace=5)
            self.delete_sessions()
        lines = [l for l in out.splitlines() if l.startswith("{")]
        if not lines:
            raise Failed(f"tools/browser/run-lesson.mjs exited with status {self.node.returncode} "
                         f"and reported nothing (its messages are above)")
        return json.loads(lines[-1])

    def check(self):
        import server_check
        source_before = self.notebook.read_bytes()
        params, nb = parameters_source(self.notebook)
        if not any(c["cell_type"] == "code" for c in nb["cells"]):
            raise Failed(f"{self.notebook.name} has no code cells to run")
        chromium = ensure_chromium()
        node, npm = ensure_node()
        pinned = ensure_playwright(npm)
        progress(f"Chromium {version_of(chromium)[1] or chromium}, Node.js {version_of(node)[1]}, "
                 f"playwright-core {pinned}")

        os.environ[MARKER] = self.marker  # inherited by ./lab, Jupyter, the kernels, node and Chromium
        OUTPUT.mkdir(parents=True, exist_ok=True)
        log_path = OUTPUT / f"server-{self.ui}.log"
        self.port = server_check.free_port()
        progress(f"starting ./lab --ui {self.ui} on 127.0.0.1:{self.port} (log: {rel(log_path)})")
        started = time.monotonic()
        # JupyterLab shows the page its app only when told; the setting comes from a folder of ours.
        extra = os.pathsep.join(p for p in (lab_config(), os.environ.get("JUPYTER_CONFIG_PATH")) if p)
        with open(log_path, "w") as log:
            try:
                self.server, url, self.token = server_check.start_lab(self.port, log, self.ui,
                                                                      env={"JUPYTER_CONFIG_PATH": extra})
            except server_check.Problem as e:
                raise Failed(f"{e} (server log: {rel(log_path)})") from None
        self.kind = front_end(url)
        progress(f"Jupyter answers at {url.split('?')[0]} after {time.monotonic() - started:.0f} s "
                 f"(front end: {FRONT_ENDS.get(self.kind, self.kind)})")
        if self.kind not in ("classic", "lab"):
            raise Failed(f"./lab started the {self.kind} front end ({url.split('?')[0]}); this check drives JupyterLab "
                         f"and the classic Notebook 6 page, so it cannot run {self.lesson} there")

        results = []
        shot = OUTPUT / f"{self.lesson}-{self.kind}.png"
        progress(f"running {self.notebook.name} in headless Chromium (limit {RUN_LIMIT} s)")
        result = self.browse(node, chromium, params, "lesson", shot)
        results.append(("lesson", result))
        if self.self_test:
            for case in ("error", "no-chart"):
                progress(f"self-test: {self.notebook.name} with {case.replace('-', ' ')}, edited in the page")
                results.append((case, self.browse(node, chromium, params, case,
                                                  OUTPUT / f"{self.lesson}-{self.kind}-self-test-{case}.png")))
        if self.notebook.read_bytes() != source_before:
            raise Failed(f"{rel(self.notebook)} changed on disk during the run: the page saved it")
        return results

    def stop(self):
        """Stops everything this run started; returns what had to be killed or outlived the server."""
        problems = []
        stop_group(self.node, grace=5)
        if self.server is not None:
            self.delete_sessions()
            if not stop_group(self.server):
                problems.append("the server did not stop within 30 s of SIGTERM")
        left = sweep(self.marker)
        if not self.had_checkpoints:
            try:
                self.checkpoints.rmdir()  # only when empty: the page never saves, so it is
            except OSError:
                pass
        if left:
            problems.append(f"processes outlived the run and were killed: {', '.join(left)}")
        return problems


def summarize(lesson, kind, results):
    """The PASS/FAIL lines for the lesson and the self-test cases; returns (lines, failed)."""
    lines, failed = [], False
    where = FRONT_ENDS.get(kind, kind or "the page")
    for case, r in results:
        if case == "lesson":
            if r.get("status") == "pass":
                lines.append(f"PASS browser: ran {lesson} in headless Chromium through {where}, {r['codeCells']} code cells, "
                             f"{r['charts']} chart(s), screenshot {rel(r.get('screenshot', OUTPUT))}")
            else:
                failed = True
                lines.append(f"FAIL browser: {lesson} through {where}: {r.get('message')} "
                             f"(screenshot {rel(r.get('screenshot', OUTPUT))})")
            continue
        expect = {"error": ("boom", "shows an error"), "no-chart": ("no chart", "no chart")}[case]
        message = r.get("message", "")
        if r.get("status") == "fail" and all(e in message for e in expect):
            lines.append(f"PASS browser self-test {case} ({where}): caught: {message}")
        else:
            failed = True
            lines.append(f"FAIL browser self-test {case} ({where}): the check did not catch it "
                         f"(reported {r.get('status')}: {message or 'nothing'})")
    return lines, failed


def check_front_end(notebook, self_test, ui):
    """One front end: a server of its own, the lesson, the self-tests. Returns (status, lines)."""
    started = time.monotonic()
    run = Run(notebook, self_test, ui)
    status, lines = FAIL, []
    try:
        try:
            results = run.check()
            lines, failed = summarize(run.lesson, run.kind, results)
            status = FAIL if failed else PASS
        except Skipped as e:
            lines, status = [f"SKIP browser: {e}"], SKIP
        except Failed as e:
            lines = [f"FAIL browser ({ui}): {e}"]
        except Interrupted as e:
            lines = [f"FAIL browser ({ui}): interrupted by {e} while running {run.lesson}"]
            raise
        finally:
            # Whatever happened, and even on a second signal, stop what this run started.
            handlers = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
            problems = run.stop()
            if problems and status != SKIP:
                status = FAIL
                if lines and lines[0].startswith("PASS browser:"):
                    lines[0] = "FAIL browser: " + lines[0][len("PASS browser: "):] + "; but " + "; ".join(problems)
                else:
                    lines.append(f"FAIL browser ({ui}): " + "; ".join(problems))
            progress(f"{FRONT_ENDS.get(run.kind, ui)} done in {time.monotonic() - started:.0f} s")
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
    except Interrupted:
        for line in lines:
            print(line, flush=True)
        raise
    return status, lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notebook", type=Path, default=NOTEBOOKS / "01-overview.ipynb",
                        help="the lesson to run (default: notebooks/01-overview.ipynb)")
    parser.add_argument("--self-test", action="store_true",
                        help="also check that a cell that throws, and a run without a chart, are caught")
    parser.add_argument("--ui", choices=["lab", "notebook", "all"], default="all",
                        help="the front end to drive (default: each one installed)")
    args = parser.parse_args()
    notebook = args.notebook.resolve()
    if not notebook.is_file() or not notebook.is_relative_to(NOTEBOOKS):
        print(f"FAIL browser: {args.notebook} is not a notebook in notebooks/ (the folder ./lab serves)")
        return FAIL
    try:
        import server_check  # (needs tornado: the lab's Jupyter Python)
    except ImportError as e:
        print(f"FAIL browser: {sys.executable} cannot import tools/server_check.py ({e}); run this with the "
              "Python of the lab's Jupyter (Debian: /usr/bin/python3)")
        return FAIL

    def interrupt(signum, _frame):
        raise Interrupted(signal.Signals(signum).name)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, interrupt)

    uis = server_check.installed_uis() if args.ui == "all" else [args.ui]
    if not uis:
        print("FAIL browser: the lab's Python has neither jupyterlab nor notebook")
        return FAIL
    statuses = []
    try:
        for ui in uis:
            status, lines = check_front_end(notebook, args.self_test, ui)
            statuses.append(status)
            for line in lines:
                print(line, flush=True)
            if status == SKIP:
                break  # Chromium or Node.js is missing: the same for every front end
    except Interrupted as e:
        print(f"FAIL browser: interrupted by {e}", flush=True)
        return FAIL
    if FAIL in statuses:
        return FAIL
    return SKIP if SKIP in statuses else PASS


if __name__ == "__main__":
    sys.exit(main())
