"""Client templates: cleaned before use, inspected once, layouts chosen by what they hold."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, LAYOUTS

sys.path.insert(0, str(FIXTURES))

import client_packages as cp  # noqa: E402
from kitgen.templates.clean import clean_file, open_presentation, open_word  # noqa: E402
from kitgen.templates.clean_base import PackageError, Where  # noqa: E402

DECK = LAYOUTS / "default" / "deck.pptx"
DOCUMENT = LAYOUTS / "default" / "document.docx"


def _names(data: bytes) -> set[str]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return set(package.namelist())


# --- cleaning -------------------------------------------------------------------------------


@pytest.mark.parametrize("source,macros,kind,was", [
    (DECK, False, "pptx", "template (.potx)"), (DECK, True, "pptx", "macro-enabled template (.potm)"),
    (DOCUMENT, False, "docx", "template (.dotx)"), (DOCUMENT, True, "docx", "macro-enabled template (.dotm)"),
])
def test_templates_and_macro_files_open_with_macros_dropped(tmp_path, source, macros, kind, was):
    suffix = {("pptx", False): ".potx", ("pptx", True): ".potm", ("docx", False): ".dotx", ("docx", True): ".dotm"}
    path = cp.as_template(source, tmp_path / f"client{suffix[kind, macros]}", macros=macros)
    package = clean_file(path, kind, Where("content/orgs/X.yaml", 12, "branding.pptx_template"))
    assert (package.kind, package.was) == (kind, was)
    assert not any("vbaProject" in name for name in _names(package.data))
    assert b"vbaProject" not in package.data.replace(b"vbaProject.bin", b"") or not macros
    rules = [f.rule for f in package.findings]
    assert rules == (["template/macros-removed"] if macros else [])
    if macros:
        finding = package.findings[0]
        assert (finding.file, finding.line, finding.severity) == ("content/orgs/X.yaml", 12, "info")
    opened = (open_presentation if kind == "pptx" else open_word)(path)
    assert opened is not None


def test_a_potm_renamed_to_pptx_is_known_by_its_content_type(tmp_path):
    path = cp.as_template(DECK, tmp_path / "deck.pptx", macros=True)
    package = clean_file(path)
    assert package.was == "macro-enabled template (.potm)"
    assert "ppt/vbaProject.bin" not in _names(package.data)


def test_attached_template_on_a_file_server_is_dropped(tmp_path):
    path = cp.with_attached_template(DOCUMENT, tmp_path / "client.docx")
    package = clean_file(path, "docx")
    assert [f.rule for f in package.findings] == ["template/external-link-removed"]
    assert "attached template: file://///fileserver/skabeloner/Normal.dotm" in package.findings[0].message
    with zipfile.ZipFile(package.stream()) as out:
        assert b"attachedTemplate" not in out.read("word/settings.xml")
        assert b"fileserver" not in out.read("word/_rels/settings.xml.rels")
    document = open_word(path)
    assert document.paragraphs is not None


def test_linked_picture_is_dropped(tmp_path):
    package = clean_file(cp.with_linked_picture(DECK, tmp_path / "c.pptx"))
    assert "linked picture: file:///C:/Users/Public/logo.png" in package.findings[0].message
    assert b"Users/Public" not in package.data


@pytest.mark.parametrize("make,message", [
    (lambda p: cp.zip_bomb(p, 20), "inflates"),
    (lambda p: cp.with_member(DECK, p, "../../evil.sh"), "unsafe name"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) and p, "old binary Office file"),
    (lambda p: p.write_bytes(b"just text") and p, "not an Office file"),
])
def test_unusable_files_are_findings(tmp_path, make, message):
    path = tmp_path / "client.pptx"
    make(path)
    with pytest.raises(PackageError) as raised:
        clean_file(path, "pptx", Where("content/orgs/X.yaml", 3, "branding.pptx_template"))
    finding = raised.value.finding
    assert message in finding.message and finding.severity == "error" and finding.line == 3


def test_a_docx_given_as_deck_says_what_it_is(tmp_path):
    with pytest.raises(PackageError) as raised:
        clean_file(DOCUMENT, "pptx")
    assert "is a Word document, but a PowerPoint presentation" in raised.value.finding.message


def test_cleaning_is_reproducible():
    assert clean_file(DECK).data == clean_file(DECK).data


# --- fixtures of each failure class, onboarded and built ------------------------------------

import client_decks as cd  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from pptx import Presentation  # noqa: E402
from pptx.util import Inches  # noqa: E402

from kitgen.cli.main import main  # noqa: E402
from kitgen.templates.choose import choose_layouts, logo_box  # noqa: E402
from kitgen.templates.inspect import inspect_template  # noqa: E402

LOGO = LAYOUTS.parent / "content" / "orgs" / "KK" / "logo.png"


def kitgen(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def onboard(content: Path, org: str, tmp_path: Path, verbose: bool = True, **files):
    args = ["init-org", org, "--name", f"Kunde {org}", "--content", content, "--layouts", LAYOUTS, "--logo", LOGO]
    args += ["--verbose"] if verbose else []
    for option, path in files.items():
        args += [f"--{option}", path]
    return kitgen(*args)


def build(content: Path, org: str, out: Path):
    return kitgen("build", "--org", org, "--content", content, "--layouts", LAYOUTS, "--out", out, "--force")


def masters_used(deck: Path) -> set[int]:
    prs = Presentation(str(deck))
    masters = list(prs.slide_masters)
    return {masters.index(slide.slide_layout.slide_master) for slide in prs.slides}


def test_several_masters_with_the_same_names_and_a_cover_design(content_copy, tmp_path):
    template = cd.two_masters(tmp_path / "kunde.pptx")
    info = inspect_template(template)
    choice = choose_layouts(info)
    assert choice.content_master == 1, "the plain master, not the cover design"
    assert {ref.master for ref in choice.refs.values()} == {1}, "text over the cover's triangles is avoided everywhere"
    done = onboard(content_copy, "TWO", tmp_path, pptx=template)
    assert done.exit_code == 0, done.output
    assert "content slides on master 2" in done.output and "'Title and Content' is in 2 masters" in done.output
    assert build(content_copy, "TWO", tmp_path / "out").exit_code == 0
    assert masters_used(tmp_path / "out" / "TWO" / "deck.pptx") == {1}


def test_a_map_naming_a_layout_of_several_masters_and_one_naming_the_cover(content_copy, tmp_path):
    template = cd.two_masters(content_copy / "orgs" / "KK" / "kunde.pptx")
    profile = content_copy / "orgs" / "KK.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "  logo: KK/logo.png", "  logo: KK/logo.png\n  pptx_template: KK/kunde.pptx"), encoding="utf-8")
    template.with_suffix(".yaml").write_text(
        "layouts:\n  content: Title and Content\n  quote: {master: 1, layout: Title and Content}\n", encoding="utf-8")
    done = kitgen("validate", "--org", "KK", "--content", content_copy, "--layouts", LAYOUTS)
    assert "[template/text-over-graphic]" in done.output
    assert "'Title and Content' (master 1) of 'kunde.pptx'" in done.output and "Cover triangle" in done.output
    info = inspect_template(template)
    from kitgen.content.layouts import MapEntry

    choice = choose_layouts(info, {"content": MapEntry("Title and Content")})
    assert choice.refs["content"].master == 1
    assert "is in 2 masters; using master 2" in choice.reasons["content"]


def test_misspelt_kinds_unknown_fit_keys_and_absurd_sizes_are_errors(content_copy, tmp_path):
    template = cd.four_three(content_copy / "orgs" / "KK" / "kunde.pptx")
    profile = content_copy / "orgs" / "KK.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "  logo: KK/logo.png", "  logo: KK/logo.png\n  pptx_template: KK/kunde.pptx"), encoding="utf-8")
    template.with_suffix(".yaml").write_text(
        "layouts:\n  titel: Title Slide\n  content: Title and Contnet\nfit:\n  body_size_pt: 100000000\n  titel_size_pt: 30\n",
        encoding="utf-8")
    done = kitgen("validate", "--org", "KK", "--content", content_copy, "--layouts", LAYOUTS)
    assert done.exit_code == 1
    out = done.output
    assert "kunde.yaml:2 (layouts.titel): unknown slide kind 'titel'; did you mean 'title'?" in out
    assert "kunde.yaml:3 (layouts.content): the deck template 'kunde.pptx' has no slide layout 'Title and Contnet'" in out
    assert "did you mean 'Title and Content'?" in out
    assert "kunde.yaml:5 (fit.body_size_pt): body_size_pt is 1e+08; it must lie between 8 and 60" in out
    assert "kunde.yaml:6 (fit.titel_size_pt): unknown fitting setting 'titel_size_pt'; did you mean 'title_size_pt'?" in out


def test_tiny_boxes_get_sizes_that_fit_them_and_overflow_blames_the_box(content_copy, tmp_path):
    template = cd.tiny(tmp_path / "lille.pptx")
    done = onboard(content_copy, "TINY", tmp_path, pptx=template)
    assert "title_size_pt 10," in done.output, done.output  # a 22 pt-tall title holds one line at 10 pt
    side = content_copy / "orgs" / "TINY" / "lille.yaml"
    side.write_text(side.read_text(encoding="utf-8").replace("title_size_pt: 10", "title_size_pt: 40")
                    .replace("min_title_size_pt: 10", "min_title_size_pt: 40"), encoding="utf-8")
    done = kitgen("validate", "--org", "TINY", "--content", content_copy, "--layouts", LAYOUTS)
    assert "[slides/overflow]" in done.output
    assert "of 'lille.pptx': title 420×22 pt" in done.output and "lille.yaml" in done.output


def test_four_three_slides_build(content_copy, tmp_path):
    done = onboard(content_copy, "OLD", tmp_path, pptx=cd.four_three(tmp_path / "gammel.pptx"))
    assert done.exit_code == 0, done.output
    assert "4:3" in done.output
    assert build(content_copy, "OLD", tmp_path / "out").exit_code == 0


def test_no_subtitle_placeholder_named_in_a_map_is_an_error_and_chosen_around_otherwise(content_copy, tmp_path):
    template = cd.no_subtitle(tmp_path / "kunde.pptx")
    choice = choose_layouts(inspect_template(template))
    assert choice.refs["title"].name != "Title Slide"
    done = onboard(content_copy, "NOSUB", tmp_path, pptx=template)
    assert done.exit_code == 0, done.output
    side = content_copy / "orgs" / "NOSUB" / "kunde.yaml"
    side.write_text(side.read_text(encoding="utf-8").replace(
        f'title: {{master: 1, layout: "{choice.refs["title"].name}"}}', 'title: {master: 1, layout: "Title Slide"}'),
        encoding="utf-8")
    done = kitgen("validate", "--org", "NOSUB", "--content", content_copy, "--layouts", LAYOUTS)
    assert done.exit_code == 1
    assert "slide layout 'Title Slide' (master 1) of 'kunde.pptx' has no text box" in done.output


def test_logo_goes_into_a_picture_placeholder_or_a_free_corner(tmp_path):
    info = inspect_template(cd.picture_logo(tmp_path / "logo.pptx"))
    title = choose_layouts(info).refs["title"]
    picture = info.layout(title).picture.box
    assert logo_box(info, title) == (picture.left, picture.top, picture.width, picture.height)
    info = inspect_template(cd.two_masters(tmp_path / "two.pptx"))
    ref = choose_layouts(info).refs["content"]
    from kitgen.templates.inspect_model import Box

    box = Box(*logo_box(info, ref))
    layout = info.layout(ref)
    assert not any(box.overlap(p.box) for p in (layout.title, layout.body))
    assert not any(box.overlap(g.box) for g in layout.graphics)


RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def _layout_logo(path: Path) -> Path:
    """python-pptx's default template whose 'Title Slide' layout shows a small logo picture (bottom right),
    as client templates draw their own logo on the cover; a large photo on 'Title Only' is no logo."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    for name, where, picture in (("Title Slide", (Inches(8.0), Inches(6.5), Inches(1.5), Inches(0.75)), "Kundelogo"),
                                 ("Title Only", (0, Inches(1.5), Inches(10), Inches(6)), "Foto")):
        shape = slide.shapes.add_picture(str(LOGO), *where)
        layout = prs.slide_layouts.get_by_name(name)
        rid = layout.part.relate_to(slide.part.related_part(shape._element.blip_rId), RT_IMAGE)
        element = shape._element
        element.blipFill.blip.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed", rid)
        element.nvPicPr.cNvPr.set("name", picture)
        element.nvPicPr.cNvPr.set("id", str(900 + len(layout.shapes)))
        layout.shapes._spTree.append(element)
    rid = prs.slides._sldIdLst[0].rId
    prs.part.drop_rel(rid)
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[0])
    prs.save(str(path))
    return path


