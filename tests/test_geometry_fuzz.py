"""Fuzzing every template reader with the corpus's templates (issue 23).

Each round takes one corpus template (opened once), one of its masters or layouts, and one
mutation a real file could carry — an optional element removed or repeated, an extension
list or ``a16:creationId`` added, a transform dropped, placeholder attributes left out —
applied to the part's XML in memory. Then everything kitgen reads from a template runs on it:
inspection, layout choice, fitting boxes, the init-org report, the logo's place, validation's
colour and background lookup, and preparing a slide from each chosen layout. Afterwards the
part is restored. None of these may raise: a template is findings or a kit, never
``kitgen/unexpected``. A failure names the seed, the round and the mutation to replay.

A few mutated files also go the whole way, written to disk: ``init-org`` and ``build``.
"""

from __future__ import annotations

import copy
import os
import random
import sys
import time
import traceback
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn

from conftest import FIXTURES, LAYOUTS

sys.path.insert(0, str(FIXTURES))

import template_corpus as tc  # noqa: E402

SEED = 20231207
ROUNDS = int(os.environ.get("KITGEN_FUZZ_ROUNDS", "1200"))
WHOLE_WAY = 3  # mutated files that go through init-org and build
SOURCES = ("creation-id", "wps", "google", "dark", "master-graphics", "no-xfrm", "fixed-text", "four-three")
A16 = "http://schemas.microsoft.com/office/drawing/2014/main"

SHAPES = tuple(qn(t) for t in ("p:sp", "p:pic", "p:grpSp", "p:graphicFrame", "p:cxnSp"))


def _shapes(root):
    return [e for e in root.iter(*SHAPES)]


def _pick(rng, items):
    return rng.choice(items) if items else None


def _remove(element) -> bool:
    if element is None or element.getparent() is None:
        return False
    element.getparent().remove(element)
    return True


def _duplicate(element) -> bool:
    if element is None or element.getparent() is None:
        return False
    element.addnext(copy.deepcopy(element))
    return True


def _creation_id(rng, root) -> bool:
    cnv = _pick(rng, list(root.iter(qn("p:cNvPr"))))
    if cnv is None:
        return False
    ext_lst = cnv.find(qn("a:extLst"))
    if ext_lst is None:
        ext_lst = etree.SubElement(cnv, qn("a:extLst"))
    ext = etree.SubElement(ext_lst, qn("a:ext"), uri="{FF2B5EF4-FFF2-40B4-BE49-F238E27FC236}")
    etree.SubElement(ext, f"{{{A16}}}creationId", id="{00000000-0000-0000-0000-000000000001}")
    return True


def _ext_list_in(rng, root, tags) -> bool:
    """An ``a:extLst`` with an unknown extension appended to an element (schema-valid or not)."""
    target = _pick(rng, list(root.iter(*[qn(t) for t in tags])))
    if target is None:
        return False
    ext_lst = etree.SubElement(target, qn("a:extLst"))
    etree.SubElement(etree.SubElement(ext_lst, qn("a:ext"), uri="{KITGEN-FUZZ}"), f"{{{A16}}}unknown")
    return True


def _swap_off_ext(rng, root) -> bool:
    xfrm = _pick(rng, list(root.iter(qn("a:xfrm"))))
    off = xfrm.find(qn("a:off")) if xfrm is not None else None
    if off is None:
        return False
    xfrm.remove(off)
    xfrm.append(off)
    return True


def _drop_attribute(rng, root, tag, names) -> bool:
    target = _pick(rng, [e for e in root.iter(qn(tag)) if any(e.get(n) is not None for n in names)])
    if target is None:
        return False
    for name in names:
        target.attrib.pop(name, None)
    return True


def _first_child(rng, root, parent_tags, child_tag):
    parents = [e for e in root.iter(*[qn(t) for t in parent_tags]) if e.find(qn(child_tag)) is not None]
    parent = _pick(rng, parents)
    return parent.find(qn(child_tag)) if parent is not None else None


