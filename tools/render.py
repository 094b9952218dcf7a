#!/usr/bin/env python3
"""Renders the lessons as a book of static HTML pages, for a workshop or for reading offline.

Executes every notebook in notebooks/ (and notebooks/solutions/, when it exists) with its own
default parameters through a real Jupyter kernel, using tools/execute.py, and keeps the executed
copies in OUTPUT/notebooks/. Then writes one self-contained page per notebook: the index as
OUTPUT/index.html, each lesson as OUTPUT/NN-name.html, each solution as OUTPUT/solutions/NAME.html.
Charts are embedded as data URIs and the style sheet is inlined, so the pages load nothing from
the network; links between notebooks become links between pages. Before it reports success, it
reads every page it wrote and fails if a relative link or image does not resolve to a file in
the book, or if anything but a plain hyperlink points to http(s)://.

    python3 tools/render.py --kernel java --output build/book
    python3 tools/render.py --kernel java --output build/book --only '0[1-3]-*'   # lessons 01 to 03
    python3 tools/render.py --output build/book --skip-execute    # re-render from the executed copies

It stops at the first cell that fails, naming the notebook and the cell.
"""
import argparse
import fnmatch
import html
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import traceback
import urllib.parse
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"
ASSETS = TOOLS / "render"
JAR = ROOT / "lib" / "target" / "concurrency-lab.jar"
LAB_NAME = "Concurrency Lab"
TAGLINE = "Concurrency and parallelism in Java, learned by running them."

# Run standalone, the script finds the lab's kernel where ./lab installs it.
if (ROOT / "build" / "jupyter" / "share").is_dir():
    os.environ.setdefault("JUPYTER_PATH", str(ROOT / "build" / "jupyter" / "share"))
    os.environ.setdefault("JUPYTER_RUNTIME_DIR", str(ROOT / "build" / "jupyter" / "runtime"))

sys.path.insert(0, str(TOOLS))
import execute  # noqa: E402  (tools/execute.py: runs a notebook, names the failing cell)
import nbformat  # noqa: E402
from nbconvert import HTMLExporter  # noqa: E402


class Stop(Exception):
    """The book cannot be made; the message says why and what to do."""


def shown(path):
    """A path as the user would type it: relative to the project when inside it."""
    path = Path(path).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def duration(seconds):
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


# ---------------------------------------------------------------- the pages of the book

class Page:
    """One notebook: where it comes from, where its executed copy and its page go."""

    def __init__(self, source, page, book):
        self.source = source
        self.rel = source.relative_to(NOTEBOOKS).as_posix()   # "03-threads.ipynb", "solutions/x.ipynb"
        self.page = page                                      # in the book: "03-threads.html"
        self.html_path = book / page
        self.executed = book / "notebooks" / self.rel

    @property
    def is_solution(self):
        return self.rel.startswith("solutions/")


def catalogue(book):
    """Every notebook the book holds, index first, then the lessons, then the solutions."""
    index_file = json.loads((NOTEBOOKS / "lessons.json").read_text(encoding="utf-8"))["index"]["file"]
    pages = [Page(NOTEBOOKS / index_file, "index.html", book)]
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        if path.name != index_file:
            pages.append(Page(path, path.stem + ".html", book))
    for path in sorted(SOLUTIONS.glob("*.ipynb")) if SOLUTIONS.is_dir() else []:
        pages.append(Page(path, "solutions/" + path.stem + ".html", book))
    return pages


def title_of(nb, fallback):
    """The notebook's first level-1 heading, without its markdown."""
    for cell in nb.cells:
        if cell.cell_type != "markdown" or "nav" in cell.metadata.get("tags", []):
            continue
        for line in cell.source.splitlines():
            match = re.match(r"#\s+(.+)", line.strip())
            if match:
                text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", match.group(1))
                return re.sub(r"[*_`]", "", text).strip()
    return fallback


# ---------------------------------------------------------------- executing

def kernel_spec(kernel):
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    try:
        return KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        raise Stop(f"there is no Jupyter kernel named '{kernel}' (JUPYTER_PATH={os.environ.get('JUPYTER_PATH', '')}).\n"
                   "      Run ./lab setup to install the lab's kernel, then ./lab render again.") from None


