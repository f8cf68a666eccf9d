"""A new client starts clean: its own booking or none, commented placeholders for what is not
given, logo variants, and a past date as an info that changes no kit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from pptx import Presentation

ROOT = Path(__file__).resolve().parent.parent
LOGO = ROOT / "content" / "orgs" / "KK" / "logo.png"


def kitgen(*args, cwd: Path):
    done = subprocess.run([sys.executable, "-m", "kitgen", *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


def _cover_text(kit: Path) -> str:
    deck = Presentation(str(kit / "deck.pptx"))
    return " ".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)


def test_a_new_client_with_its_booking(content_copy, tmp_path):
    done = kitgen("new", "org", "NORD", "--name", "Nordby Kommune", "--programme", "ps-indsatsen",
                  "--logo", str(LOGO), "--logo-on-dark", str(LOGO), "--date", "2030-03-15",
                  "--venue", "Rådhuset, lokale 2", "--contact-name", "Anne Hansen", "--contact-email", "ah@nordby.dk",
                  "--materials-url", "https://nordby.dk/ps", "--content", str(content_copy), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    profile = yaml.safe_load((content_copy / "orgs" / "NORD.yaml").read_text(encoding="utf-8"))
    assert str(profile["date"]) == "2030-03-15" and profile["venue"] == "Rådhuset, lokale 2"
    assert profile["contact"] == {"name": "Anne Hansen", "email": "ah@nordby.dk"}
    assert profile["materials_url"] == "https://nordby.dk/ps"
    assert profile["branding"]["logo_on_dark"] == "NORD/logo.png"
    built = kitgen("build", "--org", "NORD", "--content", str(content_copy), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    cover = _cover_text(tmp_path / "out" / "NORD")
    assert "2030" in cover and "Rådhuset" in cover


def test_a_new_client_without_a_booking_shows_no_date_and_gets_placeholders(content_copy, tmp_path):
    done = kitgen("new", "org", "NORD", "--name", "Nordby Kommune", "--programme", "ledertrivsel-workshop-2021-02-24",
                  "--content", str(content_copy), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (content_copy / "orgs" / "NORD.yaml").read_text(encoding="utf-8")
    for placeholder in ("# date:", "# venue:", "# contact:", "# materials_url:"):
        assert placeholder in text, text
    profile = yaml.safe_load(text)
    assert not {"date", "venue", "contact", "materials_url"} & set(profile)
    built = kitgen("build", "--org", "NORD", "--content", str(content_copy), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "2021" not in _cover_text(tmp_path / "out" / "NORD"), "another client's (the seed's) date on the cover"


def test_a_past_date_is_an_info_that_changes_no_kit(content_copy, tmp_path):
    kitgen("new", "org", "NORD", "--name", "Nordby Kommune", "--programme", "ps-indsatsen", "--date", "2030-03-15",
           "--content", str(content_copy), cwd=tmp_path)
    done = kitgen("validate", "--org", "NORD", "--verbose", "--content", str(content_copy), cwd=tmp_path)
    assert "[org/date-past]" not in done.stdout
    future = kitgen("build", "--org", "NORD", "--content", str(content_copy), "--out", str(tmp_path / "a"), cwd=tmp_path)
    assert future.returncode == 0, future.stdout + future.stderr
    profile = content_copy / "orgs" / "NORD.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("2030-03-15", "2020-03-15"), encoding="utf-8")
    done = kitgen("validate", "--org", "NORD", "--verbose", "--content", str(content_copy), cwd=tmp_path)
    assert "[org/date-past]" in done.stdout and "2020-03-15 is in the past" in done.stdout
    strict = kitgen("validate", "--org", "NORD", "--strict", "--content", str(content_copy), cwd=tmp_path)
    assert strict.returncode == 0, strict.stdout
    past = kitgen("build", "--org", "NORD", "--content", str(content_copy), "--out", str(tmp_path / "b"), cwd=tmp_path)
    assert past.returncode == 0, past.stdout + past.stderr
    counts = [json.loads((tmp_path / d / "NORD" / "kit.json").read_text(encoding="utf-8"))["validation"] for d in "ab"]
    assert counts[0] == counts[1], "a kit's summary must not depend on the day it is built"


def test_a_wrong_address_or_link_is_a_usage_error(content_copy, tmp_path):
    done = kitgen("new", "org", "NORD", "--name", "N", "--materials-url", "nordby.dk", "--content", str(content_copy),
                  cwd=tmp_path)
    assert done.returncode == 2 and "https://" in done.stderr
    done = kitgen("new", "org", "NORD", "--name", "N", "--contact-email", "anne", "--content", str(content_copy),
                  cwd=tmp_path)
    assert done.returncode == 2 and "not an e-mail address" in done.stderr
    assert not (content_copy / "orgs" / "NORD.yaml").exists()
