"""What the Word renderers keep between kits writes exactly what python-docx writes, and leaks nothing."""

from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

from conftest import CONTENT, LAYOUTS
from kitgen.ooxml.package import saved
from kitgen.render.stamps import add_p, add_row, add_run, new_p
from kitgen.templates.wordstyles import get_style, open_whole

DEFAULT = LAYOUTS / "default" / "document.docx"


def _python_docx_p(style_id, fmt, runs):
    p = OxmlElement("w:p")
    paragraph = Paragraph(p, None)
    for text, font in runs:
        run = paragraph.add_run(text)
        for name, value in font.items():
            if name in ("bold", "italic"):
                setattr(run, name, value)
            elif name == "size":
                run.font.size = value
            else:
                run.font.color.rgb = value
    if style_id:
        p.style = style_id
    for name, value in fmt:
        if name == "tab_stop":
            paragraph.paragraph_format.tab_stops.add_tab_stop(value)
        else:
            setattr(paragraph.paragraph_format, name, value)
    return etree.tostring(p)


def test_kept_paragraphs_and_runs_are_what_python_docx_writes():
    cases = [
        (None, (), [("Plain", {})]),
        ("Heading1", (("keep_with_next", True),), [("Title text", {})]),
        (None, (("space_before", Pt(8)), ("space_after", Pt(3)), ("keep_with_next", True)), [(" Label: ", {"bold": True})]),
        (None, (("left_indent", Cm(0.8)), ("first_line_indent", Cm(-0.8)), ("keep_with_next", False),
                ("tab_stop", Cm(0.8))), [("\ttabbed\nand broken", {"italic": True, "size": Pt(9)})]),
        (None, (("alignment", WD_ALIGN_PARAGRAPH.CENTER),), [("x", {"color": RGBColor(0x40, 0x40, 0x40), "size": Pt(8)}),
                                                              ("", {"bold": True})]),
    ]
    for _ in range(2):  # built once, then copied
        for style_id, fmt, runs in cases:
            p = new_p(style_id, fmt)
            for text, font in runs:
                add_run(p, text, **font)
            assert etree.tostring(p) == _python_docx_p(style_id, fmt, runs)


def test_a_document_saved_twice_gives_the_same_bytes_with_fixed_entry_times(monkeypatch):
    """python-docx's own save(), then one zipfile pass: the clock never reaches the file."""
    import time
    import zipfile

    made = []
    for clock in (1_700_000_000, 1_800_000_000):
        monkeypatch.setattr(time, "time", lambda clock=clock: clock)
        monkeypatch.setattr(time, "localtime", lambda secs=None, clock=clock: time.gmtime(clock))
        document = open_whole(DEFAULT, DEFAULT)
        add_p(document, "Overskrift", "Heading 1", (("keep_with_next", True),))
        add_p(document, "Brødtekst med æøå", bold=True)
        table = document.add_table(rows=1, cols=3)
        for _ in range(3):
            add_row(table, 1.0)
        made.append(saved(document))
    assert made[0] == made[1]
    package = zipfile.ZipFile(io.BytesIO(made[0]))
    assert package.namelist()[0] == "[Content_Types].xml"
    assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_each_kit_gets_a_fresh_document_of_its_own_template(tmp_path):
    first = open_whole(DEFAULT, DEFAULT)
    add_p(first, "only in the first kit")
    get_style(first, "Normal").font.name = "Comic Sans MS"
    second = open_whole(DEFAULT, DEFAULT)
    assert "only in the first kit" not in second.element.xml
    assert get_style(second, "Normal").font.name != "Comic Sans MS"
    client = CONTENT / "orgs" / "AMK" / "amk-document.docx"  # a client's template between two of kitgen's own
    amk = open_whole(client, DEFAULT).styles.element.xml
    assert amk != open_whole(DEFAULT, DEFAULT).styles.element.xml
    assert open_whole(client, DEFAULT).styles.element.xml == amk
    edited = tmp_path / "document.docx"
    edited.write_bytes(DEFAULT.read_bytes())
    assert open_whole(edited, DEFAULT).styles.element.xml == open_whole(DEFAULT, DEFAULT).styles.element.xml


def test_kept_between_runs_the_template_and_pictures_give_the_same_file(tmp_path, monkeypatch):
    """kitgen.core.cache on: the made-whole template and a large part's deflated bytes come back from
    disk in a new process (here: the in-process caches emptied), and a damaged entry is made
    again; the file is the same either way."""
    import hashlib
    import random

    from PIL import Image

    from kitgen.core import cache
    from kitgen.templates import clean, wordstyles

    monkeypatch.delenv("KITGEN_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    noise = random.Random(7).randbytes(300 * 300)
    picture = io.BytesIO()
    Image.frombytes("L", (300, 300), noise).save(picture, format="PNG")  # about 90 KB: kept on disk

    def new_process() -> None:  # every in-process keeper emptied, as in a new process
        cache.stats.clear()
        monkeypatch.setattr(wordstyles, "_WHOLE", {})
        monkeypatch.setattr(clean, "_CACHE", {})

    def kit() -> bytes:
        document = open_whole(DEFAULT, DEFAULT)
        add_p(document, "Navn", bold=True)
        document.add_picture(io.BytesIO(picture.getvalue()), width=Cm(4))
        return saved(document)

    new_process()
    first = kit()
    folder = tmp_path / "xdg" / "kitgen"
    kept = sorted((folder / "template").iterdir())
    assert len(kept) == 2  # the template cleaned, and cleaned and made whole; deflated parts are not kept
    new_process()
    assert kit() == first and cache.stats["hit", "template"] == 1  # the whole one read back from disk, nothing cleaned
    digest = hashlib.sha256(DEFAULT.read_bytes()).hexdigest()
    entry = folder / "template" / cache.key("template", "word-whole", digest, digest)  # the whole one, not the cleaned
    assert entry in kept
    entry.write_bytes(entry.read_bytes()[:200])  # half-written, as after a full disk
    new_process()
    assert kit() == first and cache.stats["refused", "template"] == 1
    monkeypatch.setenv("KITGEN_NO_CACHE", "1")
    new_process()
    assert kit() == first
