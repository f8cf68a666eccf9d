"""The page ``kitgen serve`` shows: the whole page, the fragment the page reloads, and the
state as JSON. Each reads one :class:`kitgen.build.serve.KitServer` (``kit``)."""

from __future__ import annotations

import html
import time


def state_json(kit) -> dict:
    state = kit.state
    with state.cond:
        return {"version": state.version, "kit_gen": state.kit_gen, "images_gen": state.images_gen,
                "failed": state.errors is not None, "errors": state.errors or [],
                "slides": len(state.kit["slides"]) if state.kit else 0,
                "built": state.kit["built"] if state.kit else None,
                "in_place": state.kit["in_place"] if state.kit else None}


def fragment(kit) -> str:
    state = kit.state
    esc = html.escape
    with state.cond:
        version, data, errors, findings = state.version, state.kit, state.errors, list(state.findings)
        images, images_gen, kit_gen, note = dict(state.images), state.images_gen, state.kit_gen, state.render_note
    out = [f"<div id='state' data-version='{version}' data-kit='{kit_gen}'></div>"]
    if errors is not None:
        kept = " The last good kit is shown below." if data else ""
        out.append(f"<section class='failed' id='errors'><h2>The last rebuild failed "
                   f"({time.strftime('%H:%M:%S', time.localtime(state.failed_at or time.time()))}).{kept}</h2><ul>"
                   + "".join(f"<li>{esc(line)}</li>" for line in errors) + "</ul></section>")
    if data is None:
        out.append("<p>No kit yet.</p>")
        return "\n".join(out)
    built = time.strftime("%H:%M:%S", time.localtime(data["built"]))
    stale = images_gen != kit_gen
    status = note if not stale or not kit.images else "Rendering the images of this kit…" + (
        " (the previous kit's images are shown)" if images else "")
    out.append(f"<p class='status'>Kit built {built}: {len(data['slides'])} slides, {len(data['docs'])} Word files. "
               f"{esc(status)} Files: " + ", ".join(f"<a href='/kit/{esc(n)}'>{esc(n)}</a>" for n in data["files"])
               + "</p>")
    shown = [f for f in findings if f["severity"] != "info"]
    infos = len(findings) - len(shown)
    errors_n, warnings_n = (sum(f["severity"] == s for f in findings) for s in ("error", "warning"))
    out.append(f"<section id='findings'><h2>Validation: {_n(errors_n, 'error')}, {_n(warnings_n, 'warning')}, "
               f"{_n(infos, 'note')}</h2><ul>"
               + "".join(f"<li class='{esc(f['severity'])}'>{esc(f['severity'])} {esc(f['where'])}: "
                         f"{esc(f['message'])} <code>[{esc(f['rule'])}]</code></li>" for f in shown) + "</ul></section>")
    out.append("<section id='slides'><h2>Slides</h2>")
    for number, slide in enumerate(data["slides"], start=1):
        out.append(f"<article class='slide' data-number='{number}'>")
        out.append(_img(images, images_gen, slide["file"], number, stale))
        out.append(f"<div class='text'><h3>{number}. {esc(slide['title'])}</h3>"
                   + "".join(f"<p>{esc(line)}</p>" for line in slide["text"] if line != slide["title"])
                   + "<div class='notes'><b>Speaker notes</b>"
                   + ("".join(f"<p>{esc(line)}</p>" for line in slide["notes"]) or "<p><i>none</i></p>")
                   + "</div></div></article>")
    out.append("</section>")
    for name, sections in data["docs"].items():
        out.append(f"<section class='doc'><h2>{esc(name)}</h2><div class='pages'>")
        for number in range(1, len(images.get(name, [])) + 1):
            out.append(_img(images, images_gen, name, number, stale, cls="page"))
        out.append("</div><details><summary>Text by section</summary>")
        for section in sections:
            out.append(f"<h4>{esc(section['title'])}</h4>" + "".join(f"<p>{esc(line)}</p>" for line in section["lines"]))
        out.append("</details></section>")
    return "\n".join(out)


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _img(images: dict, generation: int, name: str, number: int, stale: bool, cls: str = "") -> str:
    pages = images.get(name) or []
    if number > len(pages):
        return f"<div class='noimg {cls}'>no image yet</div>"
    mark = " stale" if stale else ""
    return (f"<img class='{cls}{mark}' loading='lazy' alt='{html.escape(name)} {number}' "
            f"src='/img/{generation}/{html.escape(name)}/{number}.png'>")


def page(kit) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kitgen serve: {html.escape(kit.org_id)}</title>
<style>
body{{font:15px/1.4 system-ui,sans-serif;margin:1.5em;background:#f4f4f4;color:#222}}
h1{{margin:0 0 .3em}} .status{{color:#555}}
.failed{{background:#fde8e8;border:2px solid #c00;padding:.5em 1em;margin:1em 0}}
.slide{{display:flex;gap:1em;background:#fff;margin:.6em 0;padding:.6em;border-radius:4px}}
.slide img,.slide .noimg{{width:420px;flex:none;border:1px solid #ccc}} .noimg{{height:236px;background:#ddd;
display:flex;align-items:center;justify-content:center;color:#777}}
.slide .text{{flex:1}} .slide h3{{margin:.1em 0}} .slide p{{margin:.15em 0}} .notes{{margin-top:.5em;padding:.4em;background:#fffbe6}}
.pages{{display:flex;flex-wrap:wrap;gap:.5em}} .pages img{{width:260px;border:1px solid #ccc;background:#fff}}
img.stale{{opacity:.55}} li.error{{color:#b00}} li.warning{{color:#a60}}
</style></head><body>
<h1>{html.escape(kit.org_id)}</h1>
<main id="kit">{fragment(kit)}</main>
<script>
window.kitShown = {{}};
let current = document.getElementById('state').dataset.version;
async function refresh(version) {{
  if (String(version) === String(current)) return;
  const response = await fetch('/fragment', {{cache: 'no-store'}});
  const text = await response.text();
  document.getElementById('kit').innerHTML = text;
  current = document.getElementById('state').dataset.version;
  window.kitShown[current] = Date.now();
}}
const events = new EventSource('/events');
events.onmessage = (e) => refresh(JSON.parse(e.data).version);
events.onerror = () => {{ document.title = 'kitgen serve: disconnected'; }};
</script></body></html>
"""