def machine(spec):
    """This machine as the lessons see it (the helper jar's own report), or as Python sees it."""
    java = spec.argv[0] if spec.argv and os.path.basename(spec.argv[0]).startswith("java") else shutil.which("java")
    try:
        done = subprocess.run([java, "-jar", str(JAR), "machine", "--json"],
                              capture_output=True, text=True, timeout=60, check=True)
        info = json.loads(done.stdout)
        return {k: info[k] for k in ("hardwareThreads", "os", "javaVersion") if k in info}
    except (OSError, TypeError, ValueError, subprocess.SubprocessError):
        return {"hardwareThreads": os.cpu_count(), "os": f"{platform.system()} {platform.release()} ({platform.machine()})"}


def execute_pages(pages, kernel, timeout):
    """Runs each notebook with its default parameters; stops at the first failure."""
    spec = kernel_spec(kernel)
    where = machine(spec)
    print(f"render: executing {len(pages)} notebook(s) with their default parameters through the "
          f"'{kernel}' kernel ({spec.display_name}), one at a time", flush=True)
    for page in pages:
        try:
            cells, seconds = execute.run(page.source, kernel, page.executed.parent, None, timeout)
        except execute.Failure as e:
            kept = f"\n      (the executed copy, as far as it ran: {shown(page.executed)})" if page.executed.exists() else ""
            raise Stop(f"{page.rel}: {e}{kept}") from None
        except Exception:
            raise Stop(f"{page.rel}: the harness itself failed:\n{traceback.format_exc()}") from None
        if not cells:
            # execute.run writes no copy of a notebook without code: the book keeps one all the same.
            page.executed.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nbformat.read(page.source, as_version=4), page.executed)
        nb = nbformat.read(page.executed, as_version=4)
        nb.metadata.setdefault("concurrency_lab", {})["render"] = {
            "executed": datetime.now().astimezone().isoformat(timespec="seconds"),
            "seconds": round(seconds, 1), "code_cells": cells,
            "kernel": spec.display_name, "machine": where}
        nbformat.write(nb, page.executed)
        what = f"{cells} code cells, {seconds:.1f} s" if cells else "no code cells"
        print(f"  PASS {page.rel} ({what})", flush=True)


def executed_copy(page, skipped):
    """The executed notebook, once it is known to hold a complete default run."""
    if not page.executed.exists():
        raise Stop(f"{page.rel} has no executed copy at {shown(page.executed)}: run without --skip-execute")
    nb = nbformat.read(page.executed, as_version=4)
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        if "injected-parameters" in cell.metadata.get("tags", []):
            raise Stop(f"{shown(page.executed)} was executed with injected test parameters, not the defaults: "
                       "run without --skip-execute")
        if any(out.get("output_type") == "error" for out in cell.get("outputs", [])):
            raise Stop(f"{shown(page.executed)}: cell {number} holds an error: run without --skip-execute")
        if cell.source.strip() and cell.get("execution_count") is None:
            raise Stop(f"{shown(page.executed)}: cell {number} never ran (an earlier run stopped there): "
                       "run without --skip-execute")
    if skipped and page.source.stat().st_mtime > page.executed.stat().st_mtime:
        print(f"  note: {page.rel} changed after it was executed; its page shows the earlier run", flush=True)
    return nb


# ---------------------------------------------------------------- rendering

def exporter():
    # `basic` writes the notebook's body only: no MathJax, require.js or fonts from a CDN.
    # embed_images turns images in markdown into data URIs as well; outputs' PNGs already are.
    return HTMLExporter(template_name="basic", embed_images=True)


def with_solutions(nb, solutions, index_page):
    """The index, with a list of the solutions before its closing navigation."""
    if not solutions:
        return nb
    lessons = {l["file"]: f"{l['number']} · {l['title']}"
               for l in json.loads((NOTEBOOKS / "lessons.json").read_text(encoding="utf-8"))["lessons"]}
    items = []
    for page, title in solutions:
        item = f"- [{title}]({os.path.relpath(page.source, index_page.source.parent)})"
        if page.source.name in lessons and (NOTEBOOKS / page.source.name).exists():
            item += f", for lesson [{lessons[page.source.name]}]({page.source.name})"
        items.append(item)
    cell = nbformat.v4.new_markdown_cell("## Solutions\n\nThe exercises' solutions, executed like the lessons:\n\n"
                                         + "\n".join(items))
    at = len(nb.cells)
    while at > 0 and "nav" in nb.cells[at - 1].metadata.get("tags", []):
        at -= 1
    nb.cells.insert(at, cell)
    return nb