def test_a_cover_layout_showing_the_clients_logo_gets_no_second_logo(content_copy, tmp_path):
    from kitgen.templates.choose import template_logo

    template = _layout_logo(tmp_path / "egetlogo.pptx")
    info = inspect_template(template)
    title = choose_layouts(info).refs["title"]
    assert template_logo(info, title).name == "Kundelogo"
    from kitgen.templates.inspect_model import LayoutRef

    photo = next(LayoutRef(0, n, layout.name) for n, layout in enumerate(info.masters[0].layouts) if layout.name == "Title Only")
    assert any(g.name == "Foto" for g in info.layout(photo).graphics)
    assert template_logo(info, photo) is None, "a large photo is not a logo"
    done = onboard(content_copy, "EGET", tmp_path, pptx=template)
    assert done.exit_code == 0, done.output
    done = build(content_copy, "EGET", tmp_path / "out")
    assert done.exit_code == 0, done.output
    told = kitgen("validate", "--org", "EGET", "--content", content_copy, "--layouts", LAYOUTS, "--verbose").output
    assert "[template/own-logo]" in told and "shows its own logo on covers" in told, told
    prs = Presentation(str(tmp_path / "out" / "EGET" / "deck.pptx"))
    cover = prs.slides[0]
    assert cover.slide_layout.name == "Title Slide"
    assert not any(shape.name == "Logo" for shape in cover.shapes), "kitgen's logo beside the client's own"
    assert any(shape.name == "Kundelogo" for shape in cover.slide_layout.shapes), "the template's logo stays"


