"""Inputs a consultant has: JPEG/GIF/WebP logos converted, SVG explained, a mistyped path
gets did-you-mean, a non-UTF-8 file gets the steps to fix it, a worksheet number the kit
does not have is an error, and a starter's sample texts never reach a kit."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def kitgen(*args, cwd: Path):
    done = subprocess.run([sys.executable, "-m", "kitgen", *args], cwd=cwd, capture_output=True, text=True, timeout=180)
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


@pytest.mark.parametrize("fmt, suffix", [("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")])
def test_a_raster_logo_is_converted_to_png_when_the_org_is_made(content_copy, tmp_path, fmt, suffix):
    logo = tmp_path / f"nordby-logo.{suffix}"
    Image.new("RGB", (300, 120), (20, 60, 140)).save(logo, format=fmt)
    done = kitgen("new", "org", "NORD", "--name", "Nordby Kommune", "--programme", "ledertrivsel-workshop-2021-02-24",
                  "--logo", str(logo), "--content", str(content_copy), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "converted to PNG" in done.stdout
    png = content_copy / "orgs" / "NORD" / "nordby-logo.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    import yaml

    profile = yaml.safe_load((content_copy / "orgs" / "NORD.yaml").read_text(encoding="utf-8"))
    assert profile["branding"]["logo"] == "NORD/nordby-logo.png"


def test_an_svg_logo_is_refused_with_how_to_export_a_png(content_copy, tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    done = kitgen("new", "org", "NORD", "--name", "N", "--logo", str(logo), "--content", str(content_copy), cwd=tmp_path)
    assert done.returncode == 2
    assert "SVG drawing" in done.stderr and "Export" in done.stderr and not (content_copy / "orgs" / "NORD.yaml").exists()


def _set_logo(content: Path, value: str) -> None:
    org = content / "orgs" / "KK.yaml"
    org.write_text(re.sub(r"(?m)^(\s*logo:).*$", rf"\1 {value}", org.read_text(encoding="utf-8")), encoding="utf-8")


def test_a_mistyped_logo_path_gets_did_you_mean(content_copy, tmp_path):
    _set_logo(content_copy, "KK/Logo.PNG")
    done = kitgen("validate", "--org", "KK", "--content", str(content_copy), cwd=tmp_path)
    assert "logo file 'KK/Logo.PNG' does not exist" in done.stdout and "did you mean 'KK/logo.png'?" in done.stdout


def test_a_jpeg_named_in_a_profile_says_what_to_do(content_copy, tmp_path):
    Image.new("RGB", (30, 12), (0, 0, 0)).save(content_copy / "orgs" / "KK" / "logo.jpg", format="JPEG")
    _set_logo(content_copy, "KK/logo.jpg")
    done = kitgen("validate", "--org", "KK", "--content", str(content_copy), cwd=tmp_path)
    assert "'KK/logo.jpg' is a JPEG image; kitgen takes PNG logos" in done.stdout and "converts it" in done.stdout


def test_a_file_not_in_utf8_gets_the_steps_to_save_it_as_utf8(content_copy, tmp_path):
    tool = content_copy / "tools" / "iglo.yaml"
    tool.write_bytes(tool.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    done = kitgen("validate", "--content", str(content_copy), cwd=tmp_path)
    assert "file is not UTF-8 text" in done.stdout
    assert "VS Code" in done.stdout and "Save with Encoding" in done.stdout and "Notepad" in done.stdout


def test_a_note_naming_a_worksheet_the_kit_does_not_have_is_an_error(content_copy, tmp_path):
    programme = content_copy / "programmes" / "ledertrivsel-workshop-2021-02-24.yaml"
    text = programme.read_text(encoding="utf-8")
    programme.write_text(text.replace("    notes: |\n", "    notes: |\n      Del Arbejdsark 5 ud.\n", 1), encoding="utf-8")
    done = kitgen("validate", "--org", "KK", "--content", str(content_copy), cwd=tmp_path)
    assert done.returncode == 1
    line = next(l for l in done.stdout.splitlines() if "[refs/unknown-worksheet]" in l)
    assert "ledertrivsel-workshop-2021-02-24.yaml:" in line and "names 'Arbejdsark 5', but KK's kit has worksheets 1–" in line
    built = kitgen("build", "--org", "KK", "--content", str(content_copy), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert built.returncode == 1 and not (tmp_path / "out" / "KK").exists()


def test_a_starters_sample_texts_never_reach_a_kit(content_copy, tmp_path):
    done = kitgen("new", "tool", "min-oevelse", "--worksheet", "boxes", "--content", str(content_copy), cwd=tmp_path)
    assert done.returncode == 0
    done = kitgen("validate", "--content", str(content_copy), cwd=tmp_path)
    samples = [l for l in done.stdout.splitlines() if "[content/sample-text]" in l]
    assert done.returncode == 1 and len(samples) >= 4, done.stdout
    assert any("min-oevelse.yaml" in l and "(facilitator_notes)" in l and "replace it with your own text" in l for l in samples)
    tool = content_copy / "tools" / "min-oevelse.yaml"
    text = tool.read_text(encoding="utf-8")
    for old, new in [("Ny øvelse", "Min øvelse"), ("Hvad øvelsen skal give deltagerne.", "At lære hinanden at kende."),
                     ("Forklar øvelsen.", "Fortæl om dagens opgave."),
                     ("Hvad facilitatoren skal vide.", "Husk at holde tiden."),
                     ("Udfyld arket undervejs.", "Skriv dine svar.")]:
        text = text.replace(old, new)
    tool.write_text(text, encoding="utf-8")
    done = kitgen("validate", "--content", str(content_copy), cwd=tmp_path)
    assert "[content/sample-text]" not in done.stdout, done.stdout
