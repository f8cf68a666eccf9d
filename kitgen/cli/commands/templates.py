"""Commands: ``kitgen init-org`` (also ``kitgen new org``) and ``kitgen show template``.

``init-org`` onboards a client from its own files: it copies them into
``content/orgs/ID/``, inspects the deck template (masters, layouts, boxes, theme), writes
the layout map beside it (master and layout per slide kind, fitting sizes from the
template's own text styles) and the profile ``content/orgs/ID.yaml``, prints what it
chose and why, then validates the new organisation. Exit 0 when it validates, 1 with
findings (the files stay written so the consultant can fix them), 2 for usage errors.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import click

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def register(main, show) -> None:
    """Add ``init-org``, ``new org`` and ``show template``."""
    main.add_command(init_org, "init-org")
    new = main.commands.get("new")
    if new is None:
        @main.group(context_settings={"help_option_names": ["-h", "--help"]})
        def new() -> None:
            """Create something new: an organisation, a programme, a tool."""
    new.add_command(init_org, "org")
    show.add_command(show_template, "template")


def _png_logo(option: str, logo: str | None) -> str | None:
    """``logo`` as a PNG path: a PNG as it is, a JPEG/GIF/WebP/BMP/TIFF converted (said once), else a usage error."""
    if logo is None:
        return None
    from kitgen.content.logos import CONVERTIBLE, advice, convert_to_png, image_kind

    try:
        kind = image_kind(Path(logo).read_bytes()[:64])
    except OSError as exc:
        _fail(f"{option} {logo}: cannot read it ({exc.strerror})")
    if kind == "png":
        return logo
    if kind not in CONVERTIBLE:
        _fail(f"{option} {advice(logo, kind)}")
    import tempfile

    converted = Path(tempfile.mkdtemp(prefix="kitgen-logo-")) / f"{Path(logo).stem}.png"
    try:
        convert_to_png(Path(logo), converted)
    except (OSError, ValueError) as exc:
        _fail(f"{option} {logo}: the {kind.upper()} image could not be converted to PNG ({exc}); "
              "save it as PNG in an image editor and give that file")
    click.echo(f"logo: {Path(logo).name} converted to PNG ({converted.name})")
    return str(converted)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USAGE)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("org_id", metavar="ID")
@click.option("--name", required=True, help="The organisation's name, as participants know it.")
@click.option("--programme", default=None, metavar="ID", help="Programme it runs (default: the only or first one).")
@click.option("--pptx", type=click.Path(dir_okay=False), default=None, help="Its deck template (.pptx/.potx/.potm).")
@click.option("--docx", type=click.Path(dir_okay=False), default=None, help="Its Word template (.docx/.dotx/.dotm).")
@click.option("--logo", type=click.Path(dir_okay=False), default=None,
              help="Its logo (PNG; a JPEG, GIF or WebP is converted).")
@click.option("--logo-on-dark", type=click.Path(dir_okay=False), default=None,
              help="The logo for dark backgrounds (e.g. a white version), if the client has one.")
@click.option("--logo-on-light", type=click.Path(dir_okay=False), default=None,
              help="The logo for light backgrounds, if the client has one.")
@click.option("--date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The workshop's date, YYYY-MM-DD (on the cover and in the notes; without it none is shown).")
@click.option("--venue", default=None, help="Where it is held (cover and notes).")
@click.option("--contact-name", default=None, help="Who participants contact afterwards (closing slide).")
@click.option("--contact-email", default=None, help="That person's e-mail.")
@click.option("--contact-phone", default=None, help="That person's phone number.")
@click.option("--materials-url", default=None, help="Where participants find the material, https://… (closing slide).")
@click.option("--language", type=click.Choice(["da", "en"]), default="da", show_default=True)
@click.option("--force", is_flag=True, help="Replace an organisation that exists.")
@click.option("--content", type=click.Path(file_okay=False), default=None, help="Content folder. Default: ./content")
@click.option("--layouts", type=click.Path(file_okay=False), default=None, help="Layouts folder. Default: ./layouts")
@click.option("--verbose", "-v", is_flag=True, help="Also list every chosen layout's boxes, the theme, fitting sizes and Word styles.")
def init_org(org_id, name, programme, pptx, docx, logo, logo_on_dark, logo_on_light, date, venue, contact_name,
             contact_email, contact_phone, materials_url, language, force, content, layouts, verbose) -> None:
    """Onboard a client organisation from its own templates and logo.

    \b
    Copies the files into content/orgs/ID/, chooses a slide layout for every kind of
    slide across all the template's masters, writes content/orgs/ID.yaml and the
    layout map beside the template, prints what it chose, and validates the result.
    What is not given (date, venue, contact, material link) is written as a commented
    placeholder in the profile; a kit shows only what the profile gives.
    Exit 0 valid, 1 findings (files kept, fix and re-run validate), 2 usage error.
    """
    from kitgen.cli.options import _dirs
    from kitgen.core.names import ORG_ID_PATTERN
    from kitgen.templates.clean import clean_file
    from kitgen.templates.clean_base import PackageError
    from kitgen.templates.init import Booking, OrgFiles, write_org

    content_dir, layouts_dir = _dirs(content, layouts)
    if not re.match(ORG_ID_PATTERN, org_id):
        _fail(f"'{org_id}' is not a valid organisation id (letters, digits, '-' and '_', at most 32, no paths)")
    if not (content_dir / "programmes").is_dir():
        _fail(f"content folder '{content_dir}' has no programmes/ (use --content DIR)")
    profile = content_dir / "orgs" / f"{org_id}.yaml"
    if profile.exists() and not force:
        _fail(f"organisation '{org_id}' exists ({profile}); use --force to replace it")
    programmes = sorted(p.stem for p in (content_dir / "programmes").glob("*.yaml"))
    chosen_for_them = programme is None
    if programme is None:
        if not programmes:
            _fail(f"there are no programmes in {content_dir / 'programmes'}")
        programme = programmes[0]
    elif programme not in programmes:
        _fail(f"unknown programme '{programme}'; known: {', '.join(programmes)}")
    for label, given, kind in (("--pptx", pptx, "pptx"), ("--docx", docx, "docx")):
        if given is None:
            continue
        try:
            clean_file(Path(given), kind)
        except PackageError as problem:
            _fail(f"{label} {given}: {problem.finding.message}")
    logo, logo_on_dark, logo_on_light = (_png_logo(option, value) for option, value in
                                         (("--logo", logo), ("--logo-on-dark", logo_on_dark), ("--logo-on-light", logo_on_light)))
    if materials_url and not re.match(r"^https?://\S+$", materials_url):
        _fail(f"--materials-url {materials_url!r} is not a web address; give it as https://…")
    if contact_email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", contact_email):
        _fail(f"--contact-email {contact_email!r} is not an e-mail address")
    files = OrgFiles(*(Path(v) if v else None for v in (pptx, docx, logo, logo_on_dark, logo_on_light)))
    booking = Booking(date.strftime("%Y-%m-%d") if date else None, venue, contact_name, contact_email, contact_phone,
                      materials_url)
    try:
        report = write_org(content_dir, layouts_dir, org_id, name, programme, language, files, force, booking)
    except OSError as exc:  # a full disk, a read-only folder: each file is whole or as it was (kitgen.core.atomicfile)
        click.echo(f"error: {exc if exc.filename and str(exc).startswith('cannot') else _os_text(exc)}", err=True)
        sys.exit(EXIT_FINDINGS)
    if chosen_for_them and len(programmes) > 1:
        report.lines[-1] += f"; programme {programme} (one of {len(programmes)}: --programme picks another)"
    for line in report.lines + (["", "details:"] + [f"  {d}" for d in report.details] if verbose else []):
        click.echo(line)
    findings = _validate(content_dir, layouts_dir, org_id)
    from kitgen.core.findings import count
    from kitgen.core.report import render_report

    output = render_report(findings, "text", title=f"kitgen validate ({org_id}):", notes=False)
    if output:
        click.echo(output)
    sys.exit(EXIT_FINDINGS if count(findings)["error"] else EXIT_OK)


def _os_text(exc: OSError) -> str:
    where = f" {exc.filename}" if exc.filename else ""
    return f"cannot write{where}: {exc.strerror or exc}; files already there were left as they were"


def _validate(content_dir: Path, layouts_dir: Path, org_id: str) -> list:
    from kitgen.build.pipeline import Project, check_org_safely

    project = Project.load(content_dir, layouts_dir)
    profile = str(Path(content_dir / "orgs" / f"{org_id}.yaml"))
    findings = [f for f in project.findings if f.file and Path(f.file).resolve() == Path(profile).resolve()]
    org = project.content.orgs.get(org_id) if project.content else None
    if org is not None and project.layouts is not None:
        findings += check_org_safely(project, org)[0]
    return findings


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--png", "png_dir", type=click.Path(file_okay=False), default=None,
              help="Also render every layout, and each chosen layout with sample text, through LibreOffice into DIR.")
def show_template(file, png_dir) -> None:
    """Masters, layouts (placeholder types and boxes), theme colours and fonts, Word styles.

    A deck template shows what kitgen would choose for each kind of slide; a Word
    template shows the styles kitgen writes with that it has or lacks.
    """
    from kitgen.templates.clean import clean_file
    from kitgen.templates.clean_base import PackageError
    from kitgen.build.template_preview import render_layouts
    from kitgen.templates.describe import describe_deck, describe_document

    path = Path(file)
    try:
        package = clean_file(path)
    except PackageError as problem:
        _fail(f"{file}: {problem.finding.message}")
    lines = describe_deck(path) if package.kind == "pptx" else describe_document(path)
    click.echo("\n".join(lines))
    if png_dir and package.kind == "pptx":
        if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
            _fail("--png needs LibreOffice (soffice) and pdftoppm: apt-get install libreoffice-impress poppler-utils")
        sheet, chosen = render_layouts(path, Path(png_dir))
        click.echo(f"contact sheet: {sheet}")
        if chosen is not None:
            from kitgen.content.layouts import SLIDE_KINDS

            click.echo(f"chosen layouts with sample text: {chosen} (pages in order: {', '.join(SLIDE_KINDS)})")