@pytest.mark.parametrize("macros", [False, True])
def test_potx_and_potm_onboard_and_build_without_macros(content_copy, tmp_path, macros):
    plain = cd.four_three(tmp_path / "plain.pptx")
    template = cp.as_template(plain, tmp_path / ("kunde.potm" if macros else "kunde.potx"), macros=macros)
    done = onboard(content_copy, "POT", tmp_path, pptx=template)
    assert done.exit_code == 0, done.output
    assert ("macro-enabled template (.potm)" if macros else "template (.potx)") in done.output
    assert build(content_copy, "POT", tmp_path / "out").exit_code == 0
    deck = tmp_path / "out" / "POT" / "deck.pptx"
    with zipfile.ZipFile(deck) as package:
        assert not any("vba" in name.lower() for name in package.namelist())
        assert b"template.main+xml" not in package.read("[Content_Types].xml")
    if macros:
        notes = kitgen("validate", "--org", "POT", "--content", content_copy, "--layouts", LAYOUTS, "--verbose").output
        assert "carries macros (ppt/vbaProject.bin); kitgen leaves them out of the kit [template/macros-removed]" in notes


def test_word_templates_made_whole(content_copy, tmp_path):
    from docx import Document

    for org, make in (("BARE", cd.bare_document), ("NOPAGE", cd.no_page_setup), ("NUM", cd.numbered_headings)):
        source = make(tmp_path / f"{org.lower()}.docx")
        if org == "BARE":
            source = cp.with_attached_template(source, tmp_path / "bare-attached.dotx")
            source = cp.as_template(source, tmp_path / "bare.dotx")
        done = onboard(content_copy, org, tmp_path, docx=source)
        assert done.exit_code == 0, done.output
        built = build(content_copy, org, tmp_path / "out")
        assert built.exit_code == 0, built.output
        for name in ("worksheets.docx", "facilitator-notes.docx"):
            document = Document(str(tmp_path / "out" / org / name))
            styles = {s.name for s in document.styles}
            assert {"List Bullet", "List Number", "Table Grid", "Heading 3", "Title"} <= styles
            section = document.sections[0]
            assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297) or org != "NOPAGE"
            assert document.styles["Heading 1"].element.find(
                ".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}numPr") is None
            with zipfile.ZipFile(tmp_path / "out" / org / name) as package:
                assert b"attachedTemplate" not in package.read("word/settings.xml")
    notes = kitgen("validate", "--org", "BARE", "--content", content_copy, "--layouts", LAYOUTS, "--verbose").output
    assert "has no 'Heading 3', 'List Number', 'List Bullet', 'Table Grid'; kitgen adds them" in notes
    assert "attached template: file://///fileserver/skabeloner/Normal.dotm" in notes


