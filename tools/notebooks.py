#!/usr/bin/env python3
"""Keeps the notebooks in shape: navigation links, the index's lesson list, and the checks
that `./lab test` runs on the notebooks as stored.

    python3 tools/notebooks.py nav     # rewrite navigation cells and the lesson list
    python3 tools/notebooks.py check   # fail if a notebook is invalid, holds outputs or has stale links
    python3 tools/notebooks.py strip   # remove outputs and execution counts in place

Needs only the standard library; `check` also validates against the nbformat schema when
the nbformat package is importable.
"""
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
JAR = ROOT / "lib" / "target" / "concurrency-lab.jar"
LESSONS_FILE = NOTEBOOKS / "lessons.json"
NAV_TAG = "nav"
LIST_TAG = "lesson-list"
KERNEL_NAME = "java"


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def save(path, nb):
    # The same layout nbformat writes, so that saving from Jupyter makes no spurious diff.
    with open(path, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")


def source(cell):
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def lines(text):
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def markdown(cell_id, text, tag):
    return {"cell_type": "markdown", "id": cell_id, "metadata": {"tags": [tag]}, "source": lines(text)}


def all_notebooks():
    return sorted(p for p in NOTEBOOKS.rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts and "build" not in p.relative_to(NOTEBOOKS).parts)


def catalogue():
    data = load(LESSONS_FILE)
    lessons = data["lessons"]
    tracks = {track["id"]: track for track in data["tracks"]}
    for lesson in lessons:
        lesson["ready"] = (NOTEBOOKS / lesson["file"]).exists()
        lesson["label"] = f"{lesson['number']} · {lesson['title']}"
        if lesson.get("track") not in tracks:
            raise SystemExit(f"{LESSONS_FILE.name}: lesson {lesson['number']} names track {lesson.get('track')!r}; "
                             f"the tracks are {', '.join(tracks)}")
    return data["index"], lessons


def tracks_of(lessons):
    """The tracks in the order lessons.json lists them, each with its lessons in order."""
    data = load(LESSONS_FILE)
    return [(track, [l for l in lessons if l["track"] == track["id"]]) for track in data["tracks"]]


def link(lesson, arrow_after=False, arrow_before=False):
    text = lesson["label"]
    if lesson["ready"]:
        shown = f"[{'← ' if arrow_before else ''}{text}{' →' if arrow_after else ''}]({lesson['file']})"
    else:
        shown = f"{'← ' if arrow_before else ''}{text} (coming){' →' if arrow_after else ''}"
    return shown


def nav_text(index, lessons, i):
    previous = lessons[i - 1] if i > 0 else None
    following = lessons[i + 1] if i + 1 < len(lessons) else None
    parts = ([link(previous, arrow_before=True)] if previous else []) + [f"[{index['title']}]({index['file']})"]
    if following:
        parts.append(link(following, arrow_after=True))
    return "Concurrency Lab · " + " · ".join(parts)


def lesson_list(lessons):
    parts = []
    for track, members in tracks_of(lessons):
        rows = [f"### {track['title']}", "", track["intro"], "", "| # | Lesson | What it answers |", "|---|---|---|"]
        for lesson in members:
            name = f"[{lesson['title']}]({lesson['file']})" if lesson["ready"] else f"{lesson['title']} *(coming)*"
            rows.append(f"| {lesson['number']} | {name} | {lesson['summary']} |")
        parts.append("\n".join(rows))
    return "\n\n".join(parts)


def with_navigation(nb, text):
    cells = [c for c in nb["cells"] if NAV_TAG not in tags(c)]
    nb = dict(nb)
    nb["cells"] = [markdown("nav-top", text, NAV_TAG)] + cells + [markdown("nav-bottom", text, NAV_TAG)]
    return nb


def with_lesson_list(nb, lessons, index):
    cells = []
    found = False
    for cell in nb["cells"]:
        if LIST_TAG in tags(cell):
            cell = markdown(cell.get("id", "lesson-list"), lesson_list(lessons), LIST_TAG)
            found = True
        cells.append(cell)
    if not found:
        raise SystemExit(f"{index['file']}: no cell tagged '{LIST_TAG}' to hold the lesson list")
    first = next((l for l in lessons if l["ready"]), None)
    nb = dict(nb)
    nb["cells"] = [c for c in cells if NAV_TAG not in tags(c)]
    if first:
        nb["cells"].append(markdown("nav-bottom", f"Concurrency Lab · start with {link(first, arrow_after=True)}", NAV_TAG))
    return nb


README = ROOT / "README.md"
README_BLOCK = re.compile(r"(<!-- lessons:start[^>]*-->\n)(.*?)(<!-- lessons:end -->)", re.S)


def readme_lessons(lessons, index):
    rows = [f"[{index['title']}](notebooks/{index['file']}): where to start, and how to use a lesson."]
    for track, members in tracks_of(lessons):
        rows += ["", f"**{track['title']}.** {track['intro']}", "",
                 "| # | Lesson | What it answers | Status |", "|---|---|---|---|"]
        for lesson in members:
            name = f"[{lesson['title']}](notebooks/{lesson['file']})" if lesson["ready"] else lesson["title"]
            rows.append(f"| {lesson['number']} | {name} | {lesson['summary']} | {'ready' if lesson['ready'] else 'coming'} |")
    return "\n".join(rows) + "\n"


def expected_readme():
    index, lessons = catalogue()
    text = README.read_text(encoding="utf-8")
    if not README_BLOCK.search(text):
        raise SystemExit("README.md has no <!-- lessons:start --> ... <!-- lessons:end --> block for the lesson list")
    return README_BLOCK.sub(lambda m: m.group(1) + readme_lessons(lessons, index) + m.group(3), text, count=1)


def expected():
    """Every notebook that navigation touches, as it should be on disk."""
    index, lessons = catalogue()
    result = {}
    index_path = NOTEBOOKS / index["file"]
    result[index_path] = with_lesson_list(load(index_path), lessons, index)
    for i, lesson in enumerate(lessons):
        path = NOTEBOOKS / lesson["file"]
        if lesson["ready"]:
            result[path] = with_navigation(load(path), nav_text(index, lessons, i))
    return result


def cmd_nav():
    changed = 0
    for path, nb in expected().items():
        if load(path) != nb:
            save(path, nb)
            changed += 1
            print(f"updated {path.relative_to(ROOT)}")
    readme = expected_readme()
    if README.read_text(encoding="utf-8") != readme:
        README.write_text(readme, encoding="utf-8")
        changed += 1
        print("updated README.md")
    print(f"navigation: {changed} file(s) updated")


LINK = re.compile(r"\]\(([^)\s]+)\)")


def problems_of(path, nb, lesson_files):
    rel = path.relative_to(ROOT)
    found = []
    if nb.get("nbformat") != 4:
        found.append(f"{rel}: nbformat is {nb.get('nbformat')}, must be 4")
    try:
        import nbformat
        try:
            nbformat.validate(nbformat.from_dict(nb))
        except nbformat.ValidationError as e:
            found.append(f"{rel}: not valid nbformat 4: {str(e).splitlines()[0]}")
    except ImportError:
        pass
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    if kernel != KERNEL_NAME:
        found.append(f"{rel}: kernelspec name is {kernel!r}, must be {KERNEL_NAME!r} (the lab's Java kernel)")
    for n, cell in enumerate(nb["cells"], 1):
        if cell.get("outputs"):
            found.append(f"{rel}: cell {n} holds outputs (run: python3 tools/notebooks.py strip)")
        if cell.get("execution_count") is not None:
            found.append(f"{rel}: cell {n} holds an execution count (run: python3 tools/notebooks.py strip)")
        if cell["cell_type"] == "markdown":
            for target in LINK.findall(source(cell)):
                if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                    continue
                file_part = target.split("#")[0]
                if file_part and not (path.parent / file_part).exists():
                    found.append(f"{rel}: cell {n} links to {target}, which does not exist")
    if path.name in lesson_files:
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        jar = os.path.relpath(JAR, path.parent)
        if not code or source(code[0]).strip() != f"%jars {jar}":
            found.append(f"{rel}: the first code cell must be the one-line setup '%jars {jar}'")
        tagged = [c for c in code if "parameters" in tags(c)]
        if len(tagged) != 1:
            found.append(f"{rel}: needs exactly one code cell tagged 'parameters' (has {len(tagged)})")
        elif code.index(tagged[0]) != 1:
            found.append(f"{rel}: the 'parameters' cell must be the first code cell after the setup cell")
    solution_of = nb.get("metadata", {}).get("concurrency_lab", {}).get("solution_of")
    if solution_of:
        found += solution_problems(rel, nb, path.parent.parent / solution_of)
    return found


def solution_problems(rel, nb, lesson_path):
    """A worked solution runs its lesson's check cell, unchanged, so the check it passes is the learner's."""
    if not lesson_path.exists():
        return [f"{rel}: is the solution of {lesson_path.name}, which does not exist"]
    def check_cells(notebook):
        return [source(c) for c in notebook["cells"] if c["cell_type"] == "code" and "check" in tags(c)]
    mine, theirs = check_cells(nb), check_cells(load(lesson_path))
    if len(mine) != 1 or len(theirs) != 1:
        return [f"{rel}: it and {lesson_path.name} need exactly one cell tagged 'check' each (have {len(mine)} and {len(theirs)})"]
    if mine[0] != theirs[0]:
        return [f"{rel}: its check cell differs from {lesson_path.name}'s: copy the lesson's check unchanged"]
    return []


def cmd_check():
    _, lessons = catalogue()
    lesson_files = {l["file"] for l in lessons}
    problems = []
    notebooks = all_notebooks()
    for path in notebooks:
        try:
            nb = load(path)
        except (OSError, json.JSONDecodeError) as e:
            problems.append(f"{path.relative_to(ROOT)}: not readable JSON: {e}")
            continue
        problems += problems_of(path, nb, lesson_files)
    for path, nb in expected().items():
        if path.exists() and load(path) != nb:
            problems.append(f"{path.relative_to(ROOT)}: navigation or lesson list is stale (run: ./lab nav)")
    if README.read_text(encoding="utf-8") != expected_readme():
        problems.append("README.md: its lesson list is stale (run: ./lab nav)")
    for p in problems:
        print(f"  FAIL {p}")
    print(f"  {len(notebooks)} notebooks checked, {len(problems)} problem(s)")
    return 1 if problems else 0


def cmd_strip(paths):
    for path in (Path(p) for p in paths) if paths else all_notebooks():
        nb = load(path)
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                cell["outputs"] = []
                cell["execution_count"] = None
        save(path, nb)
        print(f"stripped {path}")


def main(argv):
    if len(argv) < 2 or argv[1] not in ("nav", "check", "strip"):
        print(__doc__)
        return 2
    if argv[1] == "nav":
        cmd_nav()
        return 0
    if argv[1] == "check":
        return cmd_check()
    cmd_strip(argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
