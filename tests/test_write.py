"""Reproducible and atomic output: the same inputs give the same bytes; a failure leaves the old kit."""

from __future__ import annotations

import json
import zipfile

import pytest

import kitgen.build.lock
import kitgen.build.manifest
import kitgen.build.write
from conftest import CONTENT, LAYOUTS
from kitgen.build.pipeline import build_org
from kitgen.build.manifest import input_digest


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
    # KK has no booking (issue 24): the fixed no-date stamp, never the seed's workshop date
    assert "2000-01-01T00:00:00" in core and "2021-02-24" not in core and "Københavns Kommune" in core


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
    real_write = kitgen.build.write._write_file
    written = []

    def failing_write(name, data, folder):
        written.append(name)
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        real_write(name, data, folder)

    monkeypatch.setattr(kitgen.build.write, "_write_file", failing_write)
    result = build_org(project, "KK", tmp_path, digest, force=True)
    assert result.status == "failed" and "No space left on device" in result.message
    assert _files(tmp_path / "KK") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kits", "KK"], "no partial folder left behind"
    assert sorted(p.name for p in (tmp_path / ".kits").iterdir()) == ["KK-1", "KK.lock", "KK.own"]


def test_a_failure_while_rendering_writes_nothing_and_is_that_orgs_failure(project, tmp_path, monkeypatch):
    from dataclasses import replace

    from kitgen.build.outputs import OUTPUTS

    def broken(plan):
        raise RuntimeError("renderer crashed")

    monkeypatch.setitem(OUTPUTS, "facilitator-notes.docx", replace(OUTPUTS["facilitator-notes.docx"], render=broken))
    monkeypatch.delenv("KITGEN_DEBUG", raising=False)
    result = build_org(project, "KK", tmp_path, input_digest(CONTENT, LAYOUTS), force=True)
    assert result.status == "failed"
    assert "unexpected error while building KK (RuntimeError: renderer crashed); nothing was written" in result.message
    assert not (tmp_path / "KK").exists() and not list((tmp_path / ".kits").glob("KK-*"))


def test_unchanged_inputs_are_not_rebuilt_and_force_rebuilds(project, tmp_path):
    digest = input_digest(CONTENT, LAYOUTS)
    assert build_org(project, "KK", tmp_path, digest).status == "built"
    assert build_org(project, "KK", tmp_path, digest).status == "unchanged"
    assert build_org(project, "KK", tmp_path, digest, force=True).status == "built"
    (tmp_path / "KK" / "deck.pptx").unlink()
    assert build_org(project, "KK", tmp_path, digest).status == "built", "a damaged kit is rebuilt"


def test_a_corrupted_file_of_the_same_size_is_rebuilt(project, tmp_path):
    digest = input_digest(CONTENT, LAYOUTS)
    assert build_org(project, "KK", tmp_path, digest).status == "built"
    deck = tmp_path / "KK" / "deck.pptx"
    good = deck.read_bytes()
    manifest = json.loads((tmp_path / "KK" / "kit.json").read_text(encoding="utf-8"))
    assert kitgen.build.manifest.kit_is_current(tmp_path / "KK", "KK", manifest["input_digest"]) is True
    deck.write_bytes(good[:-1] + bytes([good[-1] ^ 0xFF]))
    assert kitgen.build.manifest.kit_is_current(tmp_path / "KK", "KK", manifest["input_digest"]) is False
    assert build_org(project, "KK", tmp_path, digest).status == "built"
    assert deck.read_bytes() == good



# --- only kits are replaced; one atomic swap; one builder per org --------------------------

import os  # noqa: E402
import threading  # noqa: E402

from kitgen.build.lock import org_lock  # noqa: E402
from kitgen.build.outfolder import KitWriteError, NotAKitError  # noqa: E402
from kitgen.build.write import write_kit  # noqa: E402

FILES = {"deck.pptx": b"deck", "worksheets.docx": b"sheets"}


def _manifest(org="KK", digest="d"):
    return {"kitgen_version": "x", "org": org, "input_digest": digest,
            "files": [{"name": n, "sha256": kitgen.build.manifest.sha256(b), "bytes": len(b)} for n, b in FILES.items()]}


def test_the_kit_path_is_a_link_to_one_versioned_folder_marked_as_kitgens(tmp_path):
    write_kit(tmp_path / "KK", FILES, _manifest())
    write_kit(tmp_path / "KK", FILES, _manifest())
    assert (tmp_path / "KK").is_symlink() and os.readlink(tmp_path / "KK") == ".kits/KK-2"
    assert sorted(p.name for p in (tmp_path / ".kits").iterdir()) == ["KK-2", "KK.lock", "KK.own"], "the old version is removed"
    assert json.loads((tmp_path / "KK" / "kit.json").read_text())["generator"] == "kitgen"
    assert (tmp_path / "KK" / "deck.pptx").read_bytes() == b"deck"


