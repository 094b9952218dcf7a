#!/usr/bin/env python3
"""The fresh-machine test: the README's commands on a new Debian 13 with only what the README
asks a user to install, as a newcomer would run them. Run by `./lab test --fresh`, and by CI.

    sudo python3 tools/fresh_machine.py [--commit REV] [--keep]

1. A minimal Debian 13 root (debootstrap --variant=minbase trixie) with openjdk-21-jdk-headless,
   python3, git, curl and ca-certificates and nothing else (no recommended packages), cached
   in /var/cache/concurrency-lab/fresh (LAB_FRESH_CACHE) and rebuilt when missing or when
   that recipe changes. Each run works on a copy of its own, deleted at the end.
2. The machine's own extra certificate authorities (a TLS-inspecting proxy's) are copied in,
   so that downloads work there as they do here.
3. The commit (HEAD unless --commit) is cloned into the root, and there:
   - as a learner without root, `./lab build` must stop before building and name the
     packages charts need (the root has no fonts);
   - as root, `./lab setup` must install them (and Jupyter, JupyterLab among it) by itself;
   - as root, `./lab test` must pass, and its browser test must have driven JupyterLab.
It ends with `lab: N passed, N failed` (the steps, and what `./lab test` counted inside);
each failure names its step and its log (build/test/fresh/). It exits 0, 1 (failed) or 3
(not run: not root, or no debootstrap and no way to install it).

Mounts inside the root (proc, sys, dev, dev/pts, dev/shm) are unmounted however the run ends,
processes left inside are killed first, and the copy is deleted only once nothing is mounted
in it, with --one-file-system: a recursive delete through a bind-mounted /dev would delete
this machine's own devices.
"""
import argparse
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "build" / "test" / "fresh"
CACHE = Path(os.environ.get("LAB_FRESH_CACHE", "/var/cache/concurrency-lab/fresh"))
MIRROR = os.environ.get("LAB_FRESH_MIRROR", "http://deb.debian.org/debian")
SECURITY = os.environ.get("LAB_FRESH_SECURITY_MIRROR", "http://deb.debian.org/debian-security")
SUITE = "trixie"
# What the README asks a newcomer to install, and nothing else.
PACKAGES = ["openjdk-21-jdk-headless", "python3", "git", "curl", "ca-certificates"]
CHART_PACKAGES = ["fontconfig", "fonts-dejavu-core", "libharfbuzz0b"]
LEARNER = "learner"
CLONE = "/root/concurrency-lab"            # where root runs the README's commands
LEARNER_CLONE = f"/home/{LEARNER}/concurrency-lab"
PASS, FAIL, NOT_RUN = 0, 1, 3
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# The proxy settings of this machine, which a newcomer on its network would have too.
PASSED_ON = ["http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"]


class NotRun(Exception):
    pass


class StepFailed(Exception):
    pass


class Interrupted(BaseException):
    pass


def progress(message):
    print(f"  .... fresh: {message}", file=sys.stderr, flush=True)


def run(command, log=None, timeout=None, check=True, **kwargs):
    """A host command; its output goes to the log (appended) or is returned."""
    if log is not None:
        with open(log, "a") as out:
            out.write(f"$ {' '.join(map(str, command))}\n")
            out.flush()
            done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                  timeout=timeout, **kwargs)
    else:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=timeout, **kwargs)
    if check and done.returncode != 0:
        raise StepFailed(f"`{' '.join(map(str, command))}` exited with status {done.returncode}"
                         + (f" (log: {rel(log)})" if log else f": {(done.stderr or done.stdout).strip()[-300:]}"))
    return done


def rel(path):
    path = Path(path)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def tail(path, lines=12):
    try:
        text = Path(path).read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return ""
    return "\n      " + "\n      ".join(text)


# ---------------------------------------------------------------- mounts, processes, deleting

def mounts_under(path):
    """Mount points at or below path, deepest first, from the kernel's own table."""
    path = os.path.realpath(path)
    found = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            point = line.split()[4].replace("\\040", " ")
            if point == path or point.startswith(path + "/"):
                found.append(point)
    return sorted(set(found), key=len, reverse=True)