def test_the_clients_theme_is_kept_when_the_profile_sets_no_colours_or_fonts(content_copy, tmp_path):
    template = cd.two_masters(tmp_path / "kunde.pptx")
    before = inspect_template(template).masters[1]
    assert onboard(content_copy, "KEEP", tmp_path, pptx=template).exit_code == 0
    assert build(content_copy, "KEEP", tmp_path / "out").exit_code == 0
    after = inspect_template(tmp_path / "out" / "KEEP" / "deck.pptx").masters[1]
    assert (after.heading_font, after.body_font, after.colours) == (before.heading_font, before.body_font, before.colours)


def test_init_org_usage_errors(content_copy, tmp_path):
    assert onboard(content_copy, "KK", tmp_path).exit_code == 2  # exists, no --force
    assert onboard(content_copy, "../x", tmp_path).exit_code == 2
    text = tmp_path / "deck.pptx"
    text.write_text("not a deck")
    done = onboard(content_copy, "NEW", tmp_path, pptx=text)
    assert done.exit_code == 2 and "not an Office file" in done.output
    done = onboard(content_copy, "NEW", tmp_path, pptx=DOCUMENT)
    assert done.exit_code == 2 and "is a Word document, but a PowerPoint presentation" in done.output
    assert kitgen("new", "org", "--help").exit_code == 0


