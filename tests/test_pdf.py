"""kitgen build --pdf: print-ready PDFs inside the kit, the same bytes for the same inputs,
every page with something on it; without LibreOffice a clear message and exit 2."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT, LAYOUTS = ROOT / "content", ROOT / "layouts"
KITGEN = [sys.executable, "-m", "kitgen"]

NEEDS = [tool for tool in ("soffice", "pdftotext", "pdfinfo") if shutil.which(tool) is None]
needs_libreoffice = pytest.mark.skipif(bool(NEEDS) and os.environ.get("CI", "").lower() != "true",
                                       reason=f"needs {', '.join(NEEDS)}: apt-get install libreoffice-writer libreoffice-impress poppler-utils")


def _build(out: Path, *extra: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([*KITGEN, "build", "--org", "KK", "--content", str(CONTENT), "--layouts", str(LAYOUTS),
                           "--out", str(out), "--force", *extra], capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def pdf_kit(tmp_path_factory):
    if NEEDS and os.environ.get("CI", "").lower() != "true":
        pytest.skip(f"needs {', '.join(NEEDS)}")
    out = tmp_path_factory.mktemp("pdfkit")
    done = _build(out, "--pdf")
    assert done.returncode == 0, done.stderr + done.stdout
    return out / "KK"


def _pages(pdf: Path) -> list[str]:
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
                           capture_output=True, text=True).stdout for n in range(1, count + 1)]


@needs_libreoffice
def test_pdfs_are_in_the_kit_and_in_its_manifest(pdf_kit):
    names = {"worksheets.pdf", "facilitator-notes.pdf", "deck.pdf"}
    assert names <= {p.name for p in pdf_kit.iterdir()}
    manifest = json.loads((pdf_kit / "kit.json").read_text(encoding="utf-8"))
    listed = {f["name"] for f in manifest["files"]}
    assert names <= listed
    for name in names:
        assert (pdf_kit / name).read_bytes().startswith(b"%PDF-")


@needs_libreoffice
def test_every_page_has_content_and_numbers(pdf_kit):
    for name in ("worksheets.pdf", "facilitator-notes.pdf"):
        pages = _pages(pdf_kit / name)
        assert len(pages) >= 3
        for number, text in enumerate(pages, start=1):
            footer = re.search(r"Side (\d+) af (\d+)", text)  # the worksheets count per sheet ("Arbejdsark 2 · Side 1 af 3")
            assert footer, f"{name} page {number}: footer page numbers"
            if name == "facilitator-notes.pdf":
                assert footer.group(0) == f"Side {number} af {len(pages)}", f"{name} page {number}: footer page numbers"
            body = text.replace(footer.group(0), "")
            lines = [line for line in body.splitlines() if line.strip() and "Københavns Kommune ·" not in line]
            assert lines, f"{name} page {number} is blank"


@needs_libreoffice
def test_wide_worksheet_pages_print_landscape(pdf_kit):
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf_kit / "worksheets.pdf")], capture_output=True, text=True).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    assert any(w > h for w, h in sizes), "the prioriteringskort's sheet is landscape"
    assert any(w < h for w, h in sizes)


@needs_libreoffice
def test_same_inputs_same_pdf_bytes(pdf_kit, tmp_path):
    done = _build(tmp_path, "--pdf")
    assert done.returncode == 0, done.stderr
    for name in ("worksheets.pdf", "facilitator-notes.pdf", "deck.pdf"):
        assert (tmp_path / "KK" / name).read_bytes() == (pdf_kit / name).read_bytes(), name


def test_without_libreoffice_a_clear_message_and_exit_2(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    done = _build(tmp_path / "out", "--pdf", env={**os.environ, "PATH": str(empty)})
    assert done.returncode == 2
    message = done.stderr + done.stdout
    assert "LibreOffice" in message and "--pdf" in message
    assert "Traceback" not in message
    assert not (tmp_path / "out" / "KK").exists(), "nothing built"


def test_normalise_pdf_rewrites_dates_and_ids_in_place():
    from datetime import datetime

    from kitgen.build.pdf import normalise_pdf

    raw = (b"%PDF-1.7\n/CreationDate(D:20261126143327Z')>>\ntrailer\n<</ID [ <117162FF77AA52FD9FA26786463984AA>\n"
           b"<117162FF77AA52FD9FA26786463984AA> ]\n/DocChecksum /B6D5AD9DFE0B379F982E828C03230CD1\n>>\n%%EOF\n")
    other = raw.replace(b"117162FF", b"99999999").replace(b"143327", b"090000").replace(b"B6D5AD9D", b"00000000")
    first, second = normalise_pdf(raw, datetime(2021, 2, 24, 8)), normalise_pdf(other, datetime(2021, 2, 24, 8))
    assert first == second and len(first) == len(raw)
    assert b"D:20210224080000" in first


# --- PDFs are part of a kit that asked for them; the handout carries the speaker notes ---------------

def _plain_build(out: Path, *extra: str, content: Path = CONTENT) -> subprocess.CompletedProcess:
    return subprocess.run([*KITGEN, "build", "--org", "KK", "--content", str(content), "--layouts", str(LAYOUTS),
                           "--out", str(out), *extra], capture_output=True, text=True, timeout=600)


@needs_libreoffice
def test_the_deck_handout_is_notes_pages_with_the_speaker_notes(pdf_kit):
    from pptx import Presentation

    deck = Presentation(str(pdf_kit / "deck.pptx"))
    pages = _pages(pdf_kit / "deck.pdf")
    assert len(pages) == len(deck.slides)
    notes = deck.slides[1].notes_slide.notes_text_frame.text
    first_line = next(line for line in notes.splitlines() if line.strip())
    assert " ".join(first_line.split()[:4]) in " ".join(pages[1].split()), (first_line, pages[1][:400])
    info = subprocess.run(["pdfinfo", str(pdf_kit / "deck.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", info)


@needs_libreoffice
def test_a_kit_keeps_its_pdfs_until_no_pdf_drops_them(tmp_path, content_copy):
    out = tmp_path / "out"
    assert _plain_build(out, content=content_copy).returncode == 0
    assert not (out / "KK" / "deck.pdf").exists()
    done = _plain_build(out, "--pdf", content=content_copy)  # unchanged kit: the missing PDFs are written
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "KK" / "deck.pdf").is_file()
    assert json.loads((out / "KK" / "kit.json").read_text(encoding="utf-8"))["pdf"] is True
    profile = content_copy / "orgs" / "KK.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    done = _plain_build(out, content=content_copy)  # a plain build after an edit keeps the PDFs current
    assert done.returncode == 0, done.stdout + done.stderr
    assert {"deck.pdf", "worksheets.pdf", "facilitator-notes.pdf"} <= {p.name for p in (out / "KK").iterdir()}
    listed = {f["name"] for f in json.loads((out / "KK" / "kit.json").read_text(encoding="utf-8"))["files"]}
    assert "deck.pdf" in listed
    done = _plain_build(out, "--no-pdf", content=content_copy)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not list((out / "KK").glob("*.pdf"))
    assert json.loads((out / "KK" / "kit.json").read_text(encoding="utf-8"))["pdf"] is False
