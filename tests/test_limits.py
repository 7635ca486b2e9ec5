"""Hostile sizes and shapes end in a clear error (or a normal result), never a hang or a crash."""

from __future__ import annotations

from conftest import run_fxfk

HEADER = "office:\n  id: gamma\n  name: 丙县商务局\n  kind: county\n"
RISK = """  - id: GA-{i:06d}
    title: 发卡企业未按规定办理单用途商业预付卡备案
    domain: 单用途商业预付卡
    basis:
      - role: penalty
        law: 单用途商业预付卡管理办法（试行）
        article: 第三十六条
    level: medium
    responsible: 丙县商务局
"""


def _codes(run):
    return [(d["file"], d["line"], d["column"], d["code"]) for d in run.json()["diagnostics"]]


def test_register_with_100000_points_is_refused_by_size(base_repo):
    path = base_repo / "data/risks/gamma.yaml"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEADER + "risks:\n")
        for i in range(100_000):
            fh.write(RISK.format(i=i))
    run = run_fxfk("validate", "-f", "json", "--root", str(base_repo))
    assert run.code == 1
    assert _codes(run) == [("data/risks/gamma.yaml", 1, 1, "file-too-large")]
    assert "超过上限 5.0 MB" in run.json()["diagnostics"][0]["message"]


def test_a_one_megabyte_line_is_just_text(base_repo):
    path = base_repo / "data/risks/gamma.yaml"
    path.write_text(HEADER.replace("丙县商务局", "丙" * (1024 * 1024 // 3)), encoding="utf-8")
    run = run_fxfk("validate", "-f", "json", "--root", str(base_repo))
    # The loader reads it as text; whether the model takes a name that long is the model's call.
    assert run.code in (0, 1) and "Traceback" not in run.err, run.err[-2000:]
    assert [c[3] for c in _codes(run)] in ([], ["text-too-long"]), run.out[:2000]


def test_deep_block_nesting_is_refused(base_repo):
    lines = [HEADER.rstrip("\n"), "batches:"]
    lines += [" " * (2 * i) + "a:" for i in range(1, 2000)]
    (base_repo / "data/risks/gamma.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = run_fxfk("validate", "-f", "json", "--root", str(base_repo))
    assert run.code == 1
    assert [c[3] for c in _codes(run)] == ["too-deep"]


def test_deep_flow_nesting_is_refused(base_repo):
    (base_repo / "data/risks/gamma.yaml").write_text(HEADER + "batches: " + "[" * 200_000 + "\n", encoding="utf-8")
    run = run_fxfk("validate", "-f", "json", "--root", str(base_repo))
    assert run.code == 1
    assert _codes(run) == [("data/risks/gamma.yaml", 5, 10, "too-deep")]


def test_binary_garbage_is_an_encoding_error(base_repo):
    (base_repo / "data/risks/gamma.yaml").write_bytes(bytes(range(256)) * 100)
    run = run_fxfk("validate", "-f", "json", "--root", str(base_repo))
    assert run.code == 1
    assert [c[3] for c in _codes(run)] in (["encoding"], ["encoding-gbk"], ["control-character"])