def test_show_template_lists_masters_layouts_and_the_choice(tmp_path):
    done = kitgen("show", "template", cd.two_masters(tmp_path / "kunde.pptx"))
    assert done.exit_code == 0, done.output
    assert "master 1" in done.output and "master 2" in done.output and "Cover triangle" not in done.output
    assert "'Title and Content' [obj]: title" in done.output
    done = kitgen("show", "template", cd.bare_document(tmp_path / "bare.docx"))
    assert "missing (kitgen adds them from its default document): Heading 3, List Number, List Bullet, Table Grid" in done.output


def test_a_master_whose_layouts_hold_no_text_box_gets_a_layout_made_from_its_own_placeholders(content_copy, tmp_path):
    """No layout has a title and a text box, but the master places both: kitgen adds a layout made from the
    master's boxes (named so the consultant sees it), and the deck's lists go there."""
    from kitgen.templates.inspect import inspect_template

    prs = Presentation()
    for layout in prs.slide_layouts:
        for shape in list(layout.placeholders):
            shape._element.getparent().remove(shape._element)
    prs.save(str(tmp_path / "blank.pptx"))
    info = inspect_template(tmp_path / "blank.pptx")
    made = [lay for lay in info.layouts if lay.name == "Title and Content 2"]  # the template's own emptied one keeps its name
    assert not any("kitgen" in lay.name.casefold() for lay in info.layouts), "a plain name in PowerPoint's layout menu"
    assert made and made[0].title is not None and made[0].body is not None
    master_body = next(s for s in prs.slide_master.placeholders if s.placeholder_format.idx == 1)
    assert (made[0].body.box.left, made[0].body.box.top, made[0].body.box.width) == \
        (master_body.left, master_body.top, master_body.width), "the master's own text box"
    assert any(f.rule == "template/made-layout" for f in info.findings)
    done = onboard(content_copy, "BLANK", tmp_path, pptx=tmp_path / "blank.pptx")
    assert done.exit_code == 0, done.output
    layout_map = (content_copy / "orgs" / "BLANK" / "blank.yaml").read_text(encoding="utf-8")
    assert "Title and Content 2" in layout_map and "kitgen" not in layout_map.split("layouts:", 1)[-1].casefold()


def test_a_made_layout_carries_the_artwork_of_the_masters_own_text_layout(tmp_path):
    """Google's export: its only text layout has two narrow columns and draws the client's waves; the layout kitgen
    makes for lists showed none of them (corpus D11: 30 plain slides). The artwork comes along; a picture, which
    would need the layout's relationship, does not."""
    from PIL import Image
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Pt

    prs = Presentation()
    for layout in list(prs.slide_layouts):
        if layout.name not in ("Title Slide", "Two Content"):
            prs.slide_layouts.remove(layout)
    columns = next(lay for lay in prs.slide_layouts if lay.name == "Two Content")
    Image.new("RGB", (20, 20), (200, 0, 0)).save(tmp_path / "p.png")
    scratch = prs.slides.add_slide(columns)
    band = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, prs.slide_height - Pt(60), prs.slide_width, Pt(40))
    band.name = "Wave band"
    photo = scratch.shapes.add_picture(str(tmp_path / "p.png"), Pt(10), Pt(10), Pt(20), Pt(20))
    for shape in (band, photo):
        columns.shapes._spTree.append(shape._element)
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[-1])
    prs.save(str(tmp_path / "columns.pptx"))
    info = inspect_template(tmp_path / "columns.pptx")
    made = next(lay for lay in info.layouts if lay.name == "Title and Content")
    assert [g.name for g in made.graphics if g.where == "layout"] == ["Wave band"]
    assert open_presentation(tmp_path / "columns.pptx")  # the made layout opens (ids unique, no dangling reference)
    choice = choose_layouts(info)
    assert info.layout(choice.refs["content"]) == made
    body = (choice.boxes.get("content") or {}).get("body", made.body.box)
    band_box = made.graphics[0].box
    assert body.top + body.height <= band_box.top  # lists stop above the client's artwork


def test_a_deck_with_no_layout_for_text_is_a_finding_not_a_crash(content_copy, tmp_path):
    prs = Presentation()
    for layout in prs.slide_layouts:
        for shape in list(layout.placeholders):
            shape._element.getparent().remove(shape._element)
    for shape in list(prs.slide_master.placeholders):  # nor does the master place a text box to make one from
        shape._element.getparent().remove(shape._element)
    prs.save(str(tmp_path / "blank.pptx"))
    done = onboard(content_copy, "BLANK", tmp_path, pptx=tmp_path / "blank.pptx")
    assert done.exit_code == 1, done.output
    assert "has a layout with a title and a text box; kitgen needs one" in done.output
    assert "[template/no-content-layout]" in done.output