ANCHOR_HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")', re.I | re.S)


def rewrite_links(body, page, targets):
    """Links to notebooks of the book become links to their pages; other links stay as they are."""
    def fix(match):
        url = html.unescape(match.group(2))
        parts = urllib.parse.urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.endswith(".ipynb"):
            return match.group(0)
        source = (page.source.parent / urllib.parse.unquote(parts.path)).resolve()
        target = targets.get(source)
        if target is None:
            return match.group(0)   # left for the link check to report
        new = urllib.parse.quote(os.path.relpath(target, page.html_path.parent).replace(os.sep, "/"))
        if parts.fragment:
            new += "#" + parts.fragment
        return match.group(1) + html.escape(new) + match.group(3)
    return ANCHOR_HREF.sub(fix, body)


def footer(nb, page):
    run = nb.metadata.get("concurrency_lab", {}).get("render")
    if not run:
        when = datetime.fromtimestamp(page.executed.stat().st_mtime).astimezone()
        return f"<p>Executed on {when:%Y-%m-%d %H:%M %Z} (the machine was not recorded).</p>"
    when = datetime.fromisoformat(run["executed"])
    m = run.get("machine", {})
    cpus = m.get("hardwareThreads", m.get("cores"))   # "cores" in pages rendered before the rename
    where = ", ".join(x for x in (f"{cpus} CPU{'s' if cpus != 1 else ''}" if cpus else "",
                                  m.get("os", ""), f"Java {m['javaVersion']}" if m.get("javaVersion") else "") if x)
    if run.get("code_cells"):
        first = (f"Executed with its default parameters on {when:%Y-%m-%d %H:%M %Z}, in {duration(run['seconds'])}, "
                 f"on a machine with {where}; kernel: {run.get('kernel', 'unknown')}.")
    else:
        first = f"Written on {when:%Y-%m-%d %H:%M %Z}, on a machine with {where}."
    return (f"<p>{html.escape(first)}</p>\n<p>{LAB_NAME} · rendered from "
            f"<code>notebooks/{html.escape(page.rel)}</code> by <code>./lab render</code>.</p>")


def page_html(title, body, nb, page, css):
    home = os.path.relpath("index.html", os.path.dirname(page.page) or ".").replace(os.sep, "/")
    head_title = title if title == LAB_NAME else f"{title} · {LAB_NAME}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(head_title)}</title>
<style>
{css}
</style>
</head>
<body>
<header class="book-header"><div class="bar">
<a class="name" href="{home}">{LAB_NAME}</a>
<span class="tagline">{html.escape(TAGLINE)}</span>
</div></header>
<main class="notebook">
{body}
</main>
<footer class="book-footer"><div class="bar">
{footer(nb, page)}
</div></footer>
</body>
</html>
"""


def style_sheet():
    from pygments.formatters import HtmlFormatter
    css = (ASSETS / "book.css").read_text(encoding="utf-8")
    # nbconvert highlights code with Pygments: its token classes, under .highlight.
    return css + "\n/* Syntax colours (Pygments' default style). */\n" + HtmlFormatter(style="default").get_style_defs(".highlight")


def chosen_mime(output, priority):
    data = output.get("data", {})
    return next((mime for mime in priority if mime in data), None)


def render_pages(selected, pages, skipped):
    exp = exporter()
    priority = exp.config.NbConvertBase.display_data_priority   # the order the template picks a mime type in
    css = style_sheet()
    targets = {p.source.resolve(): p.html_path for p in pages}
    solutions = [(p, title_of(nbformat.read(p.source, as_version=4), p.source.stem)) for p in pages if p.is_solution]
    written = []
    for page in selected:
        nb = executed_copy(page, skipped)
        if page.page == "index.html":
            nb = with_solutions(nb, solutions, page)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
        charts = sum(1 for o in outputs if chosen_mime(o, priority) == "image/png")
        tables = sum(1 for o in outputs if chosen_mime(o, priority) == "text/html" and "<table" in o.data["text/html"])
        body, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": page.source.stem,
                                                                     "path": str(page.source.parent)}})
        body = rewrite_links(body, page, targets)
        title = title_of(nb, page.source.stem)
        page.html_path.parent.mkdir(parents=True, exist_ok=True)
        page.html_path.write_text(page_html(title, body, nb, page, css), encoding="utf-8")
        written.append((page, charts, tables))
    return written


def remove_stale(pages, book):
    """After a full run, pages and executed copies of notebooks that no longer exist go."""
    keep = {p.html_path for p in pages} | {p.executed for p in pages}
    for pattern in ("*.html", "solutions/*.html", "notebooks/*.ipynb", "notebooks/solutions/*.ipynb"):
        for path in book.glob(pattern):
            if path not in keep:
                path.unlink()
                print(f"  removed {shown(path)} (its notebook is gone)", flush=True)


# ---------------------------------------------------------------- checking the book

URL_ATTRIBUTES = {"href", "src", "srcset", "poster", "data", "action", "formaction", "background",
                  "manifest", "xlink:href", "cite", "longdesc", "ping"}
CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["']?)\s*((?:https?:)?//[^"')\s]*)""", re.I)
SCRIPT_URL = re.compile(r"""(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s"'<>]*""", re.I)


