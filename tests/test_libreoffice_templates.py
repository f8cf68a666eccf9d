"""LibreOffice's own templates as a client would hand them over: init-org and build, no hand-written map.

Every Impress template LibreOffice ships (``share/template/**/presnt/*.otp``) and its
Writer letter and report styles (``officorr/*.ott``, ``wizard/report/stl-*.ott``) are
converted to .pptx/.docx inside the test (once per session), onboarded with
``kitgen init-org`` and built; the deck is rendered to PDF (one page per slide). Locally
a spread of them runs (several masters, 4:3, a single master); under ``CI=true`` all of
them, and a missing LibreOffice is a failure there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation

from conftest import CONTENT, LAYOUTS

CI = os.environ.get("CI", "").lower() == "true"
MISSING = [tool for tool in ("soffice", "pdftoppm", "pdfinfo") if shutil.which(tool) is None]
if MISSING:
    if CI:
        pytest.fail(f"CI must have {', '.join(MISSING)} (.ci/run installs LibreOffice and poppler-utils)", pytrace=False)
    pytestmark = pytest.mark.skip(reason=f"needs {', '.join(MISSING)}: apt-get install libreoffice-impress poppler-utils")

ROOTS = [Path(p) for p in ("/usr/lib/libreoffice/share/template", "/usr/share/libreoffice/share/template",
                           "/opt/libreoffice/share/template", "/usr/lib64/libreoffice/share/template")]
LOCAL_DECKS = ("Beehive", "Focus", "Nature_Illustration", "Vivid", "debian-presentation")
LOCAL_DOCS = ("Modern_business_letter_sans_serif", "stl-01", "stl-05")


def _found(pattern: str) -> list[Path]:
    seen = {}
    for root in ROOTS:
        if root.is_dir():
            for path in sorted(root.glob(pattern)):
                seen.setdefault(path.stem, path)
    return sorted(seen.values(), key=lambda p: p.stem)


DECKS = _found("**/presnt/*.otp")
DOCS = _found("common/officorr/*.ott") + _found("common/wizard/report/stl-*.ott")
if not CI:
    DECKS = [p for p in DECKS if p.stem in LOCAL_DECKS]
    DOCS = [p for p in DOCS if p.stem in LOCAL_DOCS]


# Known defects (issue 23): none. Progress, Sunset and Vintage, refused before (slides/overflow in their low
# title and list boxes), build: placement keeps a designer's box that a cut would leave too low, and the programme
# may go onto two slides. A template added here is marked xfail (not strict: a fixed one shows XPASS).
KNOWN: dict[str, str] = {}


def _deck_param(path: Path):
    if path.stem in KNOWN:
        return pytest.param(path.stem, marks=pytest.mark.xfail(reason=KNOWN[path.stem], strict=False))
    return path.stem


def _org_id(number: int, stem: str) -> str:
    return f"LO{number:02d}-" + "".join(c for c in stem if c.isalnum())[:24]


def _convert(sources: list[Path], target: str, out: Path) -> dict[str, Path]:
    """LibreOffice converts every file in one run (one start-up), with a private profile."""
    if not sources:
        return {}
    profile = out / "profile"
    command = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(out)] + [str(s) for s in sources]
    subprocess.run(command, capture_output=True, text=True, timeout=900)
    return {s.stem: out / f"{s.stem}.{target}" for s in sources if (out / f"{s.stem}.{target}").is_file()}


def _kitgen(*args, cwd: Path):
    return subprocess.run([sys.executable, "-m", "kitgen", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def onboarded(tmp_path_factory):
    """Every chosen template converted, onboarded with init-org and built, decks rendered to PDF."""
    from kitgen.build.preview import pdf_pages, to_pdf

    work = tmp_path_factory.mktemp("lo-templates")
    decks = _convert(DECKS, "pptx", work / "converted")
    docs = _convert(DOCS, "docx", work / "converted")
    shutil.copytree(CONTENT, work / "content")
    shutil.copytree(LAYOUTS, work / "layouts")
    doc_list = list(docs.values())
    results = {}
    for number, (stem, deck) in enumerate(sorted(decks.items())):
        org = _org_id(number, stem)
        args = ["init-org", org, "--name", f"LibreOffice {stem}", "--pptx", str(deck),
                "--logo", str(CONTENT / "orgs" / "KK" / "logo.png")]
        if doc_list:
            args += ["--docx", str(doc_list[number % len(doc_list)])]
        results[stem] = {"org": org, "init": _kitgen(*args, cwd=work)}
    for number, (stem, doc) in enumerate(sorted(docs.items()), start=50):  # every Word template, with kitgen's deck
        org = _org_id(number, stem)
        results["doc:" + stem] = {"org": org, "init": _kitgen("init-org", org, "--name", f"LibreOffice {stem}",
                                                              "--docx", str(doc), cwd=work)}
    orgs = [r["org"] for r in results.values()]
    build = _kitgen("build", *[a for o in orgs for a in ("--org", o)], "--out", str(work / "out"), "--force", cwd=work)
    built = [work / "out" / r["org"] / "deck.pptx" for stem, r in results.items() if not stem.startswith("doc:")]
    built = [p for p in built if p.is_file()]
    pdfs = to_pdf(built, work / "pdf") if built else {}  # soffice with no file would wait for a window
    for stem, result in results.items():
        deck = work / "out" / result["org"] / "deck.pptx"
        result["deck"] = deck
        result["pages"] = pdf_pages(pdfs[deck]) if deck in pdfs else None
        result["source"] = decks.get(stem) or docs.get(stem.removeprefix("doc:"))
    return {"results": results, "build": build, "work": work, "converted": (decks, docs)}


def test_every_template_was_found_and_converted(onboarded):
    decks, docs = onboarded["converted"]
    assert DECKS, "LibreOffice ships Impress templates (share/template/common/presnt)"
    assert set(decks) == {p.stem for p in DECKS}
    assert set(docs) == {p.stem for p in DOCS}


@pytest.mark.parametrize("stem", [_deck_param(p) for p in DECKS])
def test_impress_template_onboards_and_builds_with_no_hand_written_map(onboarded, stem):
    result = onboarded["results"][stem]
    init = result["init"]
    assert init.returncode == 0, init.stdout + init.stderr
    assert "title " in init.stdout and "content " in init.stdout and "master" in init.stdout
    assert "0 errors" in init.stdout
    build = onboarded["build"]
    assert result["deck"].is_file(), build.stdout + build.stderr
    slides = len(Presentation(str(result["deck"])).slides)
    assert result["pages"] == slides


@pytest.mark.parametrize("stem", [_deck_param(p) for p in DECKS])
def test_the_clients_own_fonts_and_colours_are_kept(onboarded, stem):
    from kitgen.templates.brand import installed_or
    from kitgen.templates.choose import choose_layouts
    from kitgen.templates.inspect import inspect_template

    result = onboarded["results"][stem]
    before = inspect_template(result["source"])
    after = inspect_template(result["deck"])
    for old, new in zip(before.masters, after.masters):  # a font not installed here: the theme's (Vivid: Arial), on every shape
        major, minor = old.theme_fonts
        assert (new.heading_font, new.body_font) == (installed_or(old.heading_font, major), installed_or(old.body_font, minor))
        assert new.colours == old.colours
    chosen = choose_layouts(before)
    kit = Presentation(str(result["deck"]))
    masters = list(kit.slide_masters)
    used = {masters.index(slide.slide_layout.slide_master) for slide in list(kit.slides)[1:-1]}
    assert used <= {chosen.content_master, chosen.cover_master, chosen.divider_master}  # a third design for dividers


@pytest.mark.parametrize("stem", [p.stem for p in DOCS])
def test_writer_template_onboards_and_builds(onboarded, stem):
    from docx import Document

    result = onboarded["results"]["doc:" + stem]
    assert result["init"].returncode == 0, result["init"].stdout + result["init"].stderr
    worksheets = onboarded["work"] / "out" / result["org"] / "worksheets.docx"
    assert worksheets.is_file(), onboarded["build"].stdout + onboarded["build"].stderr
    document = Document(str(worksheets))
    names = {s.name for s in document.styles}
    assert {"List Bullet", "List Number", "Table Grid", "Heading 1", "Title"} <= names
    section = document.sections[0]
    assert section.page_width and section.top_margin


def test_show_template_renders_every_layout(onboarded, tmp_path):
    decks, _ = onboarded["converted"]
    source = decks[sorted(decks)[0]]
    done = _kitgen("show", "template", str(source), "--png", str(tmp_path / "png"), cwd=onboarded["work"])
    assert done.returncode == 0, done.stdout + done.stderr
    from kitgen.templates.inspect import inspect_template

    layouts = len(inspect_template(source).layouts)
    pages = list((tmp_path / "png").glob(f"{source.stem}-layouts-*.png"))
    assert len(pages) == layouts + 1  # one page per layout of every master, and the contact sheet
    assert f"contact sheet: {tmp_path / 'png' / (source.stem + '-layouts-contact.png')}" in done.stdout


def _box(shape):
    return shape.left, shape.top, shape.left + shape.width, shape.top + shape.height


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("stem", [_deck_param(p) for p in DECKS])
def test_body_and_diagrams_stand_clear_of_the_title_and_one_slide_number(onboarded, stem):
    """LibreOffice's templates give every layout placeholder idx 0: a slide's body box would then
    inherit the title's box (python-pptx and PowerPoint match by idx), and a diagram drawn there
    covers the title. Their masters also draw the slide number themselves: kitgen adds none."""
    kit = Presentation(str(onboarded["results"][stem]["deck"]))
    for number, slide in enumerate(kit.slides, start=1):
        title = slide.shapes.title
        if title is None or not title.has_text_frame or not title.text_frame.text:
            continue
        for shape in slide.shapes:
            if shape.shape_id == title.shape_id:
                continue
            if shape.shape_type == 6 or (shape.is_placeholder and shape.placeholder_format.type in (2, 7)):  # group, body, object
                assert not _overlap(_box(shape), _box(title)), f"slide {number}: '{shape.name}' lies over the title"
        layout = slide.slide_layout
        drawn = [s for owner in (layout, layout.slide_master) for s in owner.shapes
                 if not s.is_placeholder and s._element.xpath('.//a:fld[@type="slidenum"]')]
        own = slide._element.xpath('.//a:fld[@type="slidenum"]')
        assert not (drawn and own), f"slide {number}: two slide numbers (the template's and kitgen's)"
