"""Generate a synthetic data repository of N offices × M risk points in the spec format.

    python tests/corpus_generator.py OUT --offices 200 --risks 50

Used by the tests (``from corpus_generator import generate``: pytest puts ``tests/`` on ``sys.path``) and
by the benchmarks under ``benchmarks/``, which add ``tests/`` to ``sys.path`` themselves.

The text is realistic Chinese drawn from the commerce domains; every file validates clean, so the
benchmark measures the normal path (parsing, models, cross-file checks), not error reporting.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

DOMAINS = [
    ("单用途商业预付卡", "单用途商业预付卡管理办法（试行）", "商务部令2012年第9号", "第三十六条",
     "发卡企业未按规定办理备案", "责令限期改正；逾期仍不改正的，处以1万元以上3万元以下罚款"),
    ("报废机动车回收", "报废机动车回收管理办法", "国务院令第715号", "第二十一条",
     "回收企业未如实记录报废机动车信息", "由商务主管部门责令改正，没收违法所得，处违法所得1倍以上5倍以下的罚款"),
    ("再生资源回收", "再生资源回收管理办法", "商务部令2007年第8号", "第二十三条",
     "回收经营者未按规定备案", "由商务主管部门给予警告，责令其限期改正；逾期拒不改正的，可视情节轻重，处500元以上2000元以下罚款"),
    ("洗染", "洗染业管理办法", "商务部、国家工商行政管理总局、国家环境保护总局令2007年第5号", "第二十四条",
     "洗染店未明示服务项目和收费标准", "责令改正；拒不改正的，处以1万元以下罚款"),
    ("美容美发", "美容美发业管理暂行办法", "商务部令2004年第19号", "第二十条",
     "美容美发经营者未明示服务项目", "责令改正；拒不改正的，处以1万元以下罚款"),
    ("拍卖", "拍卖管理办法", "商务部令2004年第24号", "第六十四条",
     "拍卖企业未按规定办理备案", "责令改正，并处1万元以下的罚款"),
]
CAUSES_AGENCY = ["监管不到位", "执法理念落后", "制度不完善", "宣传不到位"]
CAUSES_COUNTERPART = ["法治观念淡薄", "违法成本低", "经济利益驱动", "侥幸心理", "疏忽大意"]
COUNTIES = ["金水", "二七", "中原", "管城", "惠济", "上街", "中牟", "巩义", "荥阳", "新密", "新郑", "登封"]


def _office_file(index: int, risks: int, rng: random.Random) -> tuple[str, str]:
    oid = f"office-{index:05d}"
    name = f"{COUNTIES[index % len(COUNTIES)]}第{index}商务局"
    lines = [
        "# yaml-language-server: $schema=../../schemas/register.schema.json",
        "office:", f"  id: {oid}", f"  name: {name}", "  kind: county", f"  phone: 0371-6{index:07d}",
        "batches:", "  - id: 1", "    date: 2019-09-16", "  - id: 2", "    date: 2019-11-20",
        "risks:",
    ]
    risk_ids = []
    for j in range(risks):
        domain, law, number, article, title, excerpt = DOMAINS[(index + j) % len(DOMAINS)]
        rid = f"O{index:05d}-R{j:03d}"
        risk_ids.append(rid)
        # The same conduct is graded the same everywhere (as the city bureau wants), by domain.
        grade = (index + j) % len(DOMAINS) % 3
        level, factors = ("medium", [])
        if grade == 0:
            level, factors = "high", ["      major_penalty: true"]
        elif grade == 1:
            level, factors = "low", ["      minor_correctable: true"]
        status = "published" if j % 5 else "consulting"
        lines += [
            f"  - id: {rid}",
            f"    title: {title}（第{j + 1}项）",
            f"    domain: {domain}",
            f"    party: {domain}经营者",
            f"    conduct: {title}，经提醒仍未改正",
            "    harm: 扰乱市场秩序，损害消费者合法权益",
            "    basis:",
            "      - role: violated",
            f"        law: {law}",
            f"        number: {number}",
            "        article: 第七条",
            "      - role: penalty",
            f"        law: {law}",
            f"        number: {number}",
            f"        article: {article}",
            f"        excerpt: {excerpt}",
            "    discretion:",
            "      - circumstance: 情节轻微，责令改正后按期改正",
            "        sanction: 不予处罚",
            "      - circumstance: 逾期不改正",
            "        sanction: 依法从轻处罚",
        ]
        if factors:
            lines += ["    factors:", *factors]
        lines += [
            f"    level: {level}",
            "    causes:",
            f"      agency: [{rng.choice(CAUSES_AGENCY)}]",
            f"      counterpart: [{rng.choice(CAUSES_COUNTERPART)}, {rng.choice(CAUSES_COUNTERPART)}]",
            "    measures:",
            "      - kind: advise",
            "        text: 在办事窗口一次性告知相关义务和办理材料",
            "      - kind: warn",
            "        text: 对逾期未改正的经营者发送风险提示函",
            f"    responsible: {name}市场科",
            f"    status: {status}",
            "    consultation:",
            "      start: 2019-08-01",
            "      end: 2019-08-15",
            "      parties: [企业, 行业协会]",
            f"      comments: {rng.randint(3, 20)}",
            f"      adopted: {rng.randint(0, 3)}",
        ]
        if status == "published":
            lines.append(f"    batch: {1 + j % 2}")
        lines += ["    cases:", f"      2017: {rng.randint(3, 9)}", f"      2018: {rng.randint(2, 8)}", f"      2019: {rng.randint(0, 2)}"]
    lines.append("activities:")
    for k, (kind, task) in enumerate([("test", "1"), ("model_site", "2.2"), ("consultation", "3.1"),
                                      ("publication", "3.2"), ("guidance", "3.3"), ("survey", "4")]):
        lines += [f"  - date: 2019-{8 + k % 4:02d}-{10 + k:02d}", f"    kind: {kind}", f"    task: \"{task}\"",
                  f"    note: 按计划开展{kind}工作"]
        if kind == "guidance":
            lines += [f"    risks: [{risk_ids[0]}]", "    counterparts: 12", "    corrected: 10"]
        if kind == "survey":
            lines += ["    respondents: 100", "    satisfied: 91"]
    return oid, "\n".join(lines) + "\n"


TASKS = """# yaml-language-server: $schema=../../schemas/tasks.schema.json
year: 2019
title: 2019年度工作任务表
document: 郑商〔2019〕175号
tasks:
  - {id: "1", item: 学习培训, content: 组织领导干部和执法人员进行服务型行政执法知识测试, deadline: 根据工作安排, counts: test}
  - {id: "2.2", item: 落实标准, content: 培育指导服务型行政执法示范点情况, deadline: 11月中旬, target: 3, counts: model_site}
  - {id: "3.1", item: 法律风险防控, content: 梳理违法风险点、制定防控措施时征求意见情况, deadline: 8月中旬, counts: consultation}
  - {id: "3.2", item: 法律风险防控, content: 公布和广泛宣传情况, deadline: 9月中旬, counts: publication}
  - {id: "3.3", item: 法律风险防控, content: 落实防控措施、实施行政指导的成效, deadline: 根据工作安排, counts: guidance}
  - {id: "4", item: 突出民营企业, content: 调查了解在民营企业中深化服务型行政执法的成效, deadline: 根据工作安排, counts: survey}