@pytest.mark.parametrize("setup", ["user-folder", "file", "foreign-kit-json", "other-orgs-kit", "dangling-link"])
def test_anything_but_a_kitgen_kit_is_never_replaced(tmp_path, setup):
    target = tmp_path / "KK"
    if setup == "file":
        target.write_text("my notes")
    elif setup == "dangling-link":
        target.symlink_to(tmp_path / "elsewhere")
    else:
        target.mkdir()
        (target / "thesis.docx").write_bytes(b"years of work")
        if setup == "foreign-kit-json":
            (target / "kit.json").write_text('{"name": "my own kit"}')
        if setup == "other-orgs-kit":
            (target / "kit.json").write_text(json.dumps({"generator": "kitgen", **_manifest(org="AMK")}))
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    with pytest.raises(NotAKitError) as refused:
        write_kit(target, FILES, _manifest())
    assert str(target) in str(refused.value) and "not a kit kitgen wrote" in str(refused.value)
    assert sorted(str(p) for p in tmp_path.rglob("*") if ".kits" not in p.parts) == [b for b in before]
    if setup not in ("file", "dangling-link"):
        assert (target / "thesis.docx").read_bytes() == b"years of work"


def test_a_kit_from_before_versioned_folders_is_taken_over(tmp_path):
    legacy = tmp_path / "KK"
    legacy.mkdir()
    (legacy / "kit.json").write_text(json.dumps(_manifest()))
    (legacy / "deck.pptx").write_bytes(b"old")
    write_kit(legacy, FILES, _manifest())
    assert legacy.is_symlink() and (legacy / "deck.pptx").read_bytes() == b"deck"
    assert sorted(p.name for p in (tmp_path / ".kits").iterdir()) == ["KK-1", "KK.lock", "KK.own"]


def test_leftovers_of_interrupted_builds_are_removed_by_the_next_build(tmp_path):
    write_kit(tmp_path / "KK", FILES, _manifest())
    kits = tmp_path / ".kits"
    kitgen.build.write._claim(kits, "KK", "KK-7")  # killed while writing: recorded before it was made
    (kits / "KK-7").mkdir()
    (kits / "KK-7" / "deck.pptx").write_bytes(b"half")
    kitgen.build.write._claim(kits, "KK", "KK.link-123")  # killed between making the new link and renaming it
    (kits / "KK.link-123").symlink_to(".kits/KK-7")
    (kits / "KK-2-1").mkdir()  # another org's (KK-2) version stays
    write_kit(tmp_path / "KK", FILES, _manifest())
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kits", "KK"]
    assert sorted(p.name for p in kits.iterdir()) == ["KK-2-1", "KK-8", "KK.lock", "KK.own"]
    assert kitgen.build.write.owned_names(kits, "KK") == ["KK-8"]


def test_only_names_recorded_as_the_orgs_own_are_ever_removed(tmp_path):
    """Never a pattern or prefix: org X-old's kit, a user's .X.old-2024/ and .X.partial-review/,
    a folder named like a version but not made by kitgen: all stay, byte for byte."""
    write_kit(tmp_path / "X-old", FILES, _manifest(org="X-old"))
    write_kit(tmp_path / "X-old", FILES, _manifest(org="X-old"))  # version X-old-2
    for name in (".X.old-2024", ".X.partial-review", ".X.link-99"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "notes.txt").write_text("mine")
    (tmp_path / ".kits" / "X-5").mkdir()  # named like one of X's versions, but not recorded and no kit.json
    (tmp_path / ".kits" / "X-5" / "draft.docx").write_bytes(b"mine")
    (tmp_path / ".kits" / "X-old-1").mkdir()  # a folder X could once have matched by pattern
    before = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if "X-old-2" not in str(p)}
    write_kit(tmp_path / "X", FILES, _manifest(org="X"))
    write_kit(tmp_path / "X", FILES, _manifest(org="X"))
    after = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")}
    assert before - after == set(), "nothing that is not X's own was removed"
    assert (tmp_path / "X-old" / "deck.pptx").read_bytes() == b"deck"
    assert (tmp_path / ".X.old-2024" / "notes.txt").read_text() == "mine"
    assert os.readlink(tmp_path / "X") == ".kits/X-2" and not (tmp_path / ".kits" / "X-1").exists()
    assert kitgen.build.write.owned_names(tmp_path / ".kits", "X") == ["X-2"]


def test_the_kit_folder_of_an_earlier_kitgen_without_a_ledger_is_still_replaced_and_removed(tmp_path):
    kits = tmp_path / ".kits"
    kits.mkdir()
    (kits / "KK-3").mkdir()
    (kits / "KK-3" / "kit.json").write_text(json.dumps({"generator": "kitgen", **_manifest()}))
    (tmp_path / "KK").symlink_to(".kits/KK-3")
    write_kit(tmp_path / "KK", FILES, _manifest())
    assert os.readlink(tmp_path / "KK") == ".kits/KK-1" and not (kits / "KK-3").exists()


