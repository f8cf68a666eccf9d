"""Reproducible and atomic output: the same inputs give the same bytes; a failure leaves the old kit."""

from __future__ import annotations

import json
import zipfile

import pytest

import kitgen.write
from conftest import CONTENT, LAYOUTS
from kitgen.build import build_org
from kitgen.write import input_digest


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_builds_are_byte_identical(project, tmp_path):
    digest = input_digest(CONTENT, LAYOUTS)
    build_org(project, "KK", tmp_path / "a", digest, force=True)
    build_org(project, "KK", tmp_path / "b", digest, force=True)
    first, second = _files(tmp_path / "a" / "KK"), _files(tmp_path / "b" / "KK")
    assert first.keys() == {"deck.pptx", "worksheets.docx", "facilitator-notes.docx", "kit.json"}
    for name in first:
        assert first[name] == second[name], f"{name} differs between two builds"


def test_zip_entries_have_fixed_times_and_core_properties_come_from_content(kits):
    with zipfile.ZipFile(kits / "KK" / "deck.pptx") as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert package.namelist()[0] == "[Content_Types].xml"
        core = package.read("docProps/core.xml").decode()
    assert "2021-02-24T08:00:00" in core and "Københavns Kommune" in core


def test_manifest_lists_files_with_hashes_and_validation(kits):
    manifest = json.loads((kits / "KK" / "kit.json").read_text(encoding="utf-8"))
    assert manifest["org"] == "KK" and manifest["programme"] == "ledertrivsel-workshop-2021-02-24"
    assert manifest["validation"]["error"] == 0
    import hashlib

    for entry in manifest["files"]:
        data = (kits / "KK" / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"]
    assert manifest["counts"]["slides"] > 10 and manifest["content_version"]


def test_a_failure_while_writing_leaves_the_previous_kit_untouched(project, tmp_path, monkeypatch):
    digest = input_digest(CONTENT, LAYOUTS)
    assert build_org(project, "KK", tmp_path, digest, force=True).status == "built"
    before = _files(tmp_path / "KK")
    real_write = kitgen.write._write_file
    written = []

    def failing_write(path, data):
        written.append(path.name)
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        real_write(path, data)

    monkeypatch.setattr(kitgen.write, "_write_file", failing_write)
    result = build_org(project, "KK", tmp_path, digest, force=True)
    assert result.status == "failed" and "No space left on device" in result.message
    assert _files(tmp_path / "KK") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["KK"], "no partial folder left behind"


def test_a_failure_while_rendering_writes_nothing(project, tmp_path, monkeypatch):
    import kitgen.render.notes

    def broken(plan):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(kitgen.render.notes, "render_notes", broken)
    with pytest.raises(RuntimeError):
        build_org(project, "KK", tmp_path, input_digest(CONTENT, LAYOUTS), force=True)
    assert list(tmp_path.iterdir()) == []


def test_unchanged_inputs_are_not_rebuilt_and_force_rebuilds(project, tmp_path):
    digest = input_digest(CONTENT, LAYOUTS)
    assert build_org(project, "KK", tmp_path, digest).status == "built"
    assert build_org(project, "KK", tmp_path, digest).status == "unchanged"
    assert build_org(project, "KK", tmp_path, digest, force=True).status == "built"
    assert build_org(project, "KK", tmp_path, "another-digest").status == "built"
    (tmp_path / "KK" / "deck.pptx").unlink()
    assert build_org(project, "KK", tmp_path, "another-digest").status == "built", "a damaged kit is rebuilt"
