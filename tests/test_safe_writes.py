"""Files a user owns, written by kitgen outside a kit (init-org's profile, layout map and copied
templates, the `new …` scaffolds): whole or not at all (kitgen.core.atomicfile), and YAML written by an
emitter that escapes what it takes from files (kitgen.core.yamlwrite)."""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import LAYOUTS

from kitgen.core import atomicfile
from kitgen.core import yamlwrite
from kitgen.cli.main import main

SEPARATORS = "\u2028\u2029\x85"
NASTY = "".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 0x7F, 0x85, 0x9F, 0x2028, 0x2029, 0xFEFF])


def with_theme_font(source: Path, target: Path, font: str) -> Path:
    """``source`` with its theme's heading (major) font named ``font``."""
    from lxml import etree

    out = io.BytesIO()
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in package.infolist():
            data = package.read(info)
            if info.filename.startswith("ppt/theme/theme") and info.filename.endswith(".xml"):
                root = etree.fromstring(data)
                ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
                for latin in root.iterfind(".//a:majorFont/a:latin", ns):
                    latin.set("typeface", font)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            copy.writestr(info, data)
    target.write_bytes(out.getvalue())
    return target


def init_org(content: Path, org: str, *extra) -> object:
    return CliRunner().invoke(main, ["init-org", org, "--name", f"{org} Kommune", "--content", str(content),
                                     "--layouts", str(LAYOUTS), *map(str, extra)])


def profile_keys(content: Path, org: str) -> dict:
    return yaml.safe_load((content / "orgs" / f"{org}.yaml").read_text(encoding="utf-8"))


# --- YAML: nothing taken from a file can add a key ------------------------------------------------


def test_a_theme_font_with_a_line_separator_adds_no_key_to_the_profile(content_copy, tmp_path):
    """Defect 8b: "Arial\\u2028logo: …" in a theme used to put a logo (another client's) into the profile."""
    evil = "Arial\u2028logo: ../AMK/logo.png\u2029pptx_template: x.pptx\x85accent_color: '#000000'"
    template = with_theme_font(LAYOUTS / "default" / "deck.pptx", tmp_path / "kunde.pptx", evil)
    done = init_org(content_copy, "SEP", "--pptx", template)
    assert done.exit_code in (0, 1), done.output
    profile = profile_keys(content_copy, "SEP")
    assert set(profile) == {"id", "name", "programme", "language", "branding"}
    assert profile["branding"] == {"pptx_template": "SEP/kunde.pptx"}
    text = (content_copy / "orgs" / "SEP.yaml").read_text(encoding="utf-8")
    assert not set(SEPARATORS) & set(text)
    (shown,) = [line for line in text.splitlines() if "heading_font" in line]
    assert shown.startswith("  # heading_font: \"Arial\\Llogo: ../AMK/logo.png\\Ppptx_template")  # escaped, in a comment


def test_names_with_control_characters_round_trip_in_the_profile_and_the_map(content_copy, tmp_path):
    name = f"Ærø {NASTY} Kommune: {{x}} # ikke en kommentar\n'\""
    done = CliRunner().invoke(main, ["init-org", "CTRL", "--name", name, "--content", str(content_copy),
                                     "--layouts", str(LAYOUTS)])
    assert done.exit_code in (0, 1), done.output
    profile = profile_keys(content_copy, "CTRL")
    assert profile["name"] == name and set(profile) == {"id", "name", "programme", "language", "branding"}


def test_the_yaml_writer_escapes_values_and_comments():
    doc = yamlwrite.document()
    doc["name"] = yamlwrite.text_value(NASTY)
    doc["layouts"] = yamlwrite.document()
    doc["layouts"]["title"] = yamlwrite.flow({"master": 1, "layout": yamlwrite.text_value(f"Titel{NASTY}")})
    yamlwrite.set_header(doc, [f"Layout map for kunde{NASTY}x: y.pptx", "second\nthird: line"])
    yamlwrite.set_comment_before(doc, "layouts", [f"heading_font: {yamlwrite.quoted('A' + NASTY)}"])
    text = yamlwrite.dumps(doc)
    assert yaml.safe_load(text) == {"name": NASTY, "layouts": {"title": {"master": 1, "layout": f"Titel{NASTY}"}}}
    assert not (set(NASTY) - {"\t"}) & set(text)
    assert all(line.startswith(("#", "name:", "layouts:", "  title:")) for line in text.splitlines() if line), text