def _with_ink(source: Path, target: Path) -> Path:
    """``source`` with a pen drawing on its first master (a bare p:contentPart, as PowerPoint's
    draw tab leaves it in older files) and the ink part it points to."""
    with zipfile.ZipFile(source) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    master = "ppt/slideMasters/slideMaster1.xml"
    parts[master] = parts[master].replace(b"</p:spTree>", b'<p:contentPart xmlns:r="http://schemas.openxmlformats.org/'
                                          b'officeDocument/2006/relationships" r:id="rIdInk1"/></p:spTree>')
    rels = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", b'<Relationship Id="rIdInk1" Type="http://schemas.'
                                      b'openxmlformats.org/officeDocument/2006/relationships/customXml" '
                                      b'Target="../ink/ink1.xml"/></Relationships>')
    parts["ppt/ink/ink1.xml"] = b'<inkml:ink xmlns:inkml="http://www.w3.org/2003/InkML"><inkml:trace>0 0, 9 9</inkml:trace></inkml:ink>'
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/ppt/ink/ink1.xml" ContentType="application/inkml+xml"/></Types>')
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return target


def test_ink_drawn_on_a_master_is_left_out_with_a_note_not_a_crash(content_copy, tmp_path):
    template = _with_ink(LAYOUTS / "default" / "deck.pptx", tmp_path / "pen.pptx")
    done = onboard(content_copy, "INK", tmp_path, pptx=template)
    assert done.exit_code == 0, done.output
    built = build(content_copy, "INK", tmp_path / "out")
    assert built.exit_code == 0, built.output
    with zipfile.ZipFile(tmp_path / "out" / "INK" / "deck.pptx") as package:
        assert not any(b"contentPart" in package.read(n) for n in package.namelist() if n.startswith("ppt/slide"))
    notes = kitgen("validate", "--org", "INK", "--content", content_copy, "--layouts", LAYOUTS, "--verbose").output
    assert "slideMaster1.xml has 1 ink drawing(s), which kitgen cannot carry into a deck; they are left out" in notes


def test_init_org_says_what_was_chosen_and_what_to_check_in_a_few_lines(content_copy, tmp_path):
    template = cd.two_masters(tmp_path / "kunde.pptx")
    done = onboard(content_copy, "SHORT", tmp_path, verbose=False, pptx=template)
    assert done.exit_code == 0, done.output
    own = done.output.split("kitgen validate (SHORT):")[0].strip().splitlines()
    assert 3 <= len(own) <= 5, own
    assert own[0].startswith("deck: kunde.pptx (presentation, 16:9, master 2 of 2) — title and closing on 'Title Slide'")
    assert "content on 'Title and Content'" in own[0]
    assert own[1].startswith("look: the template's own colours")
    assert own[-2].startswith("check: ") and "kitgen show template" in own[-2] and "--png DIR" in own[-2]
    assert "kitgen build --org SHORT" in own[-2]
    assert own[-1].startswith("wrote ") and "--verbose" in own[-1]
    assert "fitting:" not in done.output and "title_size_pt" not in done.output  # the details only with --verbose
    detailed = onboard(content_copy, "LONG", tmp_path, pptx=template)
    assert "fitting: body_size_pt" in detailed.output and "content slides on master 2" in detailed.output


def test_init_org_names_what_it_changes_in_a_word_template(content_copy, tmp_path):
    sys.path.insert(0, str(FIXTURES))
    import template_corpus as tc

    done = onboard(content_copy, "WORD", tmp_path, verbose=False, docx=tc.cjk(tmp_path / "gongwen.docx"))
    assert done.exit_code == 0, done.output
    word = next(line for line in done.output.splitlines() if line.startswith("Word: gongwen.docx"))
    assert "East Asian fonts 仿宋" in word and "even-page headers" in word and "page numbers give way" in word
    done = onboard(content_copy, "LINES", tmp_path, verbose=False, docx=tc.line_numbers(tmp_path / "manuscript.docx"))
    assert "its line numbering is left out" in done.output


