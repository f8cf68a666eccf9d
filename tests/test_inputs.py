"""Per-organisation inputs (kitgen/build/inputs.py): what each kit reads, and the no-op check that
re-hashes exactly those files before anything is loaded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kitgen.build.pipeline import Project
from kitgen.build.inputs import project_org_inputs
from kitgen.build.uptodate import kit_up_to_date, mark_read_at
from kitgen.validate.timing import TimingSettings
from kitgen.build.manifest import sha256

ROOT = Path(__file__).resolve().parent.parent


def load(tree: Path, settings: TimingSettings = TimingSettings()) -> Project:
    return Project.load(tree / "content", tree / "layouts", settings)


def inputs_of(tree: Path, org_id: str, settings: TimingSettings = TimingSettings()):
    project = load(tree, settings)
    return project, project_org_inputs(project, project.content.orgs[org_id])


def fake_kit(tree: Path, org_id: str, settings: TimingSettings = TimingSettings()) -> Path:
    """A kit folder with one file and a kit.json as a build writes it (inputs, digest, read time)."""
    project, inputs = inputs_of(tree, org_id, settings)
    out = tree / "out" / org_id
    out.mkdir(parents=True)
    (out / "deck.pptx").write_bytes(b"deck")
    manifest = {"generator": "kitgen", "kitgen_version": "0.1.0", "org": org_id, "input_digest": inputs.digest,
                "content_version": inputs.digest, "inputs": inputs.manifest(),
                "files": [{"name": "deck.pptx", "sha256": sha256(b"deck"), "bytes": 4}]}
    (out / "kit.json").write_text(json.dumps(manifest))
    mark_read_at(out, project.read_at_ns)
    return out


def current(tree: Path, org_id: str, settings: TimingSettings = TimingSettings()) -> bool:
    return kit_up_to_date(tree / "out" / org_id, org_id, tree / "content", tree / "layouts", settings)


def edit(path: Path) -> None:
    """Change a file in place (same folder listing)."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")


def test_an_org_reads_its_profile_programme_tools_questions_quotes_and_layouts(tree):
    _, amk = inputs_of(tree, "AMK")
    files = set(amk.files)
    assert {"content/orgs/AMK.yaml", "content/programmes/ps-indsatsen.yaml",
            "content/tools/trivsel-og-stressprofilen.yaml", "content/quotes/ps-indsatsen.yaml",
            "content/orgs/AMK/amk-deck.pptx", "content/orgs/AMK/amk-deck.yaml", "content/orgs/AMK/amk-document.docx",
            "content/orgs/AMK/logo.png", "layouts/deck.yaml", "layouts/labels/da.yaml", "layouts/text/da.yaml"} <= files
    assert any(key.startswith("content/questions/") for key in files)
    assert "content/tools/iglo.yaml" not in files  # BFA's programme, not AMK's
    assert "layouts/default/deck.pptx" not in files  # AMK brings its own deck template
    assert "layouts/labels/en.yaml" not in files
    assert any(key.endswith(".ttf") or key.startswith("font:") for key in files)  # the fonts fitting measures with
    assert all(digest is None or len(digest) == 64 for digest in amk.files.values())
    assert set(amk.environment) == {"kitgen", "kitgen_source", "python", "libraries", "fontconfig", "settings"}
    assert {"python_pptx", "python_docx", "pillow", "lxml", "pydantic_core", "jinja2"} <= set(amk.environment["libraries"])


def test_the_digest_is_per_org(tree):
    _, kk = inputs_of(tree, "KK")
    _, bfa = inputs_of(tree, "BFA")
    edit(tree / "content" / "tools" / "iglo.yaml")  # BFA's tool
    _, kk_after = inputs_of(tree, "KK")
    _, bfa_after = inputs_of(tree, "BFA")
    assert kk_after.digest == kk.digest
    assert bfa_after.digest != bfa.digest


def test_the_digest_covers_settings_and_kitgen_itself(tree, monkeypatch):
    _, kk = inputs_of(tree, "KK")
    assert inputs_of(tree, "KK", TimingSettings(max_gap_minutes=30))[1].digest != kk.digest
    from kitgen.core import environment

    monkeypatch.setitem(environment._ENV_CACHE, "source", "a renderer fix")
    assert inputs_of(tree, "KK")[1].digest != kk.digest


def test_no_op_check_without_loading(tree):
    fake_kit(tree, "KK")
    assert current(tree, "KK")
    edit(tree / "content" / "tools" / "iglo.yaml")  # not KK's
    assert current(tree, "KK")
    edit(tree / "content" / "orgs" / "KK.yaml")
    assert not current(tree, "KK")


def test_each_kind_of_input_makes_the_kit_stale(tree):
    fake_kit(tree, "AMK")
    checks = [
        tree / "content" / "quotes" / "ps-indsatsen.yaml",
        tree / "content" / "programmes" / "ps-indsatsen.yaml",
        tree / "content" / "orgs" / "AMK" / "amk-deck.yaml",
        tree / "layouts" / "labels" / "da.yaml",
    ]
    for path in checks:
        before = path.read_bytes()
        edit(path)
        assert not current(tree, "AMK"), path
        path.write_bytes(before)
        assert current(tree, "AMK"), path
    logo = tree / "content" / "orgs" / "AMK" / "logo.png"
    data = logo.read_bytes()
    logo.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # same size, other bytes
    assert not current(tree, "AMK")


