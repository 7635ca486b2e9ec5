"""fxfk.files.write_atomically: the one single-file writer (classify --write, new risk)."""

from __future__ import annotations

import os
import stat

import pytest

from fxfk.files import write_atomically


def test_replaces_the_content_and_keeps_the_mode(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o640)
    write_atomically(path, b"new\r\n")
    assert path.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["a.yaml"]  # no temporary file left


@pytest.mark.parametrize("durable", [True, False])
def test_a_new_file_is_private_unless_a_mode_is_given(tmp_path, durable):
    write_atomically(tmp_path / "new", b"x", durable=durable)
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o600
    write_atomically(tmp_path / "other", b"y", mode=0o644, durable=durable)
    assert stat.S_IMODE((tmp_path / "other").stat().st_mode) == 0o644
    assert (tmp_path / "new").read_bytes() == b"x"


def test_a_link_is_replaced_not_written_through(tmp_path):
    target = tmp_path / "target"
    target.write_bytes(b"keep")
    link = tmp_path / "link"
    link.symlink_to(target)
    write_atomically(link, b"new", mode=0o600)
    assert target.read_bytes() == b"keep"
    assert not link.is_symlink() and link.read_bytes() == b"new"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"old")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomically(path, b"new")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["a.yaml"]


def test_a_missing_folder_is_an_oserror(tmp_path):
    with pytest.raises(OSError):
        write_atomically(tmp_path / "no" / "a.yaml", b"x")