MUTATIONS = {
    "drop a:xfrm": lambda rng, r: _remove(_pick(rng, list(r.iter(qn("a:xfrm"))))),
    "drop p:xfrm": lambda rng, r: _remove(_pick(rng, list(r.iter(qn("p:xfrm"))))),
    "drop a:off": lambda rng, r: _remove(_first_child(rng, r, ["a:xfrm"], "a:off")),
    "drop a:ext (size)": lambda rng, r: _remove(_first_child(rng, r, ["a:xfrm"], "a:ext")),
    "repeat a:xfrm": lambda rng, r: _duplicate(_pick(rng, list(r.iter(qn("a:xfrm"))))),
    "repeat a:off": lambda rng, r: _duplicate(_first_child(rng, r, ["a:xfrm"], "a:off")),
    "repeat a:ext (size)": lambda rng, r: _duplicate(_first_child(rng, r, ["a:xfrm"], "a:ext")),
    "a:ext before a:off": _swap_off_ext,
    "add a16:creationId": _creation_id,
    "add a:extLst to spPr": lambda rng, r: _ext_list_in(rng, r, ["p:spPr"]),
    "add a:extLst to a:xfrm": lambda rng, r: _ext_list_in(rng, r, ["a:xfrm"]),
    "add a:extLst to p:cNvPr": lambda rng, r: _ext_list_in(rng, r, ["p:cNvPr"]),
    "drop p:ph idx": lambda rng, r: _drop_attribute(rng, r, "p:ph", ["idx"]),
    "drop p:ph type": lambda rng, r: _drop_attribute(rng, r, "p:ph", ["type"]),
    "drop p:ph": lambda rng, r: _remove(_pick(rng, list(r.iter(qn("p:ph"))))),
    "drop a:prstGeom": lambda rng, r: _remove(_pick(rng, list(r.iter(qn("a:prstGeom"))))),
    "drop p:txBody": lambda rng, r: _remove(_pick(rng, list(r.iter(qn("p:txBody"))))),
    "drop a:lstStyle": lambda rng, r: _remove(_pick(rng, list(r.iter(qn("a:lstStyle"))))),
    "drop a:solidFill": lambda rng, r: _remove(_pick(rng, list(r.iter(qn("a:solidFill"))))),
    "drop p:bg": lambda rng, r: _remove(_pick(rng, list(r.iter(qn("p:bg"))))),
    "drop p:txStyles": lambda rng, r: _remove(r.find(qn("p:txStyles"))),
    "drop a:defRPr": lambda rng, r: _remove(_pick(rng, list(r.iter(qn("a:defRPr"))))),
    "drop p:clrMap": lambda rng, r: _remove(r.find(qn("p:clrMap"))),
    "drop p:clrMapOvr": lambda rng, r: _remove(r.find(qn("p:clrMapOvr"))),
    "drop cSld name": lambda rng, r: _drop_attribute(rng, r, "p:cSld", ["name"]),
    "drop showMasterSp": lambda rng, r: bool(r.attrib.pop("showMasterSp", None)) or r.set("showMasterSp", "0") or True,
    "drop a shape": lambda rng, r: _remove(_pick(rng, _shapes(r))),
    "repeat a shape": lambda rng, r: _duplicate(_pick(rng, _shapes(r))),
    "drop every shape": lambda rng, r: all(_remove(s) for s in _shapes(r)) or True,
    "drop p:nvPr": lambda rng, r: _remove(_pick(rng, list(r.iter(qn("p:nvPr"))))),
    "drop p:extLst": lambda rng, r: _remove(_pick(rng, list(r.iter(qn("p:extLst"))))),
}


def _restore(element, saved) -> None:
    element[:] = copy.deepcopy(saved)[:]
    element.attrib.clear()
    element.attrib.update(saved.attrib)


def _uncached(function):
    """The function under its cache (the same file name is read again and again, mutated)."""
    return getattr(function, "__wrapped__", function)


def _read_everything(prs, path: Path, owner=None):
    """What kitgen reads from a template, on the in-memory presentation. Slides are prepared and
    colours looked up for the chosen layouts the mutated part (``owner``) reaches: itself, or
    every chosen layout of a mutated master."""
    from kitgen.plan import fit
    from kitgen.render import slideparts
    from kitgen.templates import choose, describe, init
    from kitgen.templates.inspect import _read
    from kitgen.validate import deck as deck_checks

    package = SimpleNamespace(digest="fuzz", was="presentation (.pptx)", findings=())
    info = _read(prs, str(path), package)
    choice = _uncached(choose.choose_layouts)(info)
    fit._all_boxes(info)
    describe.chosen_lines(info, choice, path)
    describe.theme_of(info, choice) if choice.refs else None
    if choice.refs:
        init.derived_fit(info, choice, _base_fit(), None)
        init.map_text(info, choice, {}, path.name)
    for ref in set(choice.refs.values()):
        choose.logo_box(info, ref, None, 2.0)
        layout = choose.slide_layout(prs, ref)
        if owner is not None and layout is not None and owner not in (layout, layout.slide_master):
            continue
        if layout is not None:
            slideparts.layout_plan(layout)
            slideparts.add_slide(prs, layout)
        for part in ("title", "body"):
            found = _uncached(deck_checks._elements)(str(path), 0.0, ref, part)
            if found is not None:
                master, fill, behind = found
                colours = deck_checks._scheme(master, {})
                deck_checks._colour(fill, colours) if fill is not None else None
                deck_checks._colour(behind, colours) if behind is not None else None
    return info, choice


