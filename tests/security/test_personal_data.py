"""Issue 13 item 4: the personal-number scan (fxfk.rules.personal_data) and where fxfk publish applies it.

The table below is the specification: every positive must be found (with its kind and masked form),
every negative must not. CLI tests put one into a real repository and publish it.
"""

from __future__ import annotations

import pytest

from conftest import run_fxfk
from fxfk.rules.personal_data import find_personal_numbers, normalise
from hostile import PUBLIC_FILE, PUBLIC_TITLE, repo_with

ZW = "\u200b"  # zero-width space

# (text, kind, masked) — kind "id" or "mobile"
POSITIVE = [
    ("身份证11010519491231002X", "id", "110***********002X"),
    ("号码 110105194912310011。", "id", "110***********0011"),
    ("440304198507071239", "id", "440***********1239"),
    ("身份证11010519491231002x", "id", "110***********002x"),
    ("老证号110105491231002", "id", "110********1002"),  # 15 digits: area, YYMMDD, sequence
    ("电话13912345678", "mobile", "139****5678"),
    ("联系138 1234 5678", "mobile", "138****5678"),
    ("联系138-1234-5678", "mobile", "138****5678"),
    ("联系+8613812345678", "mobile", "138****5678"),
    ("联系+86 138 1234 5678", "mobile", "138****5678"),
    ("联系008613812345678", "mobile", "138****5678"),
    ("联系8613812345678", "mobile", "138****5678"),
    ("联系１３８１２３４５６７８", "mobile", "138****5678"),  # full-width digits
    ("联系１３８－１２３４－５６７８", "mobile", "138****5678"),  # full-width hyphen
    (f"联系138{ZW}1234{ZW}5678", "mobile", "138****5678"),
    ("联系1\u200c3\u200d8\u20601234\ufeff56\u00ad78", "mobile", "138****5678"),
    (f"身份证1101051949{ZW}1231002X", "id", "110***********002X"),
    ("电话：13912345678号", "mobile", "139****5678"),
    ("19912345678", "mobile", "199****5678"),
]

NEGATIVE = [
    "1101051949123100211",  # 19 digits
    "110105194912310021",  # the check digit should be X: a mistyped ID or a serial, not reported
    "商务部令2012年第9号",
    "0371-67175615",  # fixed line: public by design
    "咨询电话0371-66660001",
    "123912345678",  # part of a longer number
    "12912345678",  # 12x is not a mobile prefix
    "编号110105201912310012",  # 18 digits, valid date, wrong check digit: a serial, not an ID
    "罚款13000000000元",  # an amount
    "罚款 13000000000 元",
    "处13000000000万元以下罚款",
    "金额￥13912345678",
    "人民币13912345678",
    "13912345678.50",  # a decimal amount
    "110105199913320012",  # month 13
    "11010519990230001X",  # 30 February (and bad check digit)
    "110105991332001",  # 15 digits, month 13
    "990105491231002",  # 15 digits, no province 99
    "流水号2019123100123456789",
    "138 1234 56789",  # the last group is too long
    "1381 234 5678",  # not 3-4-4
    "第138号、第1234号",
    "",
]


@pytest.mark.parametrize("text, kind, masked", POSITIVE)
def test_positive_examples_are_found(text, kind, masked):
    found = find_personal_numbers(text)
    assert [(f.kind, f.masked) for f in found] == [(kind, masked)], text


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative_examples_are_not_found(text):
    assert find_personal_numbers(text) == [], text


def test_positions_are_in_the_original_text():
    text = f"甲乙１３８{ZW}1234 5678丙"
    (found,) = find_personal_numbers(text)
    assert text[found.start] == "１" and text[found.end - 1] == "8" and text[found.end] == "丙"


def test_normalise_maps_back_to_original_offsets():
    text, where = normalise(f"甲{ZW}１－2\u3000３")
    assert text == "甲1-2 3"
    assert [where(i) for i in range(len(text))] == [0, 2, 3, 4, 5, 6]
    assert normalise("甲13912345678")[0] == "甲13912345678"


def publish(repo, out):
    return run_fxfk("publish", "--root", str(repo), "--out", str(out), "--date", "2020-01-15")


def line_of(path, needle):
    return next(i for i, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in s)


@pytest.mark.parametrize(
    "value, code, masked",
    [
        ("负责人138 1234 5678", "public-mobile-number", "138****5678"),
        ("负责人１３８１２３４５６７８", "public-mobile-number", "138****5678"),
        (f"负责人138{ZW}1234{ZW}5678", "public-mobile-number", "138****5678"),
        ("负责人+86-138-1234-5678", "public-mobile-number", "138****5678"),
        ("负责人身份证110105491231002", "public-id-number", "110********1002"),
    ],
)
def test_disguised_numbers_in_a_public_field_refuse_with_location(tmp_path, value, code, masked):
    repo = repo_with(tmp_path, "responsible", value)
    out = tmp_path / "public"
    r = publish(repo, out)
    assert r.code == 1, r.err
    line = line_of(repo / PUBLIC_FILE, "responsible: \"")
    assert f"{PUBLIC_FILE}:{line}:" in r.err and code in r.err and "risks[0].responsible" in r.err
    assert masked in r.err and "12345678" not in r.err and "Traceback" not in r.err
    assert not out.exists()


def test_mobile_as_organization_is_refused(tmp_path):
    repo = repo_with(tmp_path, "title", PUBLIC_TITLE)
    settings = repo / "fxfk.yaml"
    settings.write_text("organization: 样例市商务局（联系人13912345678）\n", encoding="utf-8")
    out = tmp_path / "public"
    r = publish(repo, out)
    assert r.code == 1, r.err
    assert "fxfk.yaml:1:" in r.err and "public-mobile-number" in r.err and "organization" in r.err
    assert "139****5678" in r.err and not out.exists()


def test_mobile_as_office_phone_is_refused(tmp_path):
    repo = repo_with(tmp_path, "title", PUBLIC_TITLE)
    path = repo / PUBLIC_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("phone: 0371-66660001", "phone: 139-1234-5678"), encoding="utf-8")
    out = tmp_path / "public"
    r = publish(repo, out)
    assert r.code == 1, r.err
    assert f"{PUBLIC_FILE}:{line_of(path, 'phone:')}:" in r.err and "office.phone" in r.err
    assert "public-mobile-number" in r.err and not out.exists()


@pytest.mark.parametrize("value", ["处罚款13000000000元", "编号110105201912310012", "咨询0371-66660001"])
def test_amounts_serials_and_fixed_lines_publish(tmp_path, value):
    repo = repo_with(tmp_path, "responsible", value)
    out = tmp_path / "public"
    r = publish(repo, out)
    assert r.code == 0, r.err
    assert value in (out / "east.md").read_text(encoding="utf-8")
