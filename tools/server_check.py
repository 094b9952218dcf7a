#!/usr/bin/env python3
"""Checks `./lab` end to end, as a person would use it: starts it on a free loopback port,
reads the URL it prints, asks the server for its kernels, opens a lesson the way the web page
does (a session on the notebook, then the kernel's websocket), runs the lesson's code cells
with its test parameters, and stops the server, checking that no kernel outlives it.

    python3 tools/server_check.py [--notebook notebooks/01-overview.ipynb] [--ui lab|notebook|all]

By default it does so for each front end installed (JupyterLab, the Notebook page), one server
after the other. Prints one PASS or FAIL line for each and exits 0, or 1 if any failed.
"""
import argparse
import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from execute import java_literal  # noqa: E402  (same literals as the headless run)


class Problem(Exception):
    pass


class Silent(Problem):
    """The kernel never answered its first request."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(port, log, ui=None, env=None):
    env = dict(os.environ, DISPLAY="", **(env or {}))
    proc = subprocess.Popen([str(ROOT / "lab"), "open", "--no-browser", "--port", str(port)] + (["--ui", ui] if ui else []),
                            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    deadline = time.monotonic() + 240
    url = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Problem(f"./lab exited with status {proc.returncode} before serving")
        text = Path(log.name).read_text(errors="replace")
        match = re.search(r"(http://127\.0\.0\.1:\d+/\S*\?token=([0-9a-f]+))", text)
        if match:
            url, token = match.group(1), match.group(2)
            try:
                api(port, token, "GET", "/api/status")
                return proc, url, token
            except OSError:
                pass
        time.sleep(0.5)
    raise Problem(f"./lab printed no URL and did not answer within 240 s (URL seen: {url})")


def api(port, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                 headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        raw = resp.read()
        return json.loads(raw) if raw else None


def code_cells(notebook):
    nb = json.loads(notebook.read_text())
    params = nb["metadata"].get("concurrency_lab", {}).get("test_parameters", {})
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        cells.append("".join(cell["source"]))
        if "parameters" in cell["metadata"].get("tags", []) and params:
            cells.append("\n".join(f"{k} = {java_literal(v)};" for k, v in params.items()))
    return cells


async def run_cells(port, token, kernel_id, cells):
    session = uuid.uuid4().hex
    ws = await websocket_connect(
        f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels?session_id={session}&token={token}")
    mimes = set()
    try:
        for n, code in enumerate(cells, 1):
            msg_id = uuid.uuid4().hex
            await ws.write_message(json.dumps({
                "header": {"msg_id": msg_id, "username": "lab", "session": session, "msg_type": "execute_request",
                           "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                            "allow_stdin": False, "stop_on_error": True}}))
            replied = idle = False
            # Outputs arrive on iopub, the reply on shell, in no fixed order: wait for both ends.
            while not (replied and idle):
                try:
                    raw = await asyncio.wait_for(ws.read_message(), timeout=30 if n == 1 else 180)
                except asyncio.TimeoutError:
                    raise (Silent if n == 1 else Problem)(f"no answer to code cell {n}") from None
                if raw is None:
                    raise Problem(f"the kernel's websocket closed during code cell {n}")
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["header"]["msg_type"]
                if kind in ("display_data", "execute_result"):
                    mimes.update(msg["content"].get("data", {}))
                if kind == "status" and msg["content"].get("execution_state") == "idle":
                    idle = True
                if kind == "execute_reply":
                    if msg["content"]["status"] != "ok":
                        raise Problem(f"code cell {n} failed through the server: "
                                      f"{msg['content'].get('ename')}: {msg['content'].get('evalue')}")
                    replied = True
    finally:
        ws.close()
    return mimes


def command_lines():
    """{pid: command line} of every process: from /proc where there is one (a minimal Linux
    has no ps), from ps elsewhere (macOS)."""
    if os.path.isdir("/proc/self"):
        lines = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/cmdline", "rb") as f:
                        lines[int(entry)] = f.read().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    continue
        return lines
    out = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True).stdout
    return {int(l.split(None, 1)[0]): l.split(None, 1)[-1] for l in out.splitlines() if l.strip()}


def ask_until_ready(connection, timeout):
    """kernel_info_request on the kernel's own shell channel, once a second, until it replies.
    (jupyter_client's wait_for_ready also demands heartbeats, which a busy 2-core machine misses.)"""
    from queue import Empty
    from jupyter_client import BlockingKernelClient
    client = BlockingKernelClient(connection_file=str(connection))
    client.load_connection_file()
    client.start_channels(shell=True, iopub=False, stdin=False, hb=False)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            client.kernel_info()
            try:
                while True:
                    if client.get_shell_msg(timeout=1)["msg_type"] == "kernel_info_reply":
                        return True
            except Empty:
                pass
        return False
    finally:
        client.stop_channels()


def kernel_pids():
    """Processes started as kernels of the lab's Jupyter: their argv names a connection file
    in the lab's runtime folder, whichever kernel (IJava, JJava, rapaio) they are."""
    runtime = str(ROOT / "build" / "jupyter" / "runtime") + os.sep + "kernel-"
    return {pid for pid, line in command_lines().items() if runtime in line}


def check(notebook, ui=None):
    port = free_port()
    log_path = ROOT / "build" / "test" / "server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    before = kernel_pids()
    with open(log_path, "w") as log:
        proc, url, token = start_lab(port, log, ui)
        try:
            specs = api(port, token, "GET", "/api/kernelspecs")
            if "java" not in specs.get("kernelspecs", {}):
                raise Problem(f"/api/kernelspecs lists {sorted(specs.get('kernelspecs', {}))}, not the lab's 'java' kernel")
            name = notebook.name
            model = api(port, token, "GET", f"/api/contents/{name}?content=0")
            if model.get("type") != "notebook":
                raise Problem(f"the server does not serve {name} as a notebook")
            session = api(port, token, "POST", "/api/sessions",
                          {"path": name, "name": name, "type": "notebook", "kernel": {"name": "java"}})
            kernel_id = session["kernel"]["id"]
            if not kernel_pids() - before:
                raise Problem("the session started no kernel process that the check can see")
            # rapaio 3.0.1 drops a kernel_info_request that reaches it while it starts (its shell
            # channel polls before its handlers are registered), and the server then holds every
            # websocket for 60 s: ask the kernel directly until it answers, as a page's retry would.
            connection = Path(os.environ.get("JUPYTER_RUNTIME_DIR", ROOT / "build" / "jupyter" / "runtime")) \
                / f"kernel-{kernel_id}.json"
            deadline = time.monotonic() + 15
            while not connection.is_file() and time.monotonic() < deadline:
                time.sleep(0.1)
            if connection.is_file() and not ask_until_ready(connection, 45):
                raise Problem("the kernel did not answer a kernel_info_request within 45 s")
            try:
                mimes = asyncio.run(run_cells(port, token, kernel_id, code_cells(notebook)))
            except Silent:
                # A kernel that never answered ran nothing: restart it once, as a person would.
                print("  .... the kernel did not answer its first cell; restarting it once", flush=True)
                api(port, token, "POST", f"/api/kernels/{kernel_id}/restart")
                mimes = asyncio.run(run_cells(port, token, kernel_id, code_cells(notebook)))
            if "image/png" not in mimes or "text/html" not in mimes:
                raise Problem(f"{name} ran through the server but showed {sorted(mimes)}, not a chart and a table")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                raise Problem("the server did not stop within 30 s of SIGTERM")
    time.sleep(1)
    left = kernel_pids() - before
    if left:
        raise Problem(f"kernel processes {sorted(left)} outlived the server")
    return url, mimes


UIS = {"lab": ("jupyterlab", "JupyterLab"), "notebook": ("notebook", "the Notebook page")}


def installed_uis():
    """The front ends this Python can serve, as ./lab --ui names them: JupyterLab, the Notebook, or both."""
    import importlib.util
    return [ui for ui, (module, _) in UIS.items() if importlib.util.find_spec(module)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notebook", type=Path, default=ROOT / "notebooks" / "01-overview.ipynb")
    parser.add_argument("--ui", choices=["lab", "notebook", "all"], default="all",
                        help="the front end whose server ./lab starts (default: each one installed)")
    args = parser.parse_args()
    uis = installed_uis() if args.ui == "all" else [args.ui]
    if not uis:
        print("  FAIL ./lab serving: this Python has neither jupyterlab nor notebook")
        return 1
    failed = 0
    for ui in uis:
        try:
            url, mimes = check(args.notebook.resolve(), ui)
        except (Problem, OSError) as e:
            print(f"  FAIL ./lab --ui {ui} serving {args.notebook.name} ({UIS[ui][1]}): {e} "
                  "(server log: build/test/server.log)", flush=True)
            failed += 1
            continue
        print(f"  PASS ./lab --ui {ui} served {url.split('?')[0]} ({UIS[ui][1]}), listed the java kernel and ran "
              f"{args.notebook.name} through it ({', '.join(sorted(mimes))})", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