class Scan(HTMLParser):
    """Everything in a page that names another resource, and the ids that links may point at."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs, self.ids, self.inline = [], set(), []
        self._raw = None

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name == "style":
                self.inline.append(("style-attribute", line, value))
            elif name in URL_ATTRIBUTES:
                values = [v.split()[0] for v in value.split(",") if v.strip()] if name == "srcset" else [value.strip()]
                self.refs += [(tag, name, v, line) for v in values]
        if tag in ("style", "script"):
            self._raw = tag

    def handle_endtag(self, tag):
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data):
        if self._raw:
            self.inline.append((self._raw, self.getpos()[0], data))


def scan(path, cache):
    if path not in cache:
        parser = Scan()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        parser.close()
        cache[path] = parser
    return cache[path]


def check_book(written, pages, book, strict):
    """Broken relative links and network resources: (problems, warnings, links resolved, links to unrendered pages)."""
    problems, unrendered, resolved = [], {}, 0
    cache = {}
    known = {p.html_path for p in pages}
    for page, _, _ in written:
        where = page.page
        found = scan(page.html_path, cache)
        start = len(problems)
        for kind, line, text in found.inline:
            pattern = SCRIPT_URL if kind == "script" else CSS_URL
            for url in pattern.findall(text):
                holder = "a style attribute" if kind == "style-attribute" else f"a <{kind}>"
                problems.append(f"{where} line {line}: {holder} loads {url} from the network")
        for tag, attr, value, line in found.refs:
            shown_ref = f'<{tag} {attr}="{value[:80]}{"..." if len(value) > 80 else ""}">'
            parts = urllib.parse.urlsplit(value)
            scheme = parts.scheme.lower()
            if value.startswith("//") or scheme in ("http", "https"):
                if (tag, attr) != ("a", "href"):
                    problems.append(f"{where} line {line}: {shown_ref} loads a resource from the network")
                continue
            if scheme == "data" or (tag == "a" and scheme in ("mailto", "tel")):
                continue
            if scheme:
                problems.append(f"{where} line {line}: {shown_ref} uses '{scheme}:', which does not work in the book")
                continue
            if not parts.path:
                if parts.fragment not in found.ids and urllib.parse.unquote(parts.fragment) not in found.ids:
                    problems.append(f"{where} line {line}: {shown_ref} points to no anchor on this page")
                else:
                    resolved += 1
                continue
            if parts.path.startswith("/"):
                problems.append(f"{where} line {line}: {shown_ref} is an absolute path; the book needs relative links")
                continue
            target = (page.html_path.parent / urllib.parse.unquote(parts.path)).resolve()
            if not target.is_relative_to(book):
                problems.append(f"{where} line {line}: {shown_ref} points outside the book, to {shown(target)}")
            elif not target.is_file():
                if not strict and target in known:
                    unrendered.setdefault(where, set()).add(target.relative_to(book).as_posix())
                else:
                    problems.append(f"{where} line {line}: {shown_ref} points to {target.relative_to(book)}, "
                                    "which is not in the book")
            elif parts.fragment and target.suffix == ".html":
                ids = scan(target, cache).ids
                if parts.fragment not in ids and urllib.parse.unquote(parts.fragment) not in ids:
                    problems.append(f"{where} line {line}: {shown_ref}: {target.relative_to(book)} "
                                    f"has no anchor '{parts.fragment}'")
                else:
                    resolved += 1
            else:
                resolved += 1
        problems[start:] = sorted(problems[start:], key=lambda p: int(re.search(r" line (\d+):", p).group(1)))
    warnings = [f"{where} links to {len(names)} page(s) not rendered yet (a run without --only writes them): "
                + ", ".join(sorted(names)) for where, names in unrendered.items()]
    return problems, warnings, resolved, sum(len(names) for names in unrendered.values())


def embedded_charts(path, cache):
    return sum(1 for tag, attr, value, _ in scan(path, cache).refs
               if tag == "img" and attr == "src" and value.startswith("data:image/png"))


# ---------------------------------------------------------------- main

def matches(rel, pattern):
    """--only: a glob when the pattern has one ('0[1-3]-*' leaves solutions/ out), else a substring."""
    return fnmatch.fnmatchcase(rel, pattern) if any(c in pattern for c in "*?[") else pattern in rel


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kernel", default="java", help="kernel name (default: java)")
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "book", help="the book's folder (default: build/book)")
    parser.add_argument("--only", metavar="PATTERN",
                        help="render only the notebooks whose path under notebooks/ contains PATTERN, "
                             "or matches it as a glob: 03-threads, solutions/, '0[1-3]-*'")
    parser.add_argument("--skip-execute", action="store_true",
                        help="re-render the pages from the executed copies of an earlier run")
    parser.add_argument("--timeout", type=int, default=180, help="seconds one cell may run (default 180)")
    args = parser.parse_args()

    started = time.monotonic()
    book = args.output.resolve()
    pages = catalogue(book)
    selected = [p for p in pages if not args.only or matches(p.rel, args.only)]
    try:
        if not selected:
            raise Stop(f"no notebook's path contains '{args.only}' (the notebooks: {', '.join(p.rel for p in pages)})")
        if not args.skip_execute:
            execute_pages(selected, args.kernel, args.timeout)
        executed = time.monotonic()
        print(f"render: writing {len(selected)} page(s) to {shown(book)}", flush=True)
        written = render_pages(selected, pages, args.skip_execute)
        if not args.only:
            remove_stale(pages, book)
        problems, warnings, resolved, pending = check_book(written, pages, book, strict=not args.only)
        cache = {}
        for page, charts, _ in written:
            shown_charts = embedded_charts(page.html_path, cache)
            if shown_charts < charts:
                problems.append(f"{page.page} shows {shown_charts} embedded charts, but its notebook has {charts}")
    except Stop as e:
        print(f"render: FAILED: {e}", flush=True)
        return 1

    width = max(len(p.page) for p, _, _ in written)
    print(f"  {'page':<{width}}  charts  tables    size")
    for page, charts, tables in written:
        size = page.html_path.stat().st_size
        print(f"  {page.page:<{width}}  {charts:>6}  {tables:>6}  {size / 1024:>5.0f} kB")
    print(f"  {'total':<{width}}  {sum(c for _, c, _ in written):>6}  {sum(t for _, _, t in written):>6}")
    for warning in warnings:
        print(f"  note: {warning}")
    for problem in problems:
        print(f"  FAIL {problem}")
    total = time.monotonic() - started
    timing = (f"{duration(total)} (executing {duration(executed - started)}, rendering and checking "
              f"{duration(total - (executed - started))})" if not args.skip_execute else duration(total))
    if problems:
        print(f"render: FAILED: {len(problems)} problem(s) in the pages above; {len(written)} page(s) written "
              f"in {timing}")
        return 1
    charts = sum(c for _, c, _ in written)
    print(f"render: {len(written)} page(s), {charts} chart{'s' if charts != 1 else ''} in {shown(book)}; "
          f"{'all ' if not pending else ''}{resolved} relative links and images resolve"
          f"{f' ({pending} more to pages not rendered yet)' if pending else ''}; nothing loads from the network; {timing}")
    if (book / "index.html").exists():
        print(f"render: open {shown(book / 'index.html')} in a browser")
    return 0


if __name__ == "__main__":
    sys.exit(main())
