"""The floor of each command: what a bare, single-process loop doing the same work costs (issue 19).

Each floor is a code string run as ``python -c FLOOR <corpus> [<out dir>]`` on a generated corpus
(tests/corpus_generator.py), like ``bench_validate.FLOOR``: read every file with
``yaml.load(CSafeLoader)`` and ``model_validate`` it, one at a time, then do the command's own work the
plain way a competent engineer would without fxfk — no cache, no worker processes, no positions, no
sandbox, no checks beyond the models. The day is fixed as bench_scale.py fixes it for the commands.
The last line a floor prints splits its time: reading and validating the files, and the rest (the
command's own work, imports and start-up).
They are slow (every file parsed from YAML): ``bench_scale.py --floors`` runs them.
"""

from __future__ import annotations

# Shared by every floor: the settings, and every register parsed and validated in turn.
# The time spent reading and validating is summed apart, and the last line printed splits the total.
_LOAD = r"""
import atexit, datetime as dt, json, sys, time, yaml
from pathlib import Path
from fxfk.models import Register, Settings, TaskTable
started, reading = time.perf_counter(), [0.0]
atexit.register(lambda: print(f"read+validate {reading[0]:.1f} s, the rest {time.perf_counter() - started - reading[0]:.1f} s"))
def read(model, p):
    t = time.perf_counter()
    m = model.model_validate(yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
    reading[0] += time.perf_counter() - t
    return m
root = Path(sys.argv[1])
settings = read(Settings, root / "fxfk.yaml")
def registers():
    for p in sorted((root / "data" / "risks").glob("*.yaml")):
        yield p, read(Register, p)
def tables():
    for p in sorted((root / "data" / "tasks").glob("*.yaml")):
        yield read(TaskTable, p)
def public(reg, today):
    dates = {b.id: b.date for b in reg.batches}
    return [r for r in reg.risks if r.status.value == "published" and r.batch in dates and dates[r.batch] <= today]
"""

# classify --format json: the rule's level and its reasons for every point, as one JSON list.
FLOOR_CLASSIFY = _LOAD + r"""
from fxfk.rules.levels import explain
rows = []
for p, reg in registers():
    for r in reg.risks:
        e = explain(r.factors, settings.levels)
        rows.append({"office": reg.office.id, "id": r.id, "title": r.title, "declared": r.level.value,
                     "computed": e.level.value, "clause": e.clause.ref, "facts": [f.field for f in e.facts],
                     "agrees": e.level is r.level, "clause_text": e.clause.wording,
                     "overridden": [f.field for f in e.overridden], "domain": r.domain,
                     "file": p.relative_to(root).as_posix()})
sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")  # then the split (atexit)
"""

# deadlines --format json: every (task, office) pair's progress, state and working days left.
FLOOR_DEADLINES = _LOAD + r"""
from fxfk.tasks.deadline import read_deadline
from fxfk.tasks.status import applies_to, combined, progress, progress_by_kind, row_target, task_state
from fxfk.tasks.workdays import WorkCalendar
today = dt.date(2019, 11, 10)
table = next(t for t in tables() if t.year == 2019)
offices = [(reg.office, reg.activities) for _, reg in registers()]  # a register's points are not needed
calendar, rows = WorkCalendar(), []
for task in table.tasks:
    due = read_deadline(task.deadline, table.year).due
    for office, activities in offices:
        if not applies_to(task, office):
            continue
        kinds = progress_by_kind(task, activities, table.year, today)
        done, completed = combined(kinds) if kinds else progress(task, activities, table.year, today)
        state = task_state(due, completed, today, settings.due_soon_days)
        left = calendar.working_days_left(today, due) if due and state.value in ("overdue", "due_soon", "pending") else None
        rows.append({"task": task.id, "office": office.id, "status": state.value, "due": due and due.isoformat(),
                     "done": done, "target": row_target(task), "completed_on": completed and completed.isoformat(),
                     "working_days_left": left})
sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")  # then the split (atexit)
"""

