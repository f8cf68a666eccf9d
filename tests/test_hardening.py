"""Issue 28's attacks that need more than one command line: another user's account, a killed
build, ``kitgen clean`` beside a user's folders, ``plan --changed`` with a non-editable install
and a ``content/`` submodule. (The one-command cases are in tests/test_bad_inputs.py.)"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import kitgen.build.manifest
import kitgen.build.write
from kitgen.cli.main import main
from kitgen.build.outfolder import NotAKitError, UnsafeFolderError, unsafe_folder_reason
from kitgen.build.write import refuse_reason, write_kit

ROOT = Path(__file__).resolve().parent.parent
FILES = {"deck.pptx": b"deck"}
OTHER = "kitgen-other"


def _manifest(org="KK"):
    return {"kitgen_version": "x", "org": org, "input_digest": "d",
            "files": [{"name": n, "sha256": kitgen.build.manifest.sha256(b), "bytes": len(b)} for n, b in FILES.items()]}


@pytest.fixture(scope="module")
def other_user():
    """A second account (uid, gid) on this machine; skipped where it cannot be made."""
    import pwd

    if os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("needs root and useradd to make a second user")
    try:
        entry = pwd.getpwnam(OTHER)
    except KeyError:
        done = subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", OTHER], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"useradd failed: {done.stderr.decode()[:200]}")
        entry = pwd.getpwnam(OTHER)
    return entry.pw_uid, entry.pw_gid


def _run(cwd: Path, *args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kitgen", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})})


# --- another user ---------------------------------------------------------------------------------

def test_an_output_folder_in_a_group_with_another_user_is_refused(tmp_path, other_user):
    _uid, gid = other_user
    out = tmp_path / "out"
    out.mkdir()
    os.chown(out, 0, gid)  # the other user's group, in which that user is
    os.chmod(out, 0o775)
    reason = unsafe_folder_reason(out)
    assert reason and str(out) in reason and "drwxrwxr-x, 0775" in reason and "chmod go-w" in reason
    with pytest.raises(UnsafeFolderError):
        write_kit(out / "KK", FILES, _manifest())
    assert sorted(os.listdir(out)) == []


def test_a_group_writable_folder_of_ones_own_private_group_is_safe(tmp_path):
    """umask 002 with a user private group (Debian, Ubuntu): no one else is in the group."""
    import grp
    import pwd

    me = pwd.getpwuid(os.geteuid())
    if grp.getgrgid(me.pw_gid).gr_mem or any(u.pw_gid == me.pw_gid and u.pw_uid != me.pw_uid for u in pwd.getpwall()):
        pytest.skip("this account's primary group is shared")
    out = tmp_path / "out"
    out.mkdir()
    os.chmod(out, 0o775)
    assert unsafe_folder_reason(out) is None
    write_kit(out / "KK", FILES, _manifest())
    assert (out / "KK" / "deck.pptx").read_bytes() == b"deck"


def test_another_users_kits_folder_or_planted_link_is_refused(tmp_path, other_user):
    uid, gid = other_user
    out = tmp_path / "out"
    (out / ".kits").mkdir(parents=True)
    os.chown(out / ".kits", uid, gid)
    os.chmod(out / ".kits", 0o755)
    assert "is not yours" in unsafe_folder_reason(out)
    shutil.rmtree(out / ".kits")
    os.chmod(out, 0o1777)  # a shared folder with the sticky bit: others may add entries, so each is checked
    (out / "KK").symlink_to(".kits/KK-1")
    os.lchown(out / "KK", uid, gid)
    reason = refuse_reason(out / "KK")
    assert reason and "belongs to another user" in reason
    with pytest.raises(NotAKitError):
        write_kit(out / "KK", FILES, _manifest())
    assert os.readlink(out / "KK") == ".kits/KK-1"


def test_the_cli_refuses_a_shared_output_folder_with_exit_2(tmp_path, other_user):
    _uid, gid = other_user
    out = tmp_path / "out"
    out.mkdir()
    os.chown(out, 0, gid)
    os.chmod(out, 0o770)
    done = _run(tmp_path, "build", "--org", "KK", "--content", str(ROOT / "content"), "--layouts", str(ROOT / "layouts"),
                "--out", "out")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "error: the output folder out can be written by other users (mode drwxrwx---, 0770" in done.stderr
    assert "Traceback" not in done.stderr and os.listdir(out) == []


# --- a killed build, kitgen clean ------------------------------------------------------------------

def test_a_build_killed_while_writing_leaves_a_recorded_leftover_that_the_next_build_removes(tmp_path):
    """A real process killed (SIGKILL) between making its version folder and swapping it in."""
    out = tmp_path / "out"
    write_kit(out / "KK", FILES, _manifest())
    (out / ".KK.old-2024").mkdir()
    script = ("import os, sys, time, kitgen.build.write as w\n"
              "real = w._swap_in\n"
              "def stuck(target, version):\n"
              "    print('written', flush=True); time.sleep(60)\n"
              "w._swap_in = stuck\n"
              f"w.write_kit(w.Path({str(out / 'KK')!r}), {{'deck.pptx': b'new'}}, {_manifest()!r})\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "written"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert sorted(os.listdir(out / ".kits")) == ["KK-1", "KK-2", "KK.lock", "KK.own"]
    assert (out / "KK" / "deck.pptx").read_bytes() == b"deck", "the previous kit stays in place"
    write_kit(out / "KK", FILES, _manifest())
    assert sorted(os.listdir(out / ".kits")) == ["KK-3", "KK.lock", "KK.own"]
    assert (out / ".KK.old-2024").is_dir(), "a user's folder beside the kits is never removed"


def test_clean_removes_exactly_the_gone_orgs_recorded_names(tmp_path):
    out = tmp_path / "out"
    for org in ("GONE", "GONE-old"):
        write_kit(out / org, FILES, _manifest(org))
    (out / ".kits" / "GONE-7").mkdir()  # named like a version of GONE's, made by someone else
    (out / ".kits" / "GONE-7" / "mine.txt").write_text("mine")
    (out / ".GONE.old-2024").mkdir()
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copy(content / "orgs" / "KK.yaml", content / "orgs" / "GONE-old.yaml")
    text = (content / "orgs" / "GONE-old.yaml").read_text(encoding="utf-8").replace("id: KK", "id: GONE-old")
    (content / "orgs" / "GONE-old.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["clean", "--out", str(out), "--content", str(content)])
    assert result.exit_code == 0, result.output
    assert f"removed {out / 'GONE'}/" in result.stdout
    assert sorted(os.listdir(out / ".kits")) == ["GONE-7", "GONE-old-1", "GONE-old.lock", "GONE-old.own"]
    assert (out / "GONE-old" / "deck.pptx").read_bytes() == b"deck" and (out / ".GONE.old-2024").is_dir()


# --- plan --changed: kitgen installed without -e; content/ as a submodule --------------------------

def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.email=t@example.org", "-c", "user.name=t",
                           "-c", "protocol.file.allow=always", *args],
                          capture_output=True, text=True, check=True).stdout


def _plan(repo: Path, content: Path, ref: str = "HEAD") -> dict:
    result = CliRunner().invoke(main, ["plan", "--changed", ref, "--content", str(content), "--layouts",
                                       str(repo / "layouts"), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_change_to_kitgens_source_touches_every_kit_when_kitgen_is_not_installed_editable(tmp_path):
    """The checkout holds kitgen's source (src/kitgen/…) but this kitgen runs from elsewhere (a wheel):
    a renderer change still touches every kit, and so does a new module."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(ROOT / "content", repo / "content")
    shutil.copytree(ROOT / "layouts", repo / "layouts")
    shutil.copytree(ROOT / "kitgen", repo / "src" / "kitgen", ignore=shutil.ignore_patterns("__pycache__"))
    (repo / "pyproject.toml").write_text('[project]\nname = "kitgen"\n')
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    assert _plan(repo, repo / "content")["orgs"] == []
    deck = repo / "src" / "kitgen" / "render" / "deck.py"
    deck.write_text(deck.read_text(encoding="utf-8") + "\n# a renderer change\n", encoding="utf-8")
    assert len(_plan(repo, repo / "content")["orgs"]) >= 3
    _git(repo, "checkout", "-q", "--", ".")
    (repo / "src" / "kitgen" / "render" / "new_part.py").write_text("X = 1\n")
    assert len(_plan(repo, repo / "content")["orgs"]) >= 3


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_plan_follows_a_content_submodule_and_sees_layout_changes(tmp_path):
    upstream = tmp_path / "content-repo"
    shutil.copytree(ROOT / "content", upstream)
    _git(upstream, "init", "-q")
    _git(upstream, "add", "-A")
    _git(upstream, "commit", "-qm", "content")
    repo = tmp_path / "kits"
    repo.mkdir()
    shutil.copytree(ROOT / "layouts", repo / "layouts")
    _git(repo, "init", "-q")
    _git(repo, "submodule", "add", "-q", str(upstream), "content")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    content = repo / "content"
    assert _plan(repo, content)["orgs"] == []
    profile = content / "orgs" / "KK.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert _plan(repo, content)["orgs"] == ["KK"], "a file inside the submodule, uncommitted"
    _git(content, "commit", "-qam", "KK edited")  # committed in the submodule, not yet in the superproject
    assert _plan(repo, content)["orgs"] == ["KK"]
    labels = repo / "layouts" / "labels" / "da.yaml"
    labels.write_text(labels.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert "KK" in _plan(repo, content)["orgs"] and len(_plan(repo, content)["orgs"]) >= 2, "a layout change counts"