def test_settings_change_makes_the_kit_stale(tree):
    fake_kit(tree, "KK")
    assert not current(tree, "KK", TimingSettings(max_stretch_minutes=120))


def test_a_corrupted_kit_file_of_the_same_size_is_stale(tree):
    out = fake_kit(tree, "KK")
    (out / "deck.pptx").write_bytes(b"DECK")
    assert not current(tree, "KK")


def test_a_file_created_where_a_missing_one_was_looked_for(tree):
    """A client template's layout map, or labels in the org's language, created later."""
    fake_kit(tree, "KK")
    profile = tree / "content" / "orgs" / "KK.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("language: da", "language: en"), encoding="utf-8")
    fake_kit_again = tree / "out"
    shutil.rmtree(fake_kit_again)
    (tree / "layouts" / "text" / "en.yaml").unlink()
    fake_kit(tree, "KK")  # an English org without English note texts falls back to Danish
    assert current(tree, "KK")
    shutil.copy(tree / "layouts" / "text" / "da.yaml", tree / "layouts" / "text" / "en.yaml")
    assert not current(tree, "KK")


def test_a_new_file_in_a_folder_of_ids_sends_the_check_to_a_full_load(tree):
    """A new tool file could define an id the kit uses a second time: the listing changed, so the
    quick check gives way to a full load (which then finds the kit unchanged or the content invalid)."""
    out = fake_kit(tree, "KK")
    time.sleep(0.01)
    (tree / "content" / "tools" / "ny.yaml").write_text("id: ny\ntitle: Ny\n", encoding="utf-8")
    assert not current(tree, "KK")
    _, fresh = inputs_of(tree, "KK")  # what a full load that found the kit unchanged does:
    mark_read_at(out, time.time_ns(), fresh)  # kit.json's listings brought up to date
    assert current(tree, "KK")
    assert json.loads((out / "kit.json").read_text())["org"] == "KK"
    assert "ny.yaml" in json.loads((out / "kit.json").read_text())["inputs"]["listings"]["content/tools"]


@pytest.mark.parametrize("how", ["cp -a", "rsync -a", "tar x", "clock running fast"])
def test_a_copied_update_with_old_mtimes_or_a_fast_clock_is_never_unchanged(tree, tmp_path, how):
    """The listing is compared by its names, never by mtimes: a new file with a duplicate id that
    arrives with a date in the past (or a kit.json stamped in the future) still reloads."""
    out = fake_kit(tree, "KK")
    update = tmp_path / "update" / "tools"
    update.mkdir(parents=True)
    source = next(p for p in sorted((tree / "content" / "tools").iterdir()) if p.suffix == ".yaml")
    (update / "zz-copy.yaml").write_bytes(source.read_bytes())  # the same id a second time
    os.utime(update / "zz-copy.yaml", (946684800, 946684800))  # 2000-01-01
    os.utime(update, (946684800, 946684800))
    target = tree / "content" / "tools"
    if how == "cp -a":
        subprocess.run(["cp", "-a", str(update / "zz-copy.yaml"), str(target)], check=True)
    elif how == "rsync -a" and shutil.which("rsync"):
        subprocess.run(["rsync", "-a", f"{update}/", f"{target}/"], check=True)
    elif how == "tar x" or how == "rsync -a":
        archive = tmp_path / "update.tar"
        subprocess.run(["tar", "-cf", str(archive), "-C", str(update.parent), "tools"], check=True)
        subprocess.run(["tar", "-xf", str(archive), "-C", str(tree / "content")], check=True)
    else:
        (target / "zz-copy.yaml").write_bytes(source.read_bytes())
        future = time.time_ns() + 3600 * 10**9  # kit.json written by a clock an hour fast
        os.utime(out / "kit.json", ns=(future, future))
    os.utime(target, (946684800, 946684800))  # the folder's own mtime in the past too
    assert not current(tree, "KK"), "a new file in a folder of ids must send the check to a full load"


def test_files_behind_a_symlinked_folder(tree, tmp_path_factory):
    """Quotes kept elsewhere and linked in: an edit there makes the kit stale."""
    elsewhere = tmp_path_factory.mktemp("shared") / "quotes"
    shutil.move(tree / "content" / "quotes", elsewhere)
    os.symlink(elsewhere, tree / "content" / "quotes", target_is_directory=True)
    _, amk = inputs_of(tree, "AMK")
    assert "content/quotes/ps-indsatsen.yaml" in amk.files
    fake_kit(tree, "AMK")
    assert current(tree, "AMK")
    edit(elsewhere / "ps-indsatsen.yaml")
    assert not current(tree, "AMK")