def processes_in(path):
    """Processes whose root directory is path: everything started inside the chroot."""
    path = os.path.realpath(path)
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                if os.readlink(f"/proc/{entry}/root") == path:
                    pids.append(int(entry))
            except OSError:
                continue
    return pids


def stop_processes(path):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = processes_in(path)
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        while processes_in(path) and time.monotonic() < deadline:
            time.sleep(0.2)


def unmount_all(path):
    """Unmounts everything under path (processes inside stopped first); True when nothing is left."""
    stop_processes(path)
    for attempt in range(3):
        for point in mounts_under(path):
            if os.path.realpath(point) == os.path.realpath(path):
                continue
            lazy = ["-l"] if attempt == 2 else []
            subprocess.run(["umount", *lazy, point], stdin=subprocess.DEVNULL, capture_output=True)
        if not [p for p in mounts_under(path) if os.path.realpath(p) != os.path.realpath(path)]:
            return True
        time.sleep(1)
    return False


def delete_root(path):
    """Deletes a root folder, never through a mount: unmount first, then rm --one-file-system."""
    if not os.path.lexists(path):
        return
    if not unmount_all(path):
        raise StepFailed(f"{path} still has mounts ({', '.join(mounts_under(path))}), so it was not deleted")
    subprocess.run(["rm", "-rf", "--one-file-system", str(path)], stdin=subprocess.DEVNULL, check=True)


class Mounted:
    """proc, sys, dev, dev/pts and a private dev/shm inside a root, for as long as the block runs."""

    def __init__(self, root):
        self.root = Path(root)

    def __enter__(self):
        try:
            for kind, source, target, options in (
                    ("proc", "proc", "proc", []), (None, "/sys", "sys", ["--bind"]), (None, "/dev", "dev", ["--bind"]),
                    (None, "/dev/pts", "dev/pts", ["--bind"]), ("tmpfs", "shm", "dev/shm", ["-o", "mode=1777"])):
                where = self.root / target
                where.mkdir(parents=True, exist_ok=True)
                command = ["mount"] + (["-t", kind] if kind else []) + options + [source, str(where)]
                run(command)
        except BaseException:
            unmount_all(self.root)
            raise
        return self

    def __exit__(self, *exc):
        if not unmount_all(self.root):
            raise StepFailed(f"could not unmount everything under {self.root}: {', '.join(mounts_under(self.root))}")


# ---------------------------------------------------------------- the root

