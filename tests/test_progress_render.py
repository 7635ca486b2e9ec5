"""The renderers of `fxfk deadlines` in-process (fast), on tests/corpus/deadlines.

The CLI tests (test_progress_cli.py) run the real command; these check layout details exactly.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from fxfk.load.repository import load_repository
from fxfk.options import Options
from fxfk.render.tasks import (
    render_guidance_markdown,
    render_guidance_text,
    render_tasks_markdown,
    render_tasks_text,
)
from fxfk.render.text import width as display_width
from fxfk.tasks.guidance import guidance_report
from fxfk.tasks.status import task_report

CORPUS = Path(__file__).parent / "corpus" / "deadlines"
NO_CACHE = Options(cache=False)  # read in place: write no .fxfk-cache into the checkout
REPO = load_repository(CORPUS, NO_CACHE)


def tasks_text(today: str, color: bool = False, **kw) -> str:
    return render_tasks_text(task_report(REPO, 2019, dt.date.fromisoformat(today), **kw), color=color)


def test_text_matrix_lists_and_summary():
    lines = tasks_text("2019-09-10").splitlines()
    assert lines[0] == "2019年度工作任务表：截至 2019-09-10，即将到期提醒窗口 14 天"
    assert lines[2:6] == [
        "单位            1      2.2    3.1    3.2    5.1",
        "甲区商务局      ~不限  ✓完成  ✓完成  ✓完成  -",
        "市场体系建设处  ✓完成  >进行  ✓迟完  !临期  >进行",
        "商务信息中心    ✓完成  >进行  ✗逾期  !临期  -",
    ]
    # CJK-aware alignment: every column starts at the same display column
    starts = [[display_width(line[: m.start()]) for m in re.finditer(r"(?<=  )\S", line)] for line in lines[2:6]]
    assert all(s == starts[0] for s in starts)
    assert "已逾期（1）：" in lines
    overdue = lines[lines.index("已逾期（1）：") + 1]
    assert overdue == (
        # the deadline word with the day it means and why (issue 15 item 7)
        "  ✗逾期  3.1 梳理违法风险点、制定防控措施时征求意见情况 · 商务信息中心 — 8 月中旬 → 8月20日（中旬按20日计），"
        "已逾期 15 个工作日，已完成 0/1"
    )
    soon = lines[lines.index("即将到期（2）：") + 1 :][:2]
    assert [s.split(" · ")[1].split(" — ")[0] for s in soon] == ["市场体系建设处", "商务信息中心"]
    assert "还剩 8 个工作日（含今天）" in soon[0]  # 13 Sep 2019 is 中秋: 8, not 9
    assert lines[-1] == "合计：已完成 5，逾期完成 1，已逾期 1，即将到期 2，进行中 3，无固定时限 1"
    assert any(line.startswith("图例：✓完成 已完成　✓迟完 逾期完成　✗逾期 已逾期") for line in lines)


def test_overdue_list_is_worst_first():
    # on 2019-11-25 2.2 (due 11-20) and 3.1/3.2 are overdue: the oldest deadline leads
    lines = tasks_text("2019-11-25").splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("已逾期（"))
    listed = [line.split("  ")[2].split(" ")[0] for line in lines[i + 1 :] if line.startswith("  ✗")]
    assert listed == sorted(listed, key=lambda t: {"3.1": 0, "3.2": 1, "2.2": 2}[t])
    assert listed[0] == "3.1" and listed[-1] == "2.2"


def test_colour_adds_only_escapes():
    plain = tasks_text("2019-09-10")
    coloured = tasks_text("2019-09-10", color=True)
    assert "\033[1;31m✗逾期\033[0m" in coloured
    assert re.sub(r"\033\[[0-9;]*m", "", coloured) == plain


def test_office_subset_keeps_not_applicable_columns():
    lines = tasks_text("2019-09-10", offices=["county"]).splitlines()
    assert lines[2:4] == ["单位        1      2.2    3.1    3.2    5.1", "甲区商务局  ~不限  ✓完成  ✓完成  ✓完成  -"]


def test_markdown():
    out = render_tasks_markdown(task_report(REPO, 2019, dt.date(2019, 9, 10)))
    assert "| 单位 | 1 | 2.2 | 3.1 | 3.2 | 5.1 |" in out
    assert "| 商务信息中心 | ✓ 已完成 | > 进行中 | ✗ 已逾期 | ! 即将到期 | — |" in out
    assert "| 2.2 | 落实标准 | 培育指导服务型行政执法示范点情况（不少于 3 次） | 11 月中旬 → 11月20日（中旬按20日计） |" in out
    assert "### 已逾期（1）" in out


def test_guidance_text():
    out = render_guidance_text(guidance_report(REPO, dt.date(2019, 9, 20)))
    lines = out.splitlines()
    i = lines.index("甲区商务局（需指导 2 / 已公布 4）：")
    assert lines[i + 1] == (
        "  ✗逾期  高  AL-A-001  回收企业拆解报废机动车未按规定登记 — 上次指导 2019-05-01，"
        "应于 2019-07-30 前指导，已逾期 37 个工作日"
    )
    assert lines[i + 2].startswith("  !临期  高  AL-A-002")
    assert "还剩 7 个工作日（含今天）" in lines[i + 2]  # Sunday 29 Sep 2019 is a make-up working day
    assert "AL-A-003" not in out  # guided recently: counted, not listed
    assert "市场体系建设处（需指导 1 / 已公布 1）：" in lines
    assert "公布（2019-01-10）后从未指导，应于 2019-07-09 前指导" in out
    assert lines[-1] == "合计：已公布风险点 5 个；已逾期 2，即将到期 1，未到期 2"


def test_guidance_after_later_activity_and_batch():
    rows = {g.risk_id: g for g in guidance_report(REPO, dt.date(2019, 12, 21)).rows}
    assert rows["AL-A-001"].last_guidance == dt.date(2019, 12, 20) and rows["AL-A-001"].status.value == "pending"
    assert rows["AL-A-005"].due == dt.date(2020, 5, 29)  # batch 2 of 2019-12-01 + 180 days
    assert "AL-A-006" not in rows  # draft


def test_guidance_markdown():
    out = render_guidance_markdown(guidance_report(REPO, dt.date(2019, 9, 20)))
    # 社会关注度 column (issue 15 item 4): none given in this corpus
    assert "| 高 | — | AL-A-001 | 回收企业拆解报废机动车未按规定登记 | 2019-05-01 | 2019-07-30 | ✗ 已逾期 |" in out
    assert "| 低 | — | AL-A-004 | 洗染店未明示服务项目和收费标准 | 从未 | 2020-02-29 | > 未到期 |" in out
