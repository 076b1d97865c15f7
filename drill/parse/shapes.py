"""What a block or section is for: judgements over markdown-it block text.

* :func:`name_skip_reason` / :func:`body_skip_reason`: sections that are not
  rehearsal material (a table of contents, links or badges only, a licence or
  contributing section, a resume's contact details);
* :func:`is_decoration`: badges, logos, language bars and "help translate"
  lines that may sit above a document's title;
* :func:`html_heading_text`: the text of an HTML ``<h1>`` block;
* :func:`details_parts`: a ``<details><summary>`` block's question, and its body
  converted from HTML to Markdown (with markdownify; beautifulsoup parses the HTML).

Inline Markdown is read with markdown-it-py tokens, HTML with beautifulsoup;
the regular expressions here only look at one short token's text (a URL, an
e-mail address, a phone number).  Pure: no Textual, no Rich.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt

__all__ = [
    "SKIP_CONTACT", "SKIP_LICENCE", "SKIP_LINKS", "SKIP_TOC", "SKIP_MDX", "SKIP_FORCED",
    "name_skip_reason", "body_skip_reason", "is_decoration", "html_heading_text", "details_parts",
    "is_mdx_import", "inline_kinds",
]

SKIP_TOC = "table of contents"
SKIP_LINKS = "links only"
SKIP_LICENCE = "licence"
SKIP_CONTRIBUTING = "contributing"
SKIP_CONTACT = "contact details"
SKIP_MDX = "MDX import lines"
SKIP_FORCED = "drill: skip"

_md = MarkdownIt("commonmark")

_TOC_NAMES = {"table of contents", "contents", "toc", "table of content", "content table"}
_LICENCE_NAMES = {"license", "licence", "licensing", "license and copyright", "copyright", "copyright and license"}
_CONTRIBUTING_NAMES = {
    "contributing", "contributors", "contribution", "contributions", "how to contribute", "contribute",
    "contribution guidelines", "code of conduct",
}
_CONTACT_NAMES = {
    "email", "e-mail", "e mail", "mail", "phone", "phone number", "telephone", "mobile", "location", "address",
    "contact", "contacts", "contact me", "contact details", "contact information", "contact info", "links",
    "social", "socials", "social media", "social links", "find me",
}
def is_contact_name(heading: str) -> bool:
    return len(heading) <= 40 and _normalise(heading) in _CONTACT_NAMES


#: Contact sections are short; a long "Links" chapter of a guide is left to the body test.
_CONTACT_MAX_CHARS = 400

_URL = re.compile(r"(?:https?://|www\.)\S+|[\w.-]+\.(?:com|org|net|io|dev|ai|me|cn|co|uk|de)(?:/\S*)?", re.IGNORECASE)
_EMAIL = re.compile(r"(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\(?\d[\d\s().-]{6,}\d")
_SEPARATORS = re.compile(r"[\s|·•,;:/\\()\[\]<>*_~–—-]+")
_MAYBE_NOT_PROSE = re.compile(r"\]\(|\]\[|<|https?:|www\.|@|\d{3}|\.(?:com|org|net|io)\b")
"""Cheap test before an inline parse: text without any of these is prose."""
_MDX_LINE = re.compile(r"(?:import\s.+\sfrom\s+['\"].+['\"]|import\s+['\"].+['\"]|export\s+(?:const|default|function)\b.*);?\s*")


@lru_cache(maxsize=1024)
def _normalise(name: str) -> str:
    text = re.sub(r"[^\w\s-]", " ", name.casefold())
    text = re.sub(r"^\s*\d+(?:\s|\.)*", "", text)  # "1. License"
    return " ".join(text.replace("_", " ").split())


def name_skip_reason(heading: str, body_chars: int | None = None) -> str | None:
    """Why a section is skipped by its heading alone, or None.

    Contact names count only for short sections (*body_chars*; None: do not check)."""
    if len(heading) > 40:
        return None
    name = _normalise(heading)
    if name in _TOC_NAMES:
        return SKIP_TOC
    if name in _LICENCE_NAMES:
        return SKIP_LICENCE
    if name in _CONTRIBUTING_NAMES:
        return SKIP_CONTRIBUTING
    if name in _CONTACT_NAMES and body_chars is not None and body_chars <= _CONTACT_MAX_CHARS:
        return SKIP_CONTACT
    return None


def is_mdx_import(text: str) -> bool:
    """A paragraph made only of MDX ``import``/``export`` lines (Docusaurus pages)."""
    lines = [line for line in text.split("\n") if line.strip()]
    return bool(lines) and all(_MDX_LINE.fullmatch(line.strip()) for line in lines)


@lru_cache(maxsize=256)
def inline_kinds(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The kinds of inline content in *text* ({"link", "anchor", "image", "url", "email",
    "phone", "prose"}) and the words of its prose."""
    kinds: set[str] = set()
    words: list[str] = []
    parsed = _md.parseInline(text)
    children = parsed[0].children or [] if parsed else []
    depth = 0
    for tok in children:
        if tok.type == "link_open":
            depth += 1
            href = tok.attrGet("href") or ""
            kinds.add("anchor" if str(href).startswith("#") else "email" if str(href).startswith("mailto:") else "link")
        elif tok.type == "link_close":
            depth = max(depth - 1, 0)
        elif tok.type == "image":
            kinds.add("image")
        elif tok.type == "html_inline":
            if tok.content.lower().startswith(("<img", "<a ", "<a>", "</a")):
                kinds.add("image" if tok.content.lower().startswith("<img") else "link")
        elif tok.type in ("text", "code_inline") and depth == 0:
            _classify_text(tok.content, kinds, words)
    return frozenset(kinds), tuple(words)