def host_extra_certificates():
    """PEM certificates this machine trusts beyond its distribution's own (a proxy's CA, say)."""
    bundle = Path("/etc/ssl/certs/ca-certificates.crt")
    if not bundle.is_file():
        return []
    pem = re.compile(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", re.S)

    def key(text):
        return "".join(text.split())

    shipped = set()
    for folder in (Path("/usr/share/ca-certificates"),):
        for crt in folder.rglob("*.crt"):
            for cert in pem.findall(crt.read_text(errors="replace")):
                shipped.add(key(cert))
    return [c for c in pem.findall(bundle.read_text(errors="replace")) if key(c) not in shipped]


def uid_of(root, user):
    """'uid:gid' of a user of the root, from its own /etc/passwd (not this machine's)."""
    for line in (Path(root) / "etc/passwd").read_text().splitlines():
        fields = line.split(":")
        if fields[0] == user:
            return f"{fields[2]}:{fields[3]}"
    raise StepFailed(f"the root has no user {user}")


def chroot(root, script, log, timeout, user=None, env=None):
    """Runs a bash script inside the root with a newcomer's clean environment; returns its status."""
    home = "/root" if user is None else f"/home/{user}"
    environment = {"PATH": PATH, "HOME": home, "LANG": "C.UTF-8", "TERM": "dumb", "USER": user or "root"}
    environment.update({k: os.environ[k] for k in PASSED_ON if k in os.environ})
    environment.update(env or {})
    command = ["chroot"] + ([f"--userspec={uid_of(root, user)}"] if user else []) + [str(root), "/usr/bin/env", "-i"]
    command += [f"{k}={v}" for k, v in environment.items()] + ["/bin/bash", "-c", f"cd {home} && {script}"]
    with open(log, "a") as out:
        out.write(f"$ (in the Debian 13 root{', as ' + user if user else ''}) {script}\n")
        out.flush()
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            stop_processes(root)
            raise StepFailed(f"`{script}` did not finish within {timeout // 60} minutes (log: {rel(log)})") from None


def recipe():
    return {"suite": SUITE, "variant": "minbase", "mirror": MIRROR, "security": SECURITY, "packages": PACKAGES,
            "recommends": False, "version": 1}


def ensure_debootstrap():
    if shutil.which("debootstrap"):
        return
    if not shutil.which("apt-get"):
        raise NotRun("debootstrap is not installed and there is no apt-get to install it")
    progress("installing debootstrap with apt-get")
    log = LOGS / "debootstrap-apt.log"
    for command in (["apt-get", "install", "-y", "--no-install-recommends", "debootstrap"],
                    ["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "debootstrap"]):
        done = run(["env", "DEBIAN_FRONTEND=noninteractive", *command], log=log, timeout=900, check=False)
        if done.returncode == 0 and command[1] == "install" and shutil.which("debootstrap"):
            return
    raise NotRun(f"debootstrap is not installed and apt-get could not install it (log: {rel(log)})")


def write_sources(root):
    (root / "etc/apt/sources.list").write_text(
        f"deb {MIRROR} {SUITE} main\ndeb {MIRROR} {SUITE}-updates main\ndeb {SECURITY} {SUITE}-security main\n")


def install_certificates(root, log):
    extra = host_extra_certificates()
    folder = root / "usr/local/share/ca-certificates"
    folder.mkdir(parents=True, exist_ok=True)
    for n, cert in enumerate(extra):
        (folder / f"lab-host-{n}.crt").write_text(cert + "\n")
    if extra and (root / "usr/sbin/update-ca-certificates").exists():
        if chroot(root, "update-ca-certificates", log, 300) != 0:
            raise StepFailed(f"update-ca-certificates failed in the root (log: {rel(log)})")
    return len(extra)


def base_root():
    """The cached Debian 13 root with the README's packages; built when missing or out of date.
    One run at a time builds it (a lock in the cache); the others wait for it."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / "base.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return build_base_root()


def build_base_root():
    base, stamp = CACHE / f"{SUITE}-base", CACHE / f"{SUITE}-base.json"
    wanted = recipe()
    try:
        if base.is_dir() and json.loads(stamp.read_text()) == wanted:
            return base
    except (OSError, ValueError):
        pass
    ensure_debootstrap()
    fresh = CACHE / f"{SUITE}-base.new"
    delete_root(fresh)
    log = LOGS / "base-root.log"
    log.write_text("")
    progress(f"building the Debian 13 base root in {fresh} (debootstrap, a few minutes; log: {rel(log)})")
    started = time.monotonic()
    run(["debootstrap", "--variant=minbase", SUITE, str(fresh), MIRROR], log=log, timeout=1800)
    write_sources(fresh)
    shutil.copyfile("/etc/resolv.conf", fresh / "etc/resolv.conf")
    with Mounted(fresh):
        install_certificates(fresh, log)
        script = ("apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
                  + " ".join(PACKAGES) + " && apt-get clean")
        if chroot(fresh, script, log, 1800) != 0:
            raise StepFailed(f"apt-get could not install {' '.join(PACKAGES)} in the base root (log: {rel(log)}):"
                             + tail(log, 6))
        chroot(fresh, f"useradd --create-home --shell /bin/bash {LEARNER}", log, 60)
    delete_root(base)
    fresh.rename(base)
    stamp.write_text(json.dumps(wanted) + "\n")
    progress(f"base root ready after {time.monotonic() - started:.0f} s")
    return base


# ---------------------------------------------------------------- the steps

class Fresh:
    def __init__(self, commit, keep):
        self.commit = commit
        self.keep = keep
        # A copy of the base for this run alone: runs on one machine never share one.
        self.work = CACHE / f"{SUITE}-run-{os.getpid()}"
        self.results = []       # (passed, step, detail)
        self.inner = (0, 0)     # what ./lab test counted inside the root

    def record(self, passed, step, detail):
        self.results.append((passed, step, detail))
        print(f"  {'PASS' if passed else 'FAIL'} fresh: {step}: {detail}", flush=True)

    def step(self, name, function):
        started = time.monotonic()
        try:
            detail = function()
            self.record(True, name, f"{detail} ({time.monotonic() - started:.0f} s)")
            return True
        except StepFailed as e:
            self.record(False, name, str(e))
            return False

    def prepare(self):
        base = base_root()
        for left in CACHE.glob(f"{SUITE}-run-*"):
            # What a run that no longer exists left behind (killed before its clean-up ran).
            pid = left.name.rsplit("-", 1)[-1]
            if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
                progress(f"deleting {left}, left by an earlier run that is gone")
                delete_root(left)
        delete_root(self.work)
        progress(f"copying the base root to {self.work}")
        run(["cp", "-a", "--reflink=auto", str(base), str(self.work)], timeout=900)
        shutil.copyfile("/etc/resolv.conf", self.work / "etc/resolv.conf")

    def clone(self):
        log = LOGS / "clone.log"
        log.write_text("")
        for where, owner in ((CLONE, None), (LEARNER_CLONE, LEARNER)):
            target = self.work / where.lstrip("/")
            run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(target)], log=log, timeout=600)
            run(["git", "-C", str(target), "checkout", "--quiet", "--detach", self.commit], log=log, timeout=120)
            if owner:
                run(["chroot", str(self.work), "chown", "-R", f"{owner}:{owner}", where], log=log)
        return f"cloned {self.commit[:12]} into {CLONE} (and {LEARNER_CLONE} for the learner)"

    def fonts_named(self):
        log = LOGS / "1-learner-build.log"
        log.write_text("")
        status = chroot(self.work, "cd concurrency-lab && ./lab build", log, 600, user=LEARNER)
        text = log.read_text(errors="replace")
        if status == 0:
            raise StepFailed(f"./lab build succeeded for a learner without root on a root without fonts (log: {rel(log)})")
        missing = [p for p in CHART_PACKAGES if p not in text]
        if missing or "sudo apt-get install" not in text:
            raise StepFailed(f"./lab build stopped but did not name {' '.join(missing) or 'the apt-get command'} "
                             f"(log: {rel(log)}):" + tail(log, 6))
        if (self.work / LEARNER_CLONE.lstrip("/") / "build" / "logs" / "build.log").exists():
            raise StepFailed(f"./lab build started Maven before it named the fonts (log: {rel(log)})")
        return "./lab build stopped before building and named " + " ".join(CHART_PACKAGES)

    def setup(self):
        log = LOGS / "2-setup.log"
        log.write_text("")
        status = chroot(self.work, "cd concurrency-lab && ./lab setup", log, 2400)
        text = log.read_text(errors="replace")
        if status != 0:
            raise StepFailed(f"./lab setup exited with status {status} (log: {rel(log)}):" + tail(log, 10))
        if "Installing what charts need" not in text:
            raise StepFailed(f"./lab setup did not install the fonts charts need (log: {rel(log)})")
        kernel = re.search(r"kernel 'java' \(([^)]*\))", text)
        return f"installed the fonts and Jupyter by itself; kernel {kernel.group(1) if kernel else '?'}"

    def test(self):
        log = LOGS / "3-test.log"
        log.write_text("")
        status = chroot(self.work, "cd concurrency-lab && ./lab test", log, 3600)
        text = log.read_text(errors="replace")
        summary = re.findall(r"^lab: (\d+) passed, (\d+) failed", text, re.M)
        if summary:
            self.inner = tuple(int(n) for n in summary[-1])
        if status != 0 or not summary:
            fails = [l.strip() for l in text.splitlines() if re.match(r"\s*FAIL\b|lab: ", l)][:8]
            raise StepFailed(f"./lab test exited with status {status} (log: {rel(log)}):\n      " + "\n      ".join(fails))
        return f"lab: {self.inner[0]} passed, {self.inner[1]} failed"

    def drove_jupyterlab(self):
        text = (LOGS / "3-test.log").read_text(errors="replace")
        lab = [l.strip() for l in text.splitlines() if l.startswith("PASS browser: ran") and "through JupyterLab" in l]
        if not lab:
            shown = [l.strip() for l in text.splitlines() if "browser" in l and re.match(r"\s*(PASS|FAIL|SKIP)", l)]
            raise StepFailed("the browser test did not report driving JupyterLab: " + ("; ".join(shown) or "no browser line"))
        return lab[0]

    def keep_outputs(self):
        """The root's screenshots and logs, before the root goes."""
        inside = self.work / CLONE.lstrip("/") / "build"
        for sub in ("test/browser", "logs", "test/kernel-logs"):
            if (inside / sub).is_dir():
                shutil.copytree(inside / sub, LOGS / "root-build" / sub, dirs_exist_ok=True)

    def main(self):
        LOGS.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        try:
            self.prepare()
            with Mounted(self.work):
                log = LOGS / "certificates.log"
                log.write_text("")
                extra = install_certificates(self.work, log)
                if extra:
                    progress(f"copied {extra} extra certificate authorit{'y' if extra == 1 else 'ies'} of this machine into the root")
                if self.step("clone the commit", self.clone):
                    if self.step("fonts named for a learner without root", self.fonts_named):
                        if self.step("./lab setup as root", self.setup):
                            tested = self.step("./lab test", self.test)
                            if self.inner != (0, 0) or tested:
                                self.step("the browser test drove JupyterLab", self.drove_jupyterlab)
                self.keep_outputs()
        finally:
            # The clean-up must finish, whatever signal comes next.
            for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                signal.signal(sig, signal.SIG_IGN)
            if self.keep:
                unmount_all(self.work)
                progress(f"kept the root at {self.work} (nothing is mounted in it)")
            else:
                delete_root(self.work)
        progress(f"done in {(time.monotonic() - started) / 60:.1f} min")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commit", default="HEAD", help="the commit to clone (default: HEAD)")
    parser.add_argument("--keep", action="store_true", help="keep the run's root (unmounted) for a look inside")
    args = parser.parse_args()
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        why = "it needs root (debootstrap, mount and chroot): run it as root or with sudo" if sys.platform.startswith("linux") \
            else "it needs Linux (debootstrap and chroot)"
        print(f"  SKIP fresh: not run: {why}")
        print("lab: 0 passed, 0 failed")
        return NOT_RUN
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", args.commit + "^{commit}"],
                            capture_output=True, text=True)
    if commit.returncode != 0:
        print(f"FAIL fresh: --commit {args.commit} is not a commit of {ROOT}")
        print("lab: 0 passed, 1 failed")
        return FAIL

    def interrupt(signum, _frame):
        raise Interrupted(signal.Signals(signum).name)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, interrupt)
    fresh = Fresh(commit.stdout.strip(), args.keep)
    try:
        try:
            fresh.main()
        except NotRun as e:
            print(f"  SKIP fresh: not run: {e}")
            print("lab: 0 passed, 0 failed")
            return NOT_RUN
        except StepFailed as e:
            fresh.record(False, "preparing the root", str(e))
        except Interrupted as e:
            fresh.record(False, "interrupted", f"by {e}; the root was unmounted and deleted")
    except Interrupted as e:  # a second signal during the clean-up, which has run again by now
        fresh.record(False, "interrupted", f"twice ({e})")
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
    # ./lab test's own summary stands for that step, when it printed one.
    counted = [(ok, step) for ok, step, _ in fresh.results if not (step == "./lab test" and fresh.inner != (0, 0))]
    passed = sum(1 for ok, _ in counted if ok) + fresh.inner[0]
    failed = sum(1 for ok, _ in counted if not ok) + fresh.inner[1]
    print(f"lab: {passed} passed, {failed} failed")
    return PASS if failed == 0 else FAIL


if __name__ == "__main__":
    sys.exit(main())