def test_a_kit_without_recorded_inputs_is_stale(tree):
    out = fake_kit(tree, "KK")
    manifest = json.loads((out / "kit.json").read_text())
    del manifest["inputs"]  # a kit from before per-org inputs
    (out / "kit.json").write_text(json.dumps(manifest))
    assert not current(tree, "KK")


# --- with real builds ------------------------------------------------------------------------------


def _kit_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_kit_json_has_the_org_s_own_content_version_and_findings(tree):
    from kitgen.build.pipeline import build_org

    project = load(tree)
    result = build_org(project, "KK", tree / "out")
    assert result.status == "built", (result.message, [f.message for f in result.findings if f.severity == "error"])
    manifest = json.loads((tree / "out" / "KK" / "kit.json").read_text())
    inputs = project_org_inputs(project, project.content.orgs["KK"])
    assert manifest["content_version"] == manifest["input_digest"] == inputs.digest
    assert manifest["inputs"] == json.loads(json.dumps(inputs.manifest()))
    unused = [f for f in project.findings if f.rule.startswith("content/unused-")]
    assert unused  # the shipped content has tools no programme uses...
    all_notes = sum(f.severity == "info" for f in result.findings)
    assert manifest["validation"]["info"] <= all_notes - len(unused)  # ...and they are not this kit's notes


def test_an_unrelated_change_leaves_a_kit_untouched_and_a_related_one_rebuilds_it(tree):
    from click.testing import CliRunner

    from kitgen.build.pipeline import build_org
    from kitgen.cli.main import main

    project = load(tree)
    for org_id in ("KK", "BFA"):
        assert build_org(project, org_id, tree / "out").status == "built"
    kk = _kit_bytes(tree / "out" / "KK")
    edit(tree / "content" / "tools" / "iglo.yaml")  # BFA's programme uses it, KK's does not
    project = load(tree)
    assert build_org(project, "KK", tree / "out").status == "unchanged"
    assert build_org(project, "BFA", tree / "out").status == "built"
    assert _kit_bytes(tree / "out" / "KK") == kk
    args = ["build", "--content", str(tree / "content"), "--layouts", str(tree / "layouts"), "--out", str(tree / "out")]
    result = CliRunner().invoke(main, [*args, "--org", "KK"])
    assert result.exit_code == 0 and result.stdout.startswith("unchanged"), result.output
    result = CliRunner().invoke(main, [*args, "--org", "KK", "--max-gap", "20"])  # validation settings: a new kit
    assert result.exit_code == 0 and result.stdout.startswith("built"), result.output


def test_an_edit_during_a_build_leaves_the_kit_stale_not_current(tree):
    """The digest is of the bytes that were loaded: a file edited after loading (while the kit is
    being rendered) makes the next check rebuild, instead of keeping a kit of the old text."""
    from kitgen.build.pipeline import build_org

    project = load(tree)
    edit(tree / "content" / "programmes" / "ledertrivsel-workshop-2021-02-24.yaml")  # KK's, after loading
    assert build_org(project, "KK", tree / "out").status == "built"
    assert not current(tree, "KK")


def test_the_font_files_fitting_measures_with(tree, monkeypatch, tmp_path_factory):
    import kitgen.build.inputs

    real = kitgen.build.inputs.font_file("DejaVu Sans")
    if real is None:
        pytest.skip("fontconfig finds no DejaVu Sans here")
    font = tmp_path_factory.mktemp("fonts") / "Font.ttf"
    shutil.copy(real, font)
    monkeypatch.setattr(kitgen.build.inputs, "font_file", lambda family, bold=False: str(font))
    _, kk = inputs_of(tree, "KK")
    assert kk.files[str(font)] == sha256(font.read_bytes())
    fake_kit(tree, "KK")
    assert current(tree, "KK")
    font.write_bytes(font.read_bytes() + b"\0")  # a font update under the same name
    assert not current(tree, "KK")


def test_the_default_word_template_is_read_by_every_kit(tree):
    """A client's own .docx gets the styles it lacks from kitgen's default one."""
    _, amk = inputs_of(tree, "AMK")
    assert "layouts/default/document.docx" in amk.files
    assert "layouts/default/deck.pptx" not in amk.files


def test_the_no_op_path_loads_neither_the_model_nor_the_writers(tree):
    """What keeps `kitgen build --org KK` on an unchanged kit fast: no pydantic, model, python-pptx,
    rich or networking (python-pptx's saxutils imports urllib.request) is imported (measured: about 0.08 s of CPU for the whole process)."""
    import subprocess
    import sys

    from kitgen.build.pipeline import build_org

    assert build_org(load(tree), "KK", tree / "out").status == "built"
    script = ("import sys\nfrom kitgen.cli.main import main\ntry:\n    main(standalone_mode=False)\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in ('pydantic', 'kitgen.content.model', 'pptx', 'docx', 'rich', 'http.client', 'ssl')"
              " if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script, "build", "--org", "KK", "--content", str(tree / "content"),
                           "--layouts", str(tree / "layouts"), "--out", str(tree / "out")],
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith("unchanged "), done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