def _classify_text(text: str, kinds: set[str], words: list[str]) -> None:
    rest = text
    for pattern, kind in ((_EMAIL, "email"), (_URL, "url"), (_PHONE, "phone")):
        if pattern.search(rest):
            kinds.add(kind)
            rest = pattern.sub(" ", rest)
    for word in _SEPARATORS.split(rest):
        if word:
            kinds.add("prose")
            words.append(word)


def body_skip_reason(texts: list[str]) -> str | None:
    """Why a section whose own body is the paragraphs and list items *texts* is skipped, or None.

    Only links/badges/URLs: "links only"; only in-page anchor links: "table of
    contents"; only an e-mail address, phone number or URLs: "contact details".
    Any prose word keeps the section.
    """
    if not texts or not any(_MAYBE_NOT_PROSE.search(text) for text in texts):
        return None
    kinds: set[str] = set()
    for text in texts:
        found, _ = inline_kinds(text)
        if "prose" in found:
            return None
        kinds |= found
    if not kinds:
        return None
    if kinds == {"anchor"}:
        return SKIP_TOC
    if kinds & {"email", "phone"}:
        return SKIP_CONTACT
    return SKIP_LINKS


def is_decoration(kind: str, text: str) -> bool:
    """Whether a block above the title is decoration: an HTML block (logo, badges), a rule,
    a short paragraph of links/images (badges, a language bar, "help translate"), or a
    line of only Obsidian tags (``#flashcards/networking``)."""
    if kind in ("html_block", "hr"):
        return True
    if kind != "paragraph":
        return False
    if len(text) > 2000:
        return False
    if is_tag_line(text):
        return True
    found, words = inline_kinds(text)
    if not found & {"link", "image", "anchor", "url"}:
        return False
    return len(words) <= 12


_TAG_WORD = re.compile(r"#[^\s#]+")


def is_tag_line(text: str) -> bool:
    """A paragraph of only ``#tags`` (Obsidian), such as ``#flashcards/networking``."""
    words = text.split()
    return bool(words) and all(_TAG_WORD.fullmatch(word) and not word[1:].isdigit() for word in words)


def _soup(html: str):
    from bs4 import BeautifulSoup  # markdownify's own HTML parser; loaded only for HTML blocks

    return BeautifulSoup(html, "html.parser")


def html_heading_text(html: str, level: int = 1) -> str | None:
    """The text of the first ``<hN>`` in an HTML block, or None."""
    if f"<h{level}" not in html.lower():
        return None
    tag = _soup(html).find(f"h{level}")
    if tag is None:
        return None
    return " ".join(tag.get_text(" ").split()) or None


def html_to_markdown(html: str) -> str:
    """HTML converted to Markdown with markdownify (ATX headings, ``-`` bullets, fenced code)."""
    from markdownify import markdownify

    text = markdownify(
        html,
        heading_style="ATX",
        bullets="-",
        code_language="",
        escape_underscores=False,
        escape_asterisks=False,
        escape_misc=False,
    )
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line.strip() and out and not out[-1].strip():
            continue
        out.append(line)
    return "\n".join(out).strip("\n")


def _without_inline_html(markdown: str) -> str:
    """Markdown between the tags of a ``<details>`` block, with its inline HTML (``<em>``,
    ``<code>``, ``<br>``) turned into Markdown: GitHub renders it, the answer view would
    show the tags. Markdown with no inline HTML is kept as written."""
    tokens = _md.parse(markdown)
    if not any(child.type == "html_inline" for tok in tokens for child in tok.children or ()):
        return markdown
    return html_to_markdown(_md.render(markdown))


def details_parts(pieces: list[tuple[str, str]]) -> tuple[str, str]:
    """(question, answer) of a ``<details>`` block given as (kind, text) pieces in order:
    kind "html" for HTML blocks (converted with markdownify), "markdown" for Markdown
    blocks between them (kept as written).  The question is the ``<summary>``'s text."""
    question = ""
    answer: list[str] = []
    for kind, text in pieces:
        if kind != "html":
            answer.append(_without_inline_html(text))
            continue
        soup = _soup(text)
        if not question:
            summary = soup.find("summary")
            if summary is not None:
                question = " ".join(summary.get_text(" ").split())
                summary.decompose()
        for tag in soup.find_all("details"):
            tag.unwrap()
        rest = html_to_markdown(str(soup)) if soup.get_text().strip() or soup.find(["img", "pre", "table"]) else ""
        if rest.strip():
            answer.append(rest)
    body = "\n\n".join(part.strip("\n") for part in answer if part.strip())
    return question, body