"""


# The catalogue the corpus cites, so that the law checks run at scale as they do on real data.
LAWS = """# yaml-language-server: $schema=../schemas/laws.schema.json
laws:
  - name: 单用途商业预付卡管理办法（试行）
    number: 商务部令2012年第9号
    rank: department_rule
    issuer: 商务部
    effective: 2012-11-01
  - name: 报废机动车回收管理办法
    number: 国务院令第715号
    rank: administrative_regulation
    issuer: 国务院
    effective: 2019-06-01
  - name: 再生资源回收管理办法
    number: 商务部令2007年第8号
    rank: department_rule
    issuer: 商务部等六部门
    effective: 2007-05-01
  - name: 洗染业管理办法
    number: 商务部、国家工商行政管理总局、国家环境保护总局令2007年第5号
    rank: department_rule
    issuer: 商务部、国家工商行政管理总局、国家环境保护总局
    effective: 2007-07-01
  - name: 美容美发业管理暂行办法
    number: 商务部令2004年第19号
    rank: department_rule
    issuer: 商务部
    effective: 2005-01-01
  - name: 拍卖管理办法
    number: 商务部令2004年第24号
    rank: department_rule
    issuer: 商务部
    effective: 2005-01-01
"""


def generate(out: Path, offices: int, risks: int, seed: int = 2019) -> Path:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "data" / "risks").mkdir(parents=True)
    (out / "data" / "tasks").mkdir(parents=True)
    (out / "fxfk.yaml").write_text("organization: 基准测试市商务局\n", encoding="utf-8")
    (out / "data" / "tasks" / "2019.yaml").write_text(TASKS, encoding="utf-8")
    (out / "data" / "laws.yaml").write_text(LAWS, encoding="utf-8")
    for i in range(offices):
        oid, text = _office_file(i, risks, rng)
        (out / "data" / "risks" / f"{oid}.yaml").write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--offices", type=int, default=200)
    parser.add_argument("--risks", type=int, default=50)
    args = parser.parse_args()
    generate(args.out, args.offices, args.risks)
    print(f"generated {args.offices} offices × {args.risks} risk points in {args.out}")


if __name__ == "__main__":
    main()
