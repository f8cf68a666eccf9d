"""What kitgen keeps between runs (kitgen.core.cache, one seam of four kinds): never a different kit
than without them, never code run from an entry, never an entry another user could have written,
never stale after an upgrade."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from kitgen.core import cache, cachecodec, cachestore
from kitgen.content.diagrams.schema import Diagram
from kitgen.render.diagrams import png

ROOT = Path(__file__).resolve().parent.parent
MATRIX = {"kind": "matrix", "title": "Kort", "rows": ["Høj", "Lav"], "columns": ["Lav", "Høj"],
          "cells": [["Fokuser", "Hold fast"], ["Overvej", "Forstå"]]}


def diagram(data):
    return TypeAdapter(Diagram).validate_python(data)


def new_process(monkeypatch=None) -> None:
    """What a new kitgen process starts with: no process memo, only the cache folder."""
    from kitgen.content import fonts
    from kitgen.core import environment
    from kitgen.content import loadcache
    from kitgen.content import texttemplate as text
    from kitgen.templates import clean, inspect, inspect_word

    loadcache._PROCESS.clear()
    clean._CACHE.clear()
    inspect._CACHE.clear()
    inspect_word._DOC_CACHE.clear()
    cache._DIGESTS.clear()
    fonts._STATE.clear()
    for memo in (fonts._fc_match, fonts.font_info, text._compile):
        memo.cache_clear()
    environment._ENV_CACHE.pop("part", None)
    cache.stats.clear()
    cachestore._WARNED.clear()


@pytest.fixture()
def on(tmp_path, monkeypatch):
    """The cache switched on, in a folder of this test's own (a new process's view of it)."""
    monkeypatch.delenv("KITGEN_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    new_process()
    yield tmp_path / "xdg" / "kitgen"
    new_process()


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


# --- the seam's rules ---------------------------------------------------------------------------


def test_at_most_four_kinds_and_no_pickle_or_marshal_in_kitgen():
    assert set(cachestore.KINDS) == {"content", "template", "diagram", "fonts"}
    use = re.compile(r"^\s*(import|from)\s+(pickle|cPickle|marshal|shelve|dill)\b|\b(pickle|marshal)\.(loads?|dumps?)\b",
                     re.MULTILINE)
    found = [str(p) for p in (ROOT / "kitgen").rglob("*.py") if use.search(p.read_text(encoding="utf-8"))]
    assert found == []


def test_a_second_build_reads_from_the_seam(on, monkeypatch, tmp_path):
    """The hit counter: a refused or switched-off cache cannot quietly take the default path away."""
    from conftest import CONTENT, LAYOUTS

    from kitgen.build.pipeline import Project, build_org
    from kitgen.build.manifest import input_digest

    def build(out):
        new_process()
        project = Project.load(CONTENT, LAYOUTS)
        result = build_org(project, "KK", tmp_path / out, input_digest(CONTENT, LAYOUTS), force=True)
        assert result.status == "built", result.message
        return dict(cache.stats)

    first = build("first")
    assert first.get(("store", "content")) and first.get(("store", "template"))
    second = build("second")
    for kind in ("content", "template", "diagram"):
        assert second.get(("hit", kind)), (kind, second)
    assert not second.get(("miss", "content")) and not second.get(("miss", "template")), second
    assert {p.name for p in on.iterdir()} <= set(cachestore.KINDS)
    for name in ("deck.pptx", "worksheets.docx", "facilitator-notes.docx"):
        assert (tmp_path / "first" / "KK" / name).read_bytes() == (tmp_path / "second" / "KK" / name).read_bytes()


def _cli_build(tmp_path, out: str, env: dict) -> dict[str, bytes]:
    from conftest import CONTENT, LAYOUTS

    done = subprocess.run([sys.executable, "-m", "kitgen", "build", "--org", "KK", "--force", "--content", str(CONTENT),
                           "--layouts", str(LAYOUTS), "--out", str(tmp_path / out)],
                          capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "cache" not in done.stderr, done.stderr  # a usable cache is used silently
    manifest = json.loads((tmp_path / out / "KK" / "kit.json").read_text(encoding="utf-8"))
    files = {name: (tmp_path / out / "KK" / name).read_bytes()
             for name in ("deck.pptx", "worksheets.docx", "facilitator-notes.docx")}
    return files | {"kit.json": {k: v for k, v in manifest.items()
                                 if k not in ("input_digest", "content_version", "inputs")}}


def test_kits_are_byte_identical_with_the_cache_off_empty_and_warm(tmp_path):
    base = {k: v for k, v in os.environ.items() if k != "KITGEN_NO_CACHE"}
    off = _cli_build(tmp_path, "off", base | {"KITGEN_NO_CACHE": "1", "XDG_CACHE_HOME": str(tmp_path / "none")})
    assert not (tmp_path / "none" / "kitgen").exists()  # the switch writes nothing
    empty = _cli_build(tmp_path, "empty", base | {"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    warm = _cli_build(tmp_path, "warm", base | {"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert {p.name for p in (tmp_path / "xdg" / "kitgen").iterdir()} <= set(cachestore.KINDS)
    assert off == empty == warm


def test_kitgen_no_cache_switches_off_the_seam_and_every_memo(tmp_path, monkeypatch):
    from kitgen.plan import measure as fit
    from kitgen.content import fonts

    monkeypatch.setenv("KITGEN_NO_CACHE", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    png(diagram(MATRIX), 900, 500, language="da", font_file=None)
    assert not (tmp_path / "xdg").exists()
    calls = []
    monkeypatch.setattr(fonts, "_ask_fc_match", lambda pattern: calls.append(pattern) or None)
    fonts._fc_match.cache_clear()
    fonts._fc_match("Arial")
    fonts._fc_match("Arial")
    assert calls == ["Arial", "Arial"]  # asked every time: no process memo either
    before = fit.line_count.cache_info().currsize
    fit.line_count("Tekst der ombrydes", 100.0, "Carlito", 18.0)
    assert fit.line_count.cache_info().currsize == before


def test_an_entry_is_checked_and_a_damaged_one_is_a_miss(on):
    """Bit rot: one changed letter anywhere in an entry makes it a miss, never a different result."""
    good = png(diagram(MATRIX), 900, 500, language="da", font_file=None)
    (entry,) = entries(on / "diagram")
    data = bytearray(entry.read_bytes())
    for position in (3, len(data) // 3, len(data) - 5):  # the magic, the header, the payload
        damaged = bytearray(data)
        damaged[position] ^= 0x20
        entry.write_bytes(bytes(damaged))
        new_process()
        assert png(diagram(MATRIX), 900, 500, language="da", font_file=None) == good
        assert cache.stats["refused", "diagram"] == 1 and cache.stats["miss", "diagram"] == 1
    new_process()
    assert png(diagram(MATRIX), 900, 500, language="da", font_file=None) == good
    assert cache.stats["hit", "diagram"] == 1  # rewritten whole


def test_an_entry_under_another_key_is_not_read(on):
    """A foreign entry (copied, or planted, under another entry's name) fails its key check."""
    first = png(diagram(MATRIX), 900, 500, language="da", font_file=None)
    changed = MATRIX | {"cells": [["Andet", "Hold fast"], ["Overvej", "Forstå"]]}
    other = png(diagram(changed), 900, 500, language="da", font_file=None)
    a, b = entries(on / "diagram")
    b.write_bytes(a.read_bytes())
    new_process()
    again = {png(diagram(MATRIX), 900, 500, language="da", font_file=None),
             png(diagram(changed), 900, 500, language="da", font_file=None)}
    assert again == {first, other} and cache.stats["refused", "diagram"] == 1


def test_a_damaged_template_entry_never_blames_the_clients_file(on, tmp_path):
    import shutil

    from conftest import LAYOUTS

    from kitgen.templates.clean import clean_file

    shutil.copyfile(LAYOUTS / "default" / "deck.pptx", tmp_path / "kunde.pptx")
    first = clean_file(tmp_path / "kunde.pptx", "pptx")
    for entry in entries(on / "template"):
        data = entry.read_bytes()
        entry.write_bytes(data[:-40] + b"\0" * 40)  # damaged inside the package's bytes
    new_process()
    again = clean_file(tmp_path / "kunde.pptx", "pptx")  # no "cannot be read … save it again"
    assert again.data == first.data and cache.stats["refused", "template"] == 1


def test_a_symlinked_entry_is_not_followed(on, tmp_path):
    """An entry that is a symlink (to bytes someone else wrote, say a client's file) is never read."""
    good = png(diagram(MATRIX), 900, 500, language="da", font_file=None)
    (entry,) = entries(on / "diagram")
    planted = tmp_path / "planted"
    planted.write_bytes(entry.read_bytes().replace(b"IEND", b"IEND"))  # a whole, valid entry even
    entry.unlink()
    entry.symlink_to(planted)
    new_process()
    assert png(diagram(MATRIX), 900, 500, language="da", font_file=None) == good
    assert cache.stats["hit", "diagram"] == 0 and cache.stats["miss", "diagram"] == 1


@pytest.mark.parametrize("mode", [0o664, 0o646])
def test_a_group_or_world_writable_entry_is_not_read(on, mode):
    good = png(diagram(MATRIX), 900, 500, language="da", font_file=None)
    (entry,) = entries(on / "diagram")
    entry.chmod(mode)
    new_process()
    assert png(diagram(MATRIX), 900, 500, language="da", font_file=None) == good
    assert cache.stats["refused", "diagram"] == 1 and cache.stats["hit", "diagram"] == 0


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file to another user")
def test_another_users_entry_or_cache_folder_is_not_used(on, capfd):
    good = png(diagram(MATRIX), 900, 500, language="da", font_file=None)
    (entry,) = entries(on / "diagram")
    os.chown(entry, 65534, 65534)
    new_process()
    assert png(diagram(MATRIX), 900, 500, language="da", font_file=None) == good
    assert cache.stats["refused", "diagram"] == 1
    os.chown(on, 65534, 65534)
    new_process()
    assert png(diagram(MATRIX), 900, 500, language="da", font_file=None) == good
    assert cache.stats["hit", "diagram"] == 0
    assert "belongs to another user" in capfd.readouterr().err


@pytest.mark.parametrize("spoil", ["group-writable", "symlink", "file"])
def test_an_untrusted_cache_folder_is_not_used_and_said_once(tmp_path, monkeypatch, capfd, spoil):
    monkeypatch.delenv("KITGEN_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    new_process()
    root = tmp_path / "xdg" / "kitgen"
    (tmp_path / "xdg").mkdir()
    if spoil == "group-writable":
        root.mkdir()
        root.chmod(0o775)
    elif spoil == "symlink":
        (tmp_path / "elsewhere").mkdir()
        root.symlink_to(tmp_path / "elsewhere")
    else:
        root.write_text("not a folder")
    pictures = [png(diagram(MATRIX | {"cells": [[f"Felt {i}", "Hold fast"], ["Overvej", "Forstå"]]}), 900, 500,
                    language="da", font_file=None) for i in range(3)]
    assert len(set(pictures)) == 3
    err = capfd.readouterr().err
    assert err.count("kitgen: not using the cache") == 1, err
    assert str(root) in err
    assert spoil != "symlink" or not list((tmp_path / "elsewhere").iterdir())
    new_process()


def test_a_sticky_world_writable_folder_above_the_cache_is_fine(tmp_path, monkeypatch, capfd):
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    shared.chmod(0o1777)
    monkeypatch.delenv("KITGEN_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared / "me"))
    new_process()
    png(diagram(MATRIX), 900, 500, language="da", font_file=None)
    new_process()
    png(diagram(MATRIX), 900, 500, language="da", font_file=None)
    assert cache.stats["hit", "diagram"] == 1 and "not using" not in capfd.readouterr().err
    new_process()


def test_a_killed_write_leaves_no_entry_and_its_temporary_file_goes_within_the_hour(on):
    """A write killed before its rename leaves only a temporary file: never read, and removed when its
    kind is next written once it is older than an hour."""
    script = ("import os, signal\nfrom kitgen.core import cache\n"
              "real = os.rename\n"
              "os.rename = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
              "cache.get_bytes('diagram', 'a' * 64, lambda: b'x' * 100000)\n")
    env = {k: v for k, v in os.environ.items() if k != "KITGEN_NO_CACHE"} | {"XDG_CACHE_HOME": str(on.parent)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=60)
    assert done.returncode == -9
    (left,) = list((on / "diagram").iterdir())
    assert left.name.startswith(".tmp-")
    assert cache.get_bytes("diagram", "a" * 64, lambda: b"made") == b"made"  # the temporary file is no entry
    assert left.exists()  # younger than an hour: perhaps another process is writing it
    old = time.time() - 2 * 3600
    os.utime(left, (old, old))
    cachestore._WRITES.clear()  # the first write of a process looks at its kind's folder
    cache.get_bytes("diagram", "b" * 64, lambda: b"other")
    assert not left.exists()


def test_eviction_keeps_the_newest_entries_of_a_kind(on, monkeypatch):
    monkeypatch.setitem(cachestore.KINDS, "fonts", (3, 1))
    monkeypatch.setattr(cachestore, "PRUNE_EVERY", 1)
    for i in range(5):
        cache.get_json("fonts", f"{i:064x}", lambda: [i])
        path = on / "fonts" / f"{i:064x}"
        os.utime(path, ns=(i * 10**9, i * 10**9))
    assert [p.name for p in entries(on / "fonts")] == [f"{i:064x}" for i in (2, 3, 4)]


# --- keys: the environment, never mtimes ----------------------------------------------------------


def test_the_environment_part_names_the_interpreter_and_every_required_distribution():
    from kitgen.core.environment import environment_part

    part = environment_part()
    assert part["python"].startswith(sys.implementation.name + " " + sys.version.split()[0])
    libraries = part["libraries"]
    for name in ("pydantic", "pydantic_core", "pyyaml", "jinja2", "markupsafe", "lxml", "python_pptx", "python_docx",
                 "pillow", "ruamel_yaml"):
        assert libraries.get(name) not in (None, "absent"), (name, libraries)


def test_another_interpreter_or_a_changed_dependency_never_reads_an_old_entry(on, monkeypatch):
    """Defects 1 and 2: a cache written by another Python, or before a library upgrade, is not read."""
    from kitgen.core import environment

    made = []
    value = cache.get_bytes("diagram", cache.key("diagram", "x"), lambda: made.append(1) or b"3.11")
    for change in ({"python": "cpython 3.12.1 cpython-312"},
                   {"libraries": environment.environment_part()["libraries"] | {"pydantic": "2.99.0"}},
                   {"libraries": environment.environment_part()["libraries"] | {"jinja2": "4.0.0"}}):
        part = dict(environment.environment_part())
        monkeypatch.setitem(environment._ENV_CACHE, "part", part | change)
        assert cache.get_bytes("diagram", cache.key("diagram", "x"), lambda: made.append(1) or b"new") == b"new"
        monkeypatch.setitem(environment._ENV_CACHE, "part", part)
    assert value == b"3.11" and len(made) == 4


def _other_pythons() -> list[str]:
    import glob
    import shutil

    found = []
    for candidate in sorted(set(glob.glob("/usr/bin/python3.*") + glob.glob("/usr/local/bin/python3.*"))):
        if re.fullmatch(r".*/python3\.\d+", candidate) and shutil.which(candidate):
            version = subprocess.run([candidate, "-c", "import sys; print(sys.version.split()[0])"],
                                     capture_output=True, text=True).stdout.strip()
            if version and version != sys.version.split()[0]:
                found.append(candidate)
    return found


@pytest.mark.skipif(not _other_pythons(), reason="no second Python of another version on this machine")
def test_a_cache_written_by_another_python_is_not_read_by_this_one(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "KITGEN_NO_CACHE"} | {
        "XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    script = "from kitgen.core import cache\nprint(cache.key('fonts', 'Arial'))"
    keys = {subprocess.run([python, "-c", script], env=env, capture_output=True, text=True).stdout
            for python in [sys.executable, *_other_pythons()]}
    assert len(keys) == len(_other_pythons()) + 1


def _fontconfig(tmp_path: Path, alias: str) -> Path:
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  {alias}
</fontconfig>
""", encoding="utf-8")
    return conf


@pytest.mark.skipif(not __import__("shutil").which("fc-match"), reason="needs fontconfig")
def test_a_new_fontconfig_alias_is_seen_by_the_next_process(on, tmp_path, monkeypatch):
    """Defect 6: fontconfig's answers and each kit's inputs follow its configuration by content."""
    from kitgen.content import fonts
    from kitgen.build import recorded

    conf = _fontconfig(tmp_path, "")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    new_process()
    before = fonts._fc_match("Kundefont")
    env_before = recorded.environment({})
    os.utime(conf, ns=(0, 0))
    _fontconfig(tmp_path, "<alias binding='strong'><family>Kundefont</family>"
                          "<prefer><family>DejaVu Serif</family></prefer></alias>")
    os.utime(conf, ns=(0, 0))  # the same mtime as before: only the content says it changed
    new_process()
    after = fonts._fc_match("Kundefont")
    assert after and after[0] == "DejaVu Serif" and after != before
    assert recorded.environment({})["fontconfig"] != env_before["fontconfig"]


def test_a_kept_font_answer_whose_file_changed_is_asked_again(on, monkeypatch, tmp_path):
    from kitgen.content import fonts

    font = tmp_path / "Kunde.ttf"
    font.write_bytes(b"one")
    monkeypatch.setattr("shutil.which", lambda name: "/usr/bin/fc-match")
    asked = []
    monkeypatch.setattr(fonts, "_ask_fc_match", lambda pattern: asked.append(pattern) or ("Kunde", str(font)))
    assert fonts._fc_match("Kunde") == ("Kunde", str(font))
    new_process()
    assert fonts._fc_match("Kunde") == ("Kunde", str(font)) and len(asked) == 1
    font.write_bytes(b"two")
    new_process()
    fonts._fc_match("Kunde")
    assert len(asked) == 2


# --- template facts: never one organisation's -----------------------------------------------------


def test_a_shared_macro_template_gives_each_organisation_its_finding_under_all(content_copy, tmp_path):
    """Defect 3: two organisations share one .potm; `validate --all` reports B's finding as `--org B` does."""
    import shutil

    from conftest import FIXTURES, LAYOUTS

    sys.path.insert(0, str(FIXTURES))
    import client_packages

    shutil.copyfile(LAYOUTS / "default" / "deck.pptx", tmp_path / "plain.pptx")
    shared = content_copy / "orgs" / "shared"
    shared.mkdir()
    client_packages.as_template(tmp_path / "plain.pptx", shared / "kunde.potm", macros=True)
    base = (content_copy / "orgs" / "KK.yaml").read_text(encoding="utf-8")
    programme = re.search(r"^programme: *(\S+)", base, re.MULTILINE).group(1)
    for org in ("AAA", "BBB"):
        (content_copy / "orgs" / f"{org}.yaml").write_text(
            f"id: {org}\nname: {org} Kommune\nprogramme: {programme}\nbranding:\n  pptx_template: shared/kunde.potm\n",
            encoding="utf-8")

    def findings(*selection) -> set[tuple]:
        """(profile, rule) of every macros finding the text report shows (what a consultant reads)."""
        done = subprocess.run([sys.executable, "-m", "kitgen", "validate", *selection, "--verbose",
                               "--content", str(content_copy), "--layouts", str(LAYOUTS)],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode in (0, 1), done.stderr
        return {(re.search(r"orgs/(\w+\.yaml)", line).group(1), "template/macros-removed")
                for line in done.stdout.splitlines() if "[template/macros-removed]" in line}

    alone = findings("--org", "BBB")
    assert alone == {("BBB.yaml", "template/macros-removed")}
    assert findings("--all") >= {("AAA.yaml", "template/macros-removed"), ("BBB.yaml", "template/macros-removed")}
    assert findings("--org", "BBB") == alone  # and again from a warm cache


def test_template_facts_kept_name_no_organisation(on, tmp_path, monkeypatch):
    import shutil

    from conftest import FIXTURES, LAYOUTS

    from kitgen.templates import inspect
    from kitgen.templates.clean_base import Where

    sys.path.insert(0, str(FIXTURES))
    import client_packages

    shutil.copyfile(LAYOUTS / "default" / "deck.pptx", tmp_path / "plain.pptx")
    template = client_packages.as_template(tmp_path / "plain.pptx", tmp_path / "kunde.potm", macros=True)
    first = inspect.inspect_template(template, Where("orgs/A.yaml", 3, "branding.pptx_template"))
    assert [(f.rule, f.file, f.line) for f in first.findings] == [("template/macros-removed", "orgs/A.yaml", 3)]
    for entry in entries(on / "template"):
        assert b"orgs/A.yaml" not in entry.read_bytes()
    second = inspect.inspect_template(template, Where("orgs/B.yaml", 7, "branding.pptx_template"))  # this process
    new_process()
    monkeypatch.setattr(inspect, "_open", lambda *a: pytest.fail("the template was opened again"))
    third = inspect.inspect_template(template, Where("orgs/C.yaml", 9, "branding.pptx_template"))  # from the seam
    assert first.masters == second.masters == third.masters
    assert [(f.file, f.line) for f in second.findings] == [("orgs/B.yaml", 7)]
    assert [(f.file, f.line) for f in third.findings] == [("orgs/C.yaml", 9)]
    assert cache.stats["hit", "template"] >= 2


# --- content kept parsed (kitgen.content.loadcache) --------------------------------------------------------


def _load_fresh_process(content):
    from kitgen.content.load import load_content

    new_process()
    return load_content(content)


def test_an_unchanged_content_file_is_not_parsed_again_and_rebuilds_the_same_objects(on, content_copy, monkeypatch):
    import kitgen.content.yamlparse

    first, first_findings = _load_fresh_process(content_copy)
    monkeypatch.setattr(kitgen.content.yamlparse, "parse_text", lambda *a: pytest.fail("an unchanged file was parsed again"))
    again, again_findings = _load_fresh_process(content_copy)
    assert cachecodec.encode(again) == cachecodec.encode(first) and again.sources == first.sources
    tool = again.tools["belastningskurven"]
    assert tool.title.translations == first.tools["belastningskurven"].title.translations
    assert tool.origin == first.tools["belastningskurven"].origin and tool.line_of("title")
    assert again_findings == first_findings


def test_an_edited_file_is_read_anew_and_its_new_mistake_reported(on, content_copy):
    _load_fresh_process(content_copy)
    path = content_copy / "tools" / "belastningskurven.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title:", "title: Ny titel\nold_title:", 1), encoding="utf-8")
    _, findings = _load_fresh_process(content_copy)
    assert any(f.file.endswith("belastningskurven.yaml") and f.field == "old_title" for f in findings), findings
    path.write_text(text, encoding="utf-8")
    content, findings = _load_fresh_process(content_copy)
    assert not [f for f in findings if f.severity == "error"]
    assert content.tools["belastningskurven"].title != "Ny titel"


def test_a_file_mistake_kept_in_the_cache_is_reported_every_time(on, content_copy):
    (content_copy / "quotes" / "broken.yaml").write_text("quotes: [\n", encoding="utf-8")
    _, first = _load_fresh_process(content_copy)
    _, second = _load_fresh_process(content_copy)
    assert [f for f in first if "broken.yaml" in f.file] == [f for f in second if "broken.yaml" in f.file] != []


def test_each_load_gets_its_own_objects(on, content_copy):
    from kitgen.content.load import load_content

    first, _ = load_content(content_copy)
    first.tools["belastningskurven"].steps.append("changed by the first run")
    second, _ = load_content(content_copy)  # from this process's memory
    assert "changed by the first run" not in second.tools["belastningskurven"].steps


def test_a_damaged_content_entry_is_ignored(on, content_copy):
    expected, _ = _load_fresh_process(content_copy)
    (entry,) = entries(on / "content")
    entry.write_bytes(entry.read_bytes()[:-100])
    again, findings = _load_fresh_process(content_copy)
    assert cachecodec.encode(again) == cachecodec.encode(expected) and not [f for f in findings if f.severity == "error"]


def test_an_entry_naming_a_class_outside_kitgen_is_refused():
    with pytest.raises(TypeError):
        cachecodec.decode({"$model": "os:system", "fields": {}, "set": [], "private": {}})
    with pytest.raises(TypeError):
        cachecodec.decode({"$dataclass": "subprocess:Popen", "fields": {"args": "id"}})
    with pytest.raises(TypeError):
        cachecodec.decode({"$dataclass": "kitgen.core.cache:__builtins__", "fields": {}})


def test_a_kept_layouts_file_gives_the_same_data_and_a_broken_one_its_finding_every_time(on, tmp_path):
    from kitgen.content.yamlfile import YamlProblem, read_yaml, read_yaml_kept

    good = tmp_path / "labels.yaml"
    good.write_text("title: Øvelse\nitems:\n  - en\n  - to\n", encoding="utf-8")
    first = read_yaml_kept(good)
    new_process()
    again = read_yaml_kept(good)
    assert cache.stats["hit", "content"] == 1
    assert first == again == read_yaml(good) and again.key_lines == {"title": 1, "items": 2} and again["items"].line == 3
    good.write_text("title: Ændret\n", encoding="utf-8")
    assert read_yaml_kept(good) == {"title": "Ændret"}
    bad = tmp_path / "broken.yaml"
    bad.write_text("title: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(YamlProblem) as problem:
            read_yaml_kept(bad)
        assert problem.value.finding.file.endswith("broken.yaml") and problem.value.finding.line


def test_a_repeated_build_parses_no_yaml_and_builds_no_schema(tmp_path):
    """What keeps a repeated `kitgen build --org KK --force` short: with its files kept parsed, the
    second process imports no PyYAML and builds no pydantic schema, and writes the same kit."""
    from conftest import CONTENT, LAYOUTS

    env = {k: v for k, v in os.environ.items() if k != "KITGEN_NO_CACHE"} | {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    script = ("import sys\nfrom kitgen.cli.main import main\ntry:\n    main(standalone_mode=False)\nexcept SystemExit:\n    pass\n"
              "import kitgen.content.model as m, pydantic\nfrom pydantic._internal._mock_val_ser import MockValSer\n"
              "built = sorted(n for n, c in vars(m).items() if isinstance(c, type) and issubclass(c, pydantic.BaseModel)"
              " and not isinstance(c.__pydantic_validator__, MockValSer))\n"
              "print('yaml' in sys.modules, built)")
    outputs = []
    for run in ("first", "second"):
        done = subprocess.run([sys.executable, "-c", script, "build", "--org", "KK", "--force", "--content", str(CONTENT),
                               "--layouts", str(LAYOUTS), "--out", str(tmp_path / run)],
                              capture_output=True, text=True, timeout=300, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        outputs.append(done.stdout.splitlines()[-1])
    assert outputs[0].startswith("True")  # the first build parses (and fills the cache)
    assert outputs[1] == "False []", outputs[1]
    for name in ("deck.pptx", "worksheets.docx", "facilitator-notes.docx"):
        assert (tmp_path / "first" / "KK" / name).read_bytes() == (tmp_path / "second" / "KK" / name).read_bytes()


# --- diagram pictures -------------------------------------------------------------------------------


def test_a_diagram_differing_only_in_its_english_labels_gets_its_own_picture(on):
    danish_only = diagram(MATRIX)
    translated = diagram(MATRIX | {"cells": [[{"da": "Fokuser", "en": "Focus"}, "Hold fast"], ["Overvej", "Forstå"]]})
    first = png(danish_only, 900, 500, language="en", font_file=None)
    second = png(translated, 900, 500, language="en", font_file=None)
    assert first != second  # the English kit shows "Focus", not the Danish picture from the cache
    assert len(entries(on / "diagram")) == 2


def test_a_cached_picture_is_the_picture_rendered_without_cache(on, monkeypatch):
    made = png(diagram(MATRIX), 900, 500, language="da", font_file=None)
    new_process()
    from_seam = png(diagram(MATRIX), 900, 500, language="da", font_file=None)
    assert cache.stats["hit", "diagram"] == 1
    monkeypatch.setenv("KITGEN_NO_CACHE", "1")
    assert made == from_seam == png(diagram(MATRIX), 900, 500, language="da", font_file=None)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or not os.path.exists("/usr/bin/python3"),
                    reason="needs root to start a second user's process, and a Python outside /root")
def test_a_second_user_never_reads_a_cache_another_user_owns():
    """A real second account (nobody) pointed at root's cache folder: every entry there is readable
    and whole, yet none is read, and the cache is said to be unusable once."""
    import shutil
    import tempfile

    shared = Path(tempfile.mkdtemp(prefix="kitgen-shared-"))  # like /tmp: sticky, everyone may write
    shared.chmod(0o1777)
    try:
        _second_user(shared)
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def _second_user(shared: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "KITGEN_NO_CACHE"} | {
        "XDG_CACHE_HOME": str(shared), "PYTHONPATH": str(ROOT), "HOME": str(shared)}
    script = "from kitgen.core import cache\nprint(cache.get_bytes('diagram', cache.key('diagram', 'x'), lambda: b'made here'))\n"
    python = "/usr/bin/python3"  # outside /root, which the second user cannot enter
    planted = subprocess.run([python, "-c", script.replace("made here", "planted by root")], env=env,
                             capture_output=True, text=True, timeout=60)
    assert "planted by root" in planted.stdout, planted.stderr
    for folder in (shared / "kitgen", shared / "kitgen" / "diagram"):
        folder.chmod(0o755)
    for entry in (shared / "kitgen" / "diagram").iterdir():
        entry.chmod(0o644)

    def as_nobody():
        os.setgid(65534)
        os.setgroups([])
        os.setuid(65534)

    done = subprocess.run([python, "-c", script], env=env, capture_output=True, text=True, timeout=60,
                          preexec_fn=as_nobody, cwd=str(shared))
    assert done.returncode == 0, done.stderr
    assert "made here" in done.stdout and "planted by root" not in done.stdout
    assert done.stderr.count("not using the cache") == 1 and "belongs to another user" in done.stderr
