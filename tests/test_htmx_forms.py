"""Issue 18: every htmx form also works as a plain HTML form. A <form> with hx-post says method="post" and an
action to the same URL, so without JavaScript (or before htmx has loaded) the browser posts it to the same
route, which answers with the whole page (303 to the result, or 422 with the messages).

The one kind of exception: an element inside a form that is not the form itself (the module page's type-ahead
search box) posts on its own with htmx; its form then has a submit button whose formaction is that URL, so the
same search is one button press away without JavaScript."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# A start tag: its name, then attributes whose quoted values may hold Jinja ('{{ a if b else c }}').
TAG = re.compile(r"""<(form|[a-z][a-z0-9-]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.IGNORECASE)
FORM = re.compile(r"<form\b.*?</form>", re.IGNORECASE | re.DOTALL)


def attributes(text: str) -> dict[str, str]:
    return {name.lower(): value for name, value in re.findall(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)="([^"]*)\"""", text)}


def hx_post_tags() -> list[tuple[str, str, dict[str, str], str]]:
    """(template, tag name, attributes, the template's text) for every start tag with hx-post."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        for match in TAG.finditer(source):
            attrs = attributes(match.group(2))
            if "hx-post" in attrs:
                found.append((str(path.relative_to(TEMPLATES)), match.group(1).lower(), attrs, source))
    return found


def test_the_scan_finds_the_htmx_forms():
    # A scan that finds nothing passes everything: the app has dozens of them.
    forms = [t for t in hx_post_tags() if t[1] == "form"]
    assert len(forms) >= 25
    assert any(name == "people/form.html" for name, *_ in forms)


def test_every_htmx_form_posts_to_the_same_url_without_javascript():
    wrong = []
    for name, tag, attrs, _source in hx_post_tags():
        if tag != "form":
            continue
        if attrs.get("method", "").lower() != "post" or attrs.get("action") != attrs["hx-post"]:
            wrong.append(f"{name}: method={attrs.get('method')!r} action={attrs.get('action')!r} "
                         f"hx-post={attrs['hx-post']!r}")
    assert wrong == []


def test_an_htmx_field_inside_a_form_has_a_button_posting_to_its_url():
    wrong = []
    for name, tag, attrs, source in hx_post_tags():
        if tag == "form":
            continue
        url = attrs["hx-post"]
        enclosing = [f for f in FORM.findall(source) if f'hx-post="{url}"' in f]
        buttons = [attributes(b) for f in enclosing for b in re.findall(r"<button\b[^>]*>", f)]
        if not any(b.get("formaction") == url and b.get("type", "submit") == "submit" for b in buttons):
            wrong.append(f"{name}: <{tag} hx-post={url!r}> has no <button formaction> to that URL in its form")
    assert wrong == []