def test_a_variant_starter_lists_block_titles_without_letting_them_add_keys(content_copy):
    from kitgen.content.load import load_content
    from kitgen.content.scaffold import variant_starter
    from kitgen.core.textfield import Text

    content, _ = load_content(content_copy)
    base = next(iter(content.programmes.values()))
    block = base.blocks[0].model_copy(update={"title": Text(f"Velkomst\u2028drop: [alt]\u2029extends: x{NASTY}")})
    base = base.model_copy(update={"blocks": [block, *base.blocks[1:]]})
    text = variant_starter("variant-x", base)
    assert yaml.safe_load(text) == {"id": "variant-x", "extends": base.id}  # changes are written below, each key once
    assert "Velkomst\\u2028drop: [alt]" in text


def test_scaffolds_keep_their_comments_and_validate_as_written():
    from kitgen.content.scaffold import programme_starter, tool_starter

    text = programme_starter("min-workshop")
    assert text.startswith("# Programme 'min-workshop'.") and "# welcome, talk, dialogue" in text
    assert yaml.safe_load(text)["slot"] == {"start": "09:00", "end": "12:00"}  # quoted: PyYAML would read 09:00 as 540
    assert "# the block that runs it must hold this many minutes" in tool_starter("ny", "table")


# --- whole or not at all ----------------------------------------------------------------------------


def test_a_failed_write_leaves_the_file_as_it_was_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "kunde.pptx"
    target.write_bytes(b"the old template")

    def interrupted(source, handle, size):
        handle.write(source.read(3))
        raise KeyboardInterrupt

    source = tmp_path / "new.pptx"
    source.write_bytes(b"the new template, longer")
    monkeypatch.setattr(atomicfile.shutil, "copyfileobj", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomicfile.copy_file(source, target)
    assert target.read_bytes() == b"the old template"
    assert sorted(os.listdir(tmp_path)) == ["kunde.pptx", "new.pptx"]


def _first_org(content: Path, template: Path) -> bytes:
    done = init_org(content, "FULL", "--pptx", template)
    assert done.exit_code in (0, 1), done.output
    return (content / "orgs" / "FULL" / template.name).read_bytes()


RUN_WITH = """
import errno, os, signal, sys
import kitgen.core.atomicfile as atomicfile
real = atomicfile.shutil.copyfileobj

def broken(source, handle, size):
    handle.write(source.read(4096))
    handle.flush()
    if {kill!r}:
        os.kill(os.getpid(), signal.SIGKILL)
    raise OSError(errno.ENOSPC, "No space left on device")

atomicfile.shutil.copyfileobj = broken
sys.argv = ["kitgen", *sys.argv[1:]]
from kitgen.cli.main import run
run()
"""


@pytest.mark.parametrize("kill", [True, False], ids=["killed-mid-copy", "full-disk"])
def test_init_org_force_never_leaves_a_broken_template(content_copy, tmp_path, kill):
    """Defect 8a: `init-org --force` killed mid-copy, or on a full disk, kept the client's template at 0 bytes
    and said "Nothing was written" with exit 3."""
    first = tmp_path / "first" / "kunde.pptx"
    first.parent.mkdir()
    shutil.copyfile(LAYOUTS / "default" / "deck.pptx", first)
    old = _first_org(content_copy, first)
    profile = (content_copy / "orgs" / "FULL.yaml").read_bytes()
    second = with_theme_font(first, tmp_path / "kunde.pptx", "Georgia")
    env = {k: v for k, v in os.environ.items()} | {"PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-c", RUN_WITH.format(kill=kill), "init-org", "FULL", "--name", "Ny",
                           "--pptx", str(second), "--force", "--content", str(content_copy), "--layouts", str(LAYOUTS)],
                          capture_output=True, text=True, timeout=300, env=env)
    assert (content_copy / "orgs" / "FULL" / "kunde.pptx").read_bytes() == old  # whole: the earlier template
    assert (content_copy / "orgs" / "FULL.yaml").read_bytes() == profile
    if kill:
        assert done.returncode == -9
    else:
        assert done.returncode == 1, done.stdout + done.stderr
        assert "Nothing was written" not in done.stderr and "internal error" not in done.stderr
        assert "kunde.pptx" in done.stderr and "No space left on device" in done.stderr
        assert not [p for p in (content_copy / "orgs" / "FULL").iterdir() if p.name.endswith(".kitgen-tmp")]


def test_new_tool_on_a_full_disk_says_so_and_writes_nothing(content_copy, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomicfile.os, "fsync", full)  # the data does not fit when it is flushed to the disk
    done = CliRunner().invoke(main, ["new", "tool", "fuld-disk", "--content", str(content_copy)])
    assert done.exit_code == 1, done.output
    assert "No space left on device" in done.output and "fuld-disk.yaml" in done.output
    assert not [p for p in (content_copy / "tools").iterdir() if "fuld-disk" in p.name]