def _base_fit():
    from kitgen.content.layouts import FitSettings

    return FitSettings()


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    made = {}
    for name in SOURCES:
        path = tc.DECKS[name](folder / f"{name}.pptx")
        made[name] = (path, Presentation(str(path)))
    return folder, made


def test_every_reader_survives_a_thousand_mutated_templates(sources, monkeypatch):
    from kitgen.validate import deck as deck_checks

    folder, made = sources
    current = {}
    monkeypatch.setattr(deck_checks, "_presentation", lambda template, stamp: current["prs"])
    rng = random.Random(SEED)
    names = sorted(MUTATIONS)
    mutated = 0
    started = time.perf_counter()
    for round_ in range(ROUNDS):
        source = rng.choice(SOURCES)
        path, prs = made[source]
        owners = [m for m in prs.slide_masters] + [lay for m in prs.slide_masters for lay in m.slide_layouts]
        owner = rng.choice(owners)
        root = owner._element
        saved = copy.deepcopy(root)
        mutation = rng.choice(names)
        steps = [mutation]
        applied = MUTATIONS[mutation](rng, root)
        if rng.random() < 0.3:  # now and then a second one on the same part
            second = rng.choice(names)
            steps.append(second)
            applied = MUTATIONS[second](rng, root) or applied
        if not applied:
            _restore(root, saved)
            continue
        mutated += 1
        current["prs"] = prs
        try:
            _read_everything(prs, path, owner)
        except Exception:  # noqa: BLE001 — any exception is the failure this test looks for
            part = str(owner.part.partname)
            pytest.fail(f"seed {SEED}, round {round_}: {source}.pptx {part} after {' + '.join(steps)}:\n"
                        f"{traceback.format_exc()}", pytrace=False)
        finally:
            _restore(root, saved)
    elapsed = time.perf_counter() - started
    assert mutated >= 1000, f"only {mutated} of {ROUNDS} rounds changed something"
    print(f"{mutated} mutated templates read in {elapsed:.1f} s (seed {SEED})")


def test_mutated_templates_go_through_init_org_and_build(sources, tmp_path):
    """A few mutated files on disk, the whole way: findings or a kit, never exit 3."""
    import shutil

    from kitgen.cli.main import main

    folder, made = sources
    content = tmp_path / "content"
    shutil.copytree(LAYOUTS.parent / "content", content)
    rng = random.Random(SEED + 1)
    names = sorted(MUTATIONS)
    orgs, steps = [], {}
    while len(orgs) < WHOLE_WAY:
        source = rng.choice(SOURCES)
        prs = Presentation(str(made[source][0]))
        owners = [m for m in prs.slide_masters] + [lay for m in prs.slide_masters for lay in m.slide_layouts]
        chosen = [rng.choice(names) for _ in range(4)]
        applied = [m for m in chosen if MUTATIONS[m](rng, rng.choice(owners)._element)]
        if not applied:
            continue
        org = f"FUZZ{len(orgs)}"
        path = tmp_path / f"{org}.pptx"
        prs.save(str(path))
        steps[org] = f"seed {SEED + 1}: {source}.pptx after {' + '.join(applied)}"
        done = CliRunner().invoke(main, ["init-org", org, "--name", org, "--content", str(content), "--layouts",
                                         str(LAYOUTS), "--pptx", str(path)])
        assert done.exit_code in (0, 1) and "kitgen/unexpected" not in done.output, f"{steps[org]}\n{done.output}"
        if done.exit_code == 0:
            orgs.append(org)
        else:
            orgs.append(None)
    built = [o for o in orgs if o]
    done = CliRunner().invoke(main, ["build", *[a for o in built for a in ("--org", o)], "--content", str(content),
                                     "--layouts", str(LAYOUTS), "--out", str(tmp_path / "out"), "--force"])
    assert done.exit_code in (0, 1) and "kitgen/unexpected" not in done.output, \
        "\n".join(steps[o] for o in built) + "\n" + done.output
    assert done.exception is None or isinstance(done.exception, SystemExit), done.output


# --- Word templates ---------------------------------------------------------------------------