# publish --format html,md,csv: one list per office and one city-wide list, each in three formats.
FLOOR_PUBLISH = _LOAD + r"""
import csv, io, jinja2
out = Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
today = dt.date(2019, 12, 31)
html = jinja2.Environment(autoescape=True).from_string(
    "<!doctype html><meta charset=utf-8><title>{{ title }}</title><h1>{{ title }}</h1><table>"
    "<tr><th>编号<th>违法风险点<th>领域<th>等级<th>依据<th>防控措施<th>责任单位</tr>"
    "{% for r in rows %}<tr><td>{{ r.id }}<td>{{ r.title }}<td>{{ r.domain }}<td>{{ r.level }}"
    "<td>{{ r.basis }}<td>{{ r.measures }}<td>{{ r.office }}</tr>{% endfor %}</table>\n")
md = jinja2.Environment(autoescape=False).from_string(
    "# {{ title }}\n\n| 编号 | 违法风险点 | 领域 | 等级 | 依据 | 防控措施 | 责任单位 |\n|---|---|---|---|---|---|---|\n"
    "{% for r in rows %}| {{ r.id }} | {{ r.title }} | {{ r.domain }} | {{ r.level }} | {{ r.basis }} | "
    "{{ r.measures }} | {{ r.office }} |\n{% endfor %}")
def write(stem, title, rows):
    (out / f"{stem}.html").write_text(html.render(title=title, rows=rows), encoding="utf-8")
    (out / f"{stem}.md").write_text(md.render(title=title, rows=rows), encoding="utf-8")
    text = io.StringIO()
    w = csv.writer(text)
    w.writerow(["编号", "违法风险点", "领域", "等级", "依据", "防控措施", "责任单位"])
    w.writerows([r["id"], r["title"], r["domain"], r["level"], r["basis"], r["measures"], r["office"]] for r in rows)
    (out / f"{stem}.csv").write_text(text.getvalue(), encoding="utf-8-sig")
city = []
for _, reg in registers():
    rows = [{"id": r.id, "title": r.title, "domain": r.domain, "level": r.level.label, "office": reg.office.name,
             "basis": "；".join(f"《{b.law}》{b.article}" for b in r.basis),
             "measures": "；".join(m.text for m in r.measures)} for r in public(reg, today)]
    write(reg.office.id, f"{reg.office.name}违法风险点清单", rows)
    city += rows
write("city", f"{settings.organization}违法风险点清单", city)
"""

# report --format html: counts per office (points by level and status, activities, guidance) on one page.
FLOOR_REPORT = _LOAD + r"""
from collections import Counter
from html import escape
out = Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
today = dt.date(2019, 12, 31)
lines, total = [], Counter()
for _, reg in registers():
    n = Counter()
    for r in reg.risks:
        n[r.level.value] += 1
        n[r.status.value] += 1
    n["public"] = len(public(reg, today))
    n["activities"] = sum(1 for a in reg.activities if a.date <= today)
    n["guidance"] = sum(1 for a in reg.activities if a.date <= today and a.kind.value == "guidance")
    total.update(n)
    lines.append("<tr><td>" + escape(reg.office.name) + "".join(f"<td>{n[k]}" for k in
                 ("high", "medium", "low", "public", "activities", "guidance")) + "</tr>")
page = (f"<!doctype html><meta charset=utf-8><title>进展与评估报告</title><h1>{escape(settings.organization)}</h1>"
        f"<p>截至 {today.isoformat()}：风险点 {total['high'] + total['medium'] + total['low']} 个，已公布 {total['public']} 个</p>"
        "<table><tr><th>单位<th>高<th>中<th>低<th>已公布<th>工作记录<th>行政指导</tr>" + "\n".join(lines) + "</table>\n")
(out / "report.html").write_text(page, encoding="utf-8")
"""

FLOORS = {"classify": FLOOR_CLASSIFY, "deadlines": FLOOR_DEADLINES, "publish": FLOOR_PUBLISH, "report": FLOOR_REPORT}