def test_the_kit_path_is_never_missing_or_mixed_while_builds_replace_it(tmp_path):
    write_kit(tmp_path / "KK", {"a": b"0", "b": b"0"}, _manifest())
    seen, stop = [], threading.Event()

    def reader():
        while not stop.is_set():
            if not (tmp_path / "KK" / "kit.json").is_file():
                seen.append(("missing", "kit.json"))
            folder = (tmp_path / "KK").resolve()  # one kit version, as a program that opens the folder sees it
            try:
                seen.append(((folder / "a").read_bytes(), (folder / "b").read_bytes()))
            except FileNotFoundError:
                pass  # that version was replaced and removed meanwhile; OUT/KK itself was there

    thread = threading.Thread(target=reader)
    thread.start()
    for n in range(1, 40):
        write_kit(tmp_path / "KK", {"a": str(n).encode(), "b": str(n).encode()}, _manifest())
    stop.set()
    thread.join()
    assert seen and all(a == b for a, b in seen), [s for s in seen if s[0] != s[1]][:3]


def test_umask_decides_the_modes_of_kit_folders_and_files(tmp_path):
    old = os.umask(0o027)
    try:
        write_kit(tmp_path / "KK", FILES, _manifest())
    finally:
        os.umask(old)
    assert (tmp_path / ".kits" / "KK-1").stat().st_mode & 0o777 == 0o750
    assert (tmp_path / "KK" / "deck.pptx").stat().st_mode & 0o777 == 0o640


def test_a_second_builder_of_one_org_waits_for_the_first(tmp_path, monkeypatch):
    monkeypatch.setattr(kitgen.build.lock, "LOCK_TIMEOUT_S", 30)
    order = []
    with org_lock(tmp_path, "KK"):
        worker = threading.Thread(target=lambda: (write_kit(tmp_path / "KK", FILES, _manifest()), order.append("second")))
        worker.start()
        worker.join(0.3)
        order.append("first")
    worker.join()
    assert order == ["first", "second"] and (tmp_path / "KK" / "deck.pptx").is_file()


def test_a_builder_that_cannot_get_the_lock_says_who_holds_it(project, tmp_path, monkeypatch):
    monkeypatch.setattr(kitgen.build.lock, "LOCK_TIMEOUT_S", 0.2)
    with org_lock(tmp_path, "KK"):
        result = build_org(project, "KK", tmp_path, input_digest(CONTENT, LAYOUTS), force=True)
    assert result.status == "failed"
    assert result.message.startswith(f"another kitgen build of KK is still writing {tmp_path / 'KK'}")
    assert not (tmp_path / "KK").exists()
    with pytest.raises(KitWriteError):
        with org_lock(tmp_path, "KK"), org_lock(tmp_path, "KK", timeout=0.1):
            pass


# --- one org's trouble is that org's failure, with a plain message ------------------------


def test_a_template_deleted_mid_build_is_a_plain_failure(project, tmp_path, monkeypatch):
    from dataclasses import replace

    from kitgen.build.outputs import OUTPUTS

    def vanished(plan):
        raise FileNotFoundError(2, "No such file or directory", "content/orgs/KK/skabelon.pptx")

    monkeypatch.setitem(OUTPUTS, "deck.pptx", replace(OUTPUTS["deck.pptx"], render=vanished))
    result = build_org(project, "KK", tmp_path, input_digest(CONTENT, LAYOUTS), force=True)
    assert result.status == "failed"
    assert result.message == ("cannot read or write content/orgs/KK/skabelon.pptx: No such file or directory; "
                              "nothing was written")
    assert not (tmp_path / "KK").exists()


def test_an_output_folder_that_cannot_be_written_is_a_plain_failure(project, tmp_path, monkeypatch):
    real_mkdir = kitgen.build.write.Path.mkdir

    def refused(self, *args, **kwargs):
        if self.name == ".kits":
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(kitgen.build.write.Path, "mkdir", refused)
    result = build_org(project, "KK", tmp_path / "out", input_digest(CONTENT, LAYOUTS), force=True)
    assert result.status == "failed" and result.message == f"cannot write to {tmp_path / 'out'}: Permission denied"


def test_a_damaged_kit_of_our_own_is_still_ours(tmp_path):
    write_kit(tmp_path / "KK", FILES, _manifest())
    (tmp_path / "KK" / "kit.json").unlink()  # the link still points into .kits: kitgen made it
    write_kit(tmp_path / "KK", FILES, _manifest())
    assert json.loads((tmp_path / "KK" / "kit.json").read_text())["generator"] == "kitgen"


def test_a_ledger_left_half_written_by_a_kill_is_removed_by_the_next_build(project, tmp_path):
    """A kill inside the ledger's write leaves OUT/.kits/<ID>.own.new: the kit is then not 'unchanged',
    and the next build (under the lock) removes it, whatever else it finds."""
    first = build_org(project, "KK", tmp_path, "")
    assert first.status == "built"
    leftover = tmp_path / ".kits" / "KK.own.new"
    leftover.write_text('["KK-9"]', encoding="utf-8")
    again = build_org(project, "KK", tmp_path, "")
    assert again.status == "built", again.message
    assert not leftover.exists()
    assert build_org(project, "KK", tmp_path, "").status == "unchanged"
