"""The command line as a consultant and CI use it: messages and exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

from conftest import FIXTURES, LAYOUTS, ROOT


def kitgen(*args, cwd=ROOT):
    done = subprocess.run([sys.executable, "-m", "kitgen", *args], cwd=cwd, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def test_help_explains_the_commands():
    code, out = kitgen("--help")
    assert code == 0
    for word in ("build", "validate", "list", "preview", "deck.pptx", "worksheets.docx"):
        assert word in out
    code, out = kitgen("build", "--help")
    assert code == 0 and "--org ID" in out and "--force" in out and "writes nothing" in out


def test_unknown_org_is_a_one_line_usage_error_listing_known_orgs(tmp_path):
    code, out = kitgen("build", "--org", "XX", "--out", str(tmp_path))
    assert code == 2
    assert out.strip().splitlines() == ["error: unknown organisation 'XX'; known organisations: AMK, BFA, DEMO-EN, KK"]
    assert "Traceback" not in out and not any(tmp_path.iterdir())


def test_org_id_with_a_path_is_refused_before_any_path_is_built(tmp_path):
    for bad in ("../../etc", "a/b", "..", "KK/../AMK"):
        code, out = kitgen("build", "--org", bad, "--out", str(tmp_path / "out"))
        assert code == 2, bad
        assert "is not a valid organisation id" in out
    assert not (tmp_path / "out").exists()


def test_list_shows_orgs_programmes_and_tools():
    code, out = kitgen("list")
    assert code == 0
    assert "Københavns Kommune" in out and "ledertrivsel-workshop-2021-02-24" in out and "styrk-ledelsesgruppen" in out


def test_validate_kk_is_clean_and_strict_fails_on_the_break_warning():
    code, out = kitgen("validate", "--org", "KK")
    assert code == 0, out
    assert "0 errors" in out
    assert "content/unused-tool" not in out and "info findings not listed; --verbose lists them" in out
    code, out = kitgen("validate", "--org", "KK", "--verbose")
    assert code == 0 and "[content/unused-tool]" in out
    code, out = kitgen("validate", "--org", "KK", "--strict")
    assert code == 1 and "timing/no-break" in out


def _broken_content(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copy(FIXTURES / "seed-original-2021-02-24.yaml", content / "programmes" / "ledertrivsel-workshop-2021-02-24.yaml")
    return content


def test_validate_reports_the_seed_overlap_in_every_format(tmp_path):
    content = _broken_content(tmp_path)
    code, out = kitgen("validate", "--org", "KK", "--content", str(content), "--layouts", str(LAYOUTS))
    assert code == 1
    line = next(l for l in out.splitlines() if "timing/overlap" in l)
    assert line.startswith("error   ") and "programmes/ledertrivsel-workshop-2021-02-24.yaml:" in line
    assert "'Pause' (10:00–10:15) starts 15 min before 'Præsentation af hovedkonklusioner' (09:30–10:15) ends" in line

    code, out = kitgen("validate", "--org", "KK", "--content", str(content), "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["summary"]["error"] >= 1
    overlap = next(f for f in report["findings"] if f["rule"] == "timing/overlap")
    assert overlap["severity"] == "error" and overlap["line"] > 0 and overlap["field"].endswith(".start")

    code, out = kitgen("validate", "--org", "KK", "--content", str(content), "--format", "github")
    assert code == 1
    annotation = next(l for l in out.splitlines() if "timing/overlap" in l)
    assert annotation.startswith("::error file=") and ",line=" in annotation


def test_build_with_a_broken_programme_exits_1_and_writes_nothing(tmp_path):
    content = _broken_content(tmp_path)
    out_dir = tmp_path / "output"
    code, out = kitgen("build", "--org", "KK", "--content", str(content), "--out", str(out_dir))
    assert code == 1
    assert "timing/overlap" in out and "nothing was written" in out and "Traceback" not in out
    assert not (out_dir / "KK").exists()
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_build_prints_what_it_wrote(tmp_path):
    code, out = kitgen("build", "--org", "KK", "--out", str(tmp_path))
    assert code == 0, out
    assert "built" in out and "slides" in out and "run-sheet rows" in out
    for name in ("deck.pptx", "worksheets.docx", "facilitator-notes.docx"):
        assert name in out and (tmp_path / "KK" / name).is_file()
    code, out = kitgen("build", "--org", "KK", "--out", str(tmp_path))
    assert code == 0 and "unchanged" in out


def test_build_all_builds_every_org_in_parallel_and_reports_a_failure(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    # a third organisation whose logo is missing: it fails, the others still build
    (content / "orgs" / "BAD.yaml").write_text(
        "id: BAD\nname: Broken Org\nprogramme: ps-indsatsen\nbranding:\n  logo: BAD/missing.png\n", encoding="utf-8")
    out = tmp_path / "output"
    code, text = kitgen("build", "--all", "--content", str(content), "--out", str(out), "--jobs", "2")
    assert code == 1, text
    assert "logo file 'BAD/missing.png' does not exist" in text
    assert "4 built, 0 unchanged, 1 failed" in text  # AMK, BFA, DEMO-EN, KK
    table = text.splitlines()  # in a log (not a terminal): the table as plain aligned text
    header = next(i for i, line in enumerate(table) if line.split()[:2] == ["org", "status"])
    assert table[header - 1] == "kitgen build"
    assert [line.split()[:2] for line in table[header + 1:header + 6]] == [
        ["AMK", "built"], ["BAD", "failed"], ["BFA", "built"], ["DEMO-EN", "built"], ["KK", "built"]]
    assert table[header].index("message") == re.search(r"\d+ slides", table[header + 1]).start()  # columns line up
    assert (out / "KK" / "deck.pptx").is_file() and (out / "AMK" / "deck.pptx").is_file()
    assert not (out / "BAD").exists()
    code, text = kitgen("build", "--org", "KK", "--org", "AMK", "--content", str(content), "--out", str(out))
    assert code == 0 and "0 built, 2 unchanged, 0 failed" in text


def test_preview_without_libreoffice_says_how_to_install_it(tmp_path):
    import os

    env = {**os.environ, "PATH": str(tmp_path)}  # no soffice, no pdftoppm on this PATH
    done = subprocess.run([sys.executable, "-m", "kitgen", "preview", "--org", "KK"], cwd=ROOT, capture_output=True,
                          text=True, env=env)
    assert done.returncode == 2
    assert "preview needs soffice" in done.stderr and "apt-get install libreoffice-impress" in done.stderr


def test_many_kits_are_built_in_rounds_of_fresh_workers_each_kit_whole(tmp_path, monkeypatch):
    """--all over more kits than one round: every kit built once, by a worker of its round
    (workers are replaced between rounds so their memory stays flat), the same bytes as alone."""
    from kitgen.build import pipeline as build_module
    from kitgen.build.pipeline import Project, _rounds, build_many, build_org

    assert [len(r) for r in _rounds([str(i) for i in range(250)], 2)] == [84, 84, 82]
    assert [len(r) for r in _rounds(["a"], 2)] == [1]
    monkeypatch.setattr(build_module, "ROUND_KITS", 1)  # rounds of two kits: AMK+BFA, DEMO-EN+KK
    seen = []
    original = build_module._build_round
    monkeypatch.setattr(build_module, "_build_round", lambda *a: (seen.append(list(a[1])), original(*a))[1])
    project = Project.load(ROOT / "content", LAYOUTS)
    results = build_many(project, ["AMK", "BFA", "DEMO-EN", "KK"], tmp_path / "out", force=True, jobs=2)
    assert seen == [["AMK", "BFA"], ["DEMO-EN", "KK"]]
    assert [(r.org_id, r.status) for r in results] == [(o, "built") for o in ("AMK", "BFA", "DEMO-EN", "KK")]
    for r in results:  # what comes back from a worker: the run's own findings (shared), and a built kit's errors
        shared = [f for f in r.findings if any(f is g for g in project.findings)]
        assert len(shared) == len(project.findings)
        assert all(f.severity == "error" for f in r.findings if not any(f is g for g in project.findings))
    alone = build_org(project, "KK", tmp_path / "alone", force=True)
    assert alone.status == "built"
    for name in ("deck.pptx", "worksheets.docx", "facilitator-notes.docx"):
        assert (tmp_path / "out" / "KK" / name).read_bytes() == (tmp_path / "alone" / "KK" / name).read_bytes()


def fresh_python(script: str) -> subprocess.CompletedProcess:
    """``script`` (dedented) in a new interpreter: what a process imports, unaffected by this test run."""
    import textwrap

    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=60)


def test_build_does_not_load_the_other_commands_but_help_lists_them():
    done = fresh_python("""
        import sys
        from kitgen.cli.main import main
        for args in (['build', '--help'], ['--help']):
            try:
                main(args, standalone_mode=False)
            except SystemExit:
                pass
            print('after', args[0], 'kitgen.cli.commands.watch' in sys.modules)
        """)
    assert "after build False" in done.stdout and "after --help True" in done.stdout, done.stdout + done.stderr
    assert all(f"  {name} " in done.stdout for name in ("build", "watch", "init-org", "show", "plan", "preview"))