WORD_SOURCES = ("first-and-even", "cjk", "masthead", "large-serif", "table-styles", "section-breaks", "coloured-headings")
WORD_ROUNDS = int(os.environ.get("KITGEN_FUZZ_WORD_ROUNDS", "80"))
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORD_OPTIONAL = ("pgSz", "pgMar", "docGrid", "titlePg", "headerReference", "footerReference", "rFonts", "sz", "b", "color",
                 "basedOn", "name", "docDefaults", "rPrDefault", "pPr", "rPr", "jc", "ind", "spacing", "tblStyle", "gridCol")


def _word_mutation(rng, root) -> str | None:
    """One change a real Word file could carry, on one part's XML: an optional element removed or
    repeated, an attribute value a reader must not trust (``w:val="auto"``, empty), an extension list."""
    kind = rng.choice(("remove", "repeat", "garble", "extlst"))
    present = sorted({etree.QName(e).localname for e in root.iter(*(f"{{{W_NS}}}{t}" for t in WORD_OPTIONAL))})
    tag = _pick(rng, present)
    found = list(root.iter(f"{{{W_NS}}}{tag}")) if tag else []
    if kind == "extlst":
        target = _pick(rng, list(root.iter(f"{{{W_NS}}}rPr")) + list(root.iter(f"{{{W_NS}}}sectPr")))
        if target is None:
            return None
        target.append(etree.fromstring(f'<w:extLst xmlns:w="{W_NS}"><w:ext w:uri="{{00000000-0000-0000-0000-000000000000}}"/>'
                                       '</w:extLst>'))
        return "extLst added"
    element = _pick(rng, found)
    if element is None:
        return None
    if kind == "remove":
        return f"{tag} removed" if _remove(element) else None
    if kind == "repeat":
        element.addnext(copy.deepcopy(element))
        return f"{tag} repeated"
    attributes = list(element.attrib)
    if not attributes:
        return None
    name = rng.choice(attributes)
    element.set(name, rng.choice(("", "auto", "-1", "x", "99999999")))
    return f"{tag} @{etree.QName(name).localname} garbled"


def test_every_word_reader_survives_mutated_templates(tmp_path):
    """Word templates mutated part by part go through what kitgen reads from them: inspection (the
    init-org report), cleaning and making whole (styles, sections, sample lines, the heading ladder)
    and the effective-type reading the table fitting uses. Findings are fine; an exception is not."""
    import zipfile

    from docx.oxml.ns import qn as wqn

    from kitgen.templates.clean_base import PackageError
    from kitgen.templates.inspect_word import inspect_document
    from kitgen.templates.wordstyles import open_whole
    from kitgen.templates.wordtheme import Typography

    default = LAYOUTS / "default" / "document.docx"
    sources = {}
    for name in WORD_SOURCES:
        path = tc.DOCUMENTS[name](tmp_path / f"{name}.docx")
        with zipfile.ZipFile(path) as package:
            sources[name] = {n: package.read(n) for n in package.namelist()}
    rng = random.Random(SEED + 2)
    mutated = 0
    for round_ in range(WORD_ROUNDS):
        name = rng.choice(WORD_SOURCES)
        parts = dict(sources[name])
        xml_parts = sorted(n for n in parts if n in ("word/document.xml", "word/styles.xml") or
                           n.startswith(("word/header", "word/footer")) and n.endswith(".xml"))
        part = rng.choice(xml_parts)
        root = etree.fromstring(parts[part])
        steps = [s for s in (_word_mutation(rng, root), _word_mutation(rng, root) if rng.random() < 0.3 else None) if s]
        if not steps:
            continue
        parts[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        path = tmp_path / f"round-{round_}.docx"
        with zipfile.ZipFile(path, "w") as out:
            for n, data in parts.items():
                out.writestr(n, data)
        mutated += 1
        try:
            try:
                inspect_document(path)
                document = open_whole(path, default)
            except PackageError:
                continue  # a finding, as init-org reports it
            typography = Typography(document)
            for p in document.element.iter(wqn("w:p")):
                for r in p.iter(wqn("w:r")):
                    typography.run_font(r, p)
                typography.alignment(p)
        except Exception:  # noqa: BLE001 — any exception is the failure this test looks for
            pytest.fail(f"seed {SEED + 2}, round {round_}: {name}.docx {part} after {' + '.join(steps)}:\n"
                        f"{traceback.format_exc()}", pytrace=False)
        finally:
            path.unlink()
    assert mutated >= WORD_ROUNDS // 2, f"only {mutated} of {WORD_ROUNDS} rounds changed something"