def _named_fonts_template(path: Path) -> Path:
    """python-pptx's default template whose text styles name fonts not installed anywhere ("Nosuch Sans Black" bold
    titles, "Nosuch Sans Semibold" bold lists, as LibreOffice's Midnightblue names Source Sans Pro) over an Arial theme."""
    from lxml import etree
    from pptx.oxml.ns import qn
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    prs = Presentation()
    master = prs.slide_master
    for style, family in (("p:titleStyle", "Nosuch Sans Black"), ("p:bodyStyle", "Nosuch Sans Semibold")):
        props = master._element.find(f"{qn('p:txStyles')}/{qn(style)}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
        props.set("b", "1")
        for old in props.findall(qn("a:latin")):
            props.remove(old)
        latin = etree.SubElement(props, qn("a:latin"), typeface=family)
        fill = props.find(qn("a:solidFill"))
        if fill is not None:  # a:latin comes after the fill in CT_TextCharacterProperties
            fill.addnext(latin)
    theme = master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    for which in ("a:majorFont", "a:minorFont"):
        root.find(f".//{qn('a:fontScheme')}/{qn(which)}/{qn('a:latin')}").set("typeface", "Arial")
    theme._blob = etree.tostring(root)
    prs.save(str(path))
    return path


def test_a_font_the_template_names_but_is_not_installed_falls_back_to_the_themes_on_every_shape(content_copy, tmp_path):
    """LibreOffice's Midnightblue and Vivid name Source Sans Pro, which is not installed: the cover and dividers
    showed the theme's Arial, lists, figures and key figures DejaVu Sans in its place (review r5 decks-b B7, C4).
    Every shape now names the theme's font, the finding says so, and the semibold lists are not set bold."""
    from lxml import etree
    from pptx.oxml.ns import qn

    template = _named_fonts_template(tmp_path / "named.pptx")
    done = onboard(content_copy, "NAMED", tmp_path, pptx=template)
    assert done.exit_code == 0, done.output
    assert "'Nosuch Sans Semibold', is not installed here; the deck uses the theme's font 'Arial'" in done.output
    assert build(content_copy, "NAMED", tmp_path / "out").exit_code == 0
    prs = Presentation(str(tmp_path / "out" / "NAMED" / "deck.pptx"))
    parts = [prs.slide_master, *prs.slide_master.slide_layouts, *prs.slides]
    named = {latin.get("typeface") for part in parts for latin in part._element.iter(qn("a:latin"))}
    assert not any(name.startswith("Nosuch") for name in named), named
    runs = {run.font.name for slide in prs.slides for shape in slide.shapes if shape.has_text_frame
            for p in shape.text_frame.paragraphs for run in p.runs}
    assert runs <= {None, "Arial"}, runs  # key figures, quotes and help lines name the deck's font, which is Arial
    styles = prs.slide_master._element.find(qn("p:txStyles"))
    bold = {style: styles.find(f"{qn(style)}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}").get("b")
            for style in ("p:titleStyle", "p:bodyStyle")}
    assert bold == {"p:titleStyle": "1", "p:bodyStyle": "0"}, etree.tostring(styles)[:300]


def test_a_theme_still_in_offices_colours_gets_the_colours_its_artwork_shows(tmp_path):
    """LibreOffice's Midnightblue draws slate bars over Office 2007's accents, NYU Shanghai purple bars over
    Office 2013's: figures and key figures took Office's navy (review r5 decks-b B4/C5, r5c D01). The cleaned
    theme records the artwork's colours in accent slots nothing refers to, and its dark one as text 2."""
    from lxml import etree
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    prs = Presentation()
    master = prs.slide_master
    scratch = prs.slides.add_slide(prs.slide_layouts[6])
    for name, colour, height in (("Purple bar", "5A238C", 60), ("Grey rule", "808080", 90), ("Teal dot", "1ABC9C", 10)):
        shape = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, prs.slide_width, Pt(height))
        shape.name = name
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor.from_string(colour)
        master.shapes._spTree.append(shape._element)
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[-1])
    master.slide_layouts[0].placeholders[0]._element.find(qn("p:spPr")).append(
        etree.fromstring(f'<a:solidFill xmlns:a="{qn("a:x")[1:].split("}")[0]}"><a:schemeClr val="accent1"/></a:solidFill>'))
    prs.save(str(tmp_path / "artwork.pptx"))
    colours = inspect_template(tmp_path / "artwork.pptx").masters[0].colours
    assert colours["accent1"] not in ("#5A238C", "#1ABC9C"), "accent1 is referred to by a layout: it keeps its colour"
    assert (colours["accent2"], colours["accent3"]) == ("#5A238C", "#1ABC9C"), colours  # largest first, the grey left out
    assert colours["dk2"] == "#5A238C", "the dark brand colour is text 2 (key figures, help lines)"


def test_a_closings_text_box_grows_for_its_take_home_lines_over_the_unused_slide_number(tmp_path):
    """Midnightblue's closing box held three lines; the closing's 'Med hjem:' and three take-home lines were refused
    as an overflow. A closing is given room for four lines, and (unnumbered, as the cover) grows over the layout's
    empty slide-number box; a divider, which is numbered, stops above it."""
    from pptx.util import Inches

    prs = Presentation()
    cover = prs.slide_layouts[0]
    subtitle = next(p for p in cover.placeholders if p.placeholder_format.idx == 1)
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = Inches(1.5), Inches(5.2), Inches(7), Inches(0.6)
    number = next(p for p in cover.placeholders if p.placeholder_format.type is not None and "SLIDE_NUMBER" in str(p.placeholder_format.type))
    number.left, number.top, number.width, number.height = Inches(7), Inches(6.4), Inches(2), Inches(0.4)
    prs.save(str(tmp_path / "low.pptx"))
    info = inspect_template(tmp_path / "low.pptx")
    choice = choose_layouts(info)
    closing = choice.boxes["closing"]["body"]
    assert closing.height / 12700 >= 4 * 20 * 1.2, closing  # four lines at the cover's size
    assert closing.top + closing.height > Inches(6.4), "over the number box the closing does not show"


