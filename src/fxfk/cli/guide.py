"""`fxfk guide letter`, `fxfk guide due` and `fxfk guide log`: administrative guidance in practice."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from fxfk.cli.options import OFFICE_HELP, RootOption, load_options, office_ids, parse_day, resolve_root

if TYPE_CHECKING:
    import datetime as dt

    from fxfk.load.repository import Repository
    from fxfk.options import Options
    from fxfk.render.letter import Letter

app = typer.Typer(
    help=(
        "行政指导（附件1 二（五））：按风险等级生成提示函、列出应当指导的风险点、记录指导情况。\n\n"
        "示例：\n\n"
        "    fxfk guide letter JS-YFK-001 --to 某某美容美发店 --date 2020-01-06\n\n"
        "    fxfk guide due --date 2020-03-01 --letters\n\n"
        "    fxfk guide log JS-YFK-001 --date 2020-01-06 --counterparts 12"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)

MARKER = ".fxfk-guide"
MARKER_TEXT = "此目录由 fxfk guide 生成，每次生成提示函会整体替换。\n"
LETTER_FORMATS = ["docx", "html", "md"]
DateOption = typer.Option(None, "--date", metavar="〈日期〉", help="提示函的成文日期 / 计算到期的日期（YYYY-MM-DD），缺省为今天。", show_default=False)
OutOption = typer.Option(Path("letters"), "--out", "-o", metavar="〈目录〉", help="输出目录；每次整体替换（缺省 letters/）。", file_okay=False)
FormatOption = typer.Option("docx,html,md", "--format", "-f", metavar="docx,html,md", help="提示函格式，逗号分隔：docx、html、md（也可写 markdown）。")
WithinOption = typer.Option(15, "--within", metavar="〈天数〉", min=1, max=365, help="自查整改期限：成文日期后多少天（缺省 15）。")


def _formats(value: str) -> list[str]:
    from fxfk.errors import FxfkError
    from fxfk.models.text import echo

    chosen: list[str] = []
    for item in value.split(","):
        name = {"markdown": "md"}.get(item.strip().lower(), item.strip().lower())
        if name not in LETTER_FORMATS:
            raise FxfkError(f"--format 的值“{echo(item)}”无效；可用的值：docx、html、md")
        if name not in chosen:
            chosen.append(name)
    return chosen


def _checked(data_root: Path, options: Options) -> Repository:
    """The repository, refused (exit 1) when validation finds errors: a letter cites the register."""
    import dataclasses

    from fxfk.errors import DataRefused
    from fxfk.rules.validation import validate

    result = validate(data_root, dataclasses.replace(options, date=None))
    if result.errors:
        raise DataRefused("数据有错误，fxfk guide 不在有错误的数据上生成提示函；请先修正：", result.diagnostics, files=result.files)
    return result.loaded_repo


def _write(out: Path, data_root: Path, groups: dict[str, list[Letter]], formats: list[str], named: bool) -> int:
    """The letters into ``out`` (one subfolder per key, or ``out`` itself for the key ""), swapped in whole."""
    from fxfk.publish.output import write_atomically
    from fxfk.render.letter import write_letters

    def fill(tmp: Path) -> int:
        n = 0
        for key, letters in groups.items():
            folder = tmp / key if key else tmp
            folder.mkdir(exist_ok=True)
            n += len(write_letters(folder, letters, formats, data_root, named))
        return n

    return write_atomically(out, data_root, fill, MARKER, MARKER_TEXT, what="提示函", command="fxfk guide")


@app.command("letter")
def letter_command(
    risk_id: str = typer.Argument(..., metavar="〈风险点编号〉", help="风险点编号，如 JS-YFK-001。"),
    to: Optional[List[str]] = typer.Option(
        None, "--to", metavar="〈单位名称〉", show_default=False,
        help="主送单位（可重复，每个单位一份提示函）；缺省主送“各有关经营者”。单位名称只写入提示函，不写入登记册。",
    ),
    date: Optional[str] = DateOption,
    format: str = FormatOption,
    within: int = WithinOption,
    out: Path = OutOption,
    root: Optional[Path] = RootOption,
) -> None:
    """为一个风险点生成行政指导提示函（风险提示告知书）：每个主送单位一份。

    内容：标题、主送单位、风险提示（违法行为表现形式、危害后果）、法律依据和法律责任（违法依据、处罚依据、
    裁量标准）、自查整改期限和本单位可提供的帮助（防控措施中的“指导”“疏导”）、咨询电话（单位的联系电话）、
    落款和日期。DOCX 按公文格式（GB/T 9704）排版；HTML 和 Markdown 的模板可由数据仓库的
    templates/guide/ 覆盖。提示函中出现身份证号或手机号时拒绝生成。

    示例：

        fxfk guide letter JS-YFK-001 --to 某某美容美发店 --to 某某健身会所 --date 2020-01-06
    """
    from fxfk.render.letter import build_letter, check_addressee, find_risk, require_published

    data_root = resolve_root(root)
    formats = _formats(format)
    day = parse_day(date)
    options = load_options(day)
    names: list[str | None] = [check_addressee(n, k) for k, n in enumerate(to or [], 1)]
    register, risk = find_risk(_checked(data_root, options), risk_id)
    require_published(register, risk, day)
    letters = [build_letter(register, risk, day, name, within) for name in names or [None]]
    n = _write(out, data_root, {"": letters}, formats, named=bool(names))
    typer.echo(f"已写入 {n} 个文件到 {out}/：{risk.id} 的提示函 {len(letters)} 份（{'、'.join(formats)}）")


@app.command("due")
def due_command(
    office: Optional[List[str]] = typer.Option(None, "--office", help="只看这些单位：" + OFFICE_HELP, show_default=False),
    date: Optional[str] = DateOption,
    letters: bool = typer.Option(False, "--letters", help="同时为每个应指导的风险点生成提示函（每个单位一个子目录）。"),
    format: str = FormatOption,
    within: int = WithinOption,
    out: Path = OutOption,
    json: bool = typer.Option(False, "--json", help="以 JSON 输出计划（供其他程序读取）。"),
    root: Optional[Path] = RootOption,
) -> None:
    """本期行政指导计划：已逾期和即将到期的已公布风险点，按风险等级、社会关注度排序。

    到期按 fxfk deadlines --guidance 的规则计算（fxfk.yaml 的 guidance_days，缺省高风险 90 天、中风险
    180 天、低风险 365 天；上次指导或公布日期起算）。加 --letters 时为每个风险点生成主送“各有关经营者”的
    提示函，写入 --out 下以单位标识命名的子目录。

    示例：

        fxfk guide due --date 2020-03-01

        fxfk guide due --office jinshui --date 2020-03-01 --letters --format docx
    """
    from fxfk.cli.options import date_arithmetic, use_color
    from fxfk.cli.output import text_columns
    from fxfk.render.letter import build_letter, find_risk, render_plan
    from fxfk.tasks.guidance import due_plan, guidance_report

    data_root = resolve_root(root)
    formats = _formats(format)
    day = parse_day(date)
    options = load_options(day)
    names = office_ids(data_root, office, options)
    repo = _checked(data_root, options)
    with date_arithmetic("行政指导频次 guidance_days"):
        plan = due_plan(guidance_report(repo, day, names))
    typer.echo(render_plan(plan, "json" if json else "text", color=not json and use_color(), columns=text_columns(None)), nl=False)
    if letters and plan.rows:
        groups: dict[str, list[Letter]] = {}
        for row in plan.rows:
            register, risk = find_risk(repo, row.risk_id)
            groups.setdefault(row.office_id, []).append(build_letter(register, risk, day, None, within))
        n = _write(out, data_root, groups, formats, named=False)
        typer.echo(f"已写入 {n} 个文件到 {out}/：{len(plan.rows)} 个风险点的提示函，{len(groups)} 个单位", err=json)


def _show(day: dt.date) -> str:
    return day.isoformat()


@app.command("log")
def log_command(
    risk_id: str = typer.Argument(..., metavar="〈风险点编号〉", help="风险点编号，如 JS-YFK-001。"),
    date: str = typer.Option(..., "--date", metavar="〈日期〉", help="开展行政指导的日期（YYYY-MM-DD）。"),
    counterparts: Optional[int] = typer.Option(None, "--counterparts", metavar="〈人数〉", min=0, help="指导的行政相对人数（新记录必填）。", show_default=False),
    corrected: Optional[int] = typer.Option(None, "--corrected", metavar="〈人数〉", min=0, help="其中已纠正数；可以以后再补写到同一条记录。", show_default=False),
    note: Optional[str] = typer.Option(None, "--note", metavar="〈说明〉", help="内部说明（不要写企业名称和个人信息）。", show_default=False),
    root: Optional[Path] = RootOption,
) -> None:
    """把一次行政指导记入风险点所属单位的登记册（activities 中 kind: guidance 的一条记录）。

    同一风险点、同一日期的行政指导记录视为同一条：再次运行会修改它（例如以后补写 --corrected），
    不会重复追加。只追加或替换这几行文字，文件其余部分一字不改；只记人数，不记企业名称。

    示例：

        fxfk guide log JS-YFK-001 --date 2020-01-06 --counterparts 12

        fxfk guide log JS-YFK-001 --date 2020-01-06 --corrected 10
    """
    from fxfk.edit.guidance_log import log_guidance

    data_root = resolve_root(root)
    day = parse_day(date)
    result = log_guidance(data_root, risk_id, day, counterparts, corrected, note, load_options())
    done = "已追加" if result.created else "已修改"
    fixed = f"，已纠正 {result.corrected}" if result.corrected is not None else ""
    typer.echo(f"{done} {result.rel}:{result.line}：{result.risk_id} 于 {_show(day)} 行政指导 {result.counterparts} 个行政相对人{fixed}")