def test_a_figure_keeps_clear_of_the_title_bar_and_of_what_is_drawn_at_the_foot(tmp_path):
    """Midnightblue: chevrons began 6 pt under the slate title bar and ran down onto the teal slide-number circle
    (review r5 decks-b B5; corpus D02/D05 footer logos likewise). A figure starts a clear gap under the bar its title
    stands on, and ends above anything drawn in the slide's lowest quarter."""
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Pt

    from kitgen.templates.place import FIGURE_GAP_PT, figure_box

    prs = Presentation()
    master, content = prs.slide_master, prs.slide_layouts[1]
    title = next(p for p in content.placeholders if p.placeholder_format.idx == 0)
    scratch = prs.slides.add_slide(prs.slide_layouts[6])
    bar = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, prs.slide_width, title.top + title.height + Pt(20))
    circle = scratch.shapes.add_shape(MSO_SHAPE.OVAL, prs.slide_width - Pt(80), prs.slide_height - Pt(60), Pt(40), Pt(40))
    for shape in (bar, circle):
        master.shapes._spTree.insert(2, shape._element)
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[-1])
    prs.save(str(tmp_path / "bars.pptx"))
    info = inspect_template(tmp_path / "bars.pptx")
    layout = next(lay for lay in info.layouts if lay.name == "Title and Content")
    box = figure_box(info, layout)
    assert box.top >= bar.top + bar.height + Pt(FIGURE_GAP_PT), (box.top / 12700, (bar.top + bar.height) / 12700)
    assert box.top + box.height <= circle.top, (box.top + box.height) / 12700


def test_a_closings_text_box_with_no_room_below_grows_up_to_the_title(tmp_path):
    """Corpus D03: the closing's text box sits just above the footer band; its four lines were refused as an
    overflow. With no room below, the box grows up over the layout's free room (an empty field the slide leaves
    off), never over the title."""
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    prs = Presentation()
    cover = prs.slide_layouts[0]
    title = next(p for p in cover.placeholders if p.placeholder_format.idx == 0)
    title.left, title.top, title.width, title.height = Inches(1), Inches(1), Inches(8), Inches(2.5)
    subtitle = next(p for p in cover.placeholders if p.placeholder_format.idx == 1)
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = Inches(1), Inches(5.6), Inches(8), Inches(0.8)
    scratch = prs.slides.add_slide(prs.slide_layouts[6])
    band = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Inches(6.5), prs.slide_width, Inches(1))
    cover.shapes._spTree.append(band._element)
    prs.slides._sldIdLst.remove(prs.slides._sldIdLst[-1])
    prs.save(str(tmp_path / "band.pptx"))
    choice = choose_layouts(inspect_template(tmp_path / "band.pptx"))
    closing = choice.boxes["closing"]["body"]
    assert closing.height / 12700 >= 4 * 20 * 1.2, closing
    assert closing.top >= Inches(3.5) and closing.top + closing.height <= Inches(6.5), closing


def test_a_dividers_time_line_sits_under_its_title_not_mid_slide(tmp_path):
    """Vivid's section layout centres a 178 pt text box: the divider's one time line floated mid-slide (review r5
    decks-b C8). A divider's text box far taller than its lines need is cut to them (and a line spare), from its top."""
    from pptx.util import Inches

    prs = Presentation()
    section = next(lay for lay in prs.slide_layouts if lay.name == "Section Header")
    title = next(p for p in section.placeholders if p.placeholder_format.idx == 0)
    body = next(p for p in section.placeholders if p.placeholder_format.idx == 1)
    title.left, title.top, title.width, title.height = Inches(0.7), Inches(0.5), Inches(8.6), Inches(1.2)
    body.left, body.top, body.width, body.height = Inches(0.7), Inches(1.9), Inches(8.6), Inches(5)
    prs.save(str(tmp_path / "tall.pptx"))
    choice = choose_layouts(inspect_template(tmp_path / "tall.pptx"))
    assert choice.refs["section"].name == "Section Header", choice.refs
    placed = choice.boxes["section"]["body"]
    assert placed.top == body.top and placed.height < body.height / 2, placed
    assert placed.height / 12700 >= 2 * 20 * 1.2, "room for the time line's two lines"
