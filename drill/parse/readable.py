"""Answers shown in a terminal: images and Obsidian links as readable text.

A terminal cannot show a picture, and a lone 🖼 tells the reader nothing. This
markdown-it plugin rewrites, in the parsed tokens (never in the source):

* an image ``![Flow diagram](img/flow.png)`` to the text ``🖼 Flow diagram (img/flow.png)``;
* an Obsidian embed ``![[diagram.png]]`` to ``🖼 diagram.png``;
* a wikilink ``[[Consensus#Raft|Raft]]`` to ``Raft``, and ``[[Consensus#Raft]]`` to
  ``Consensus › Raft``;
* a Docusaurus admonition (``:::tip Title`` … ``:::``) to a paragraph that starts
  ``**Tip: Title**``, without the ``:::`` fence lines.

Code spans and code blocks are left alone. :func:`readable_parser` is the parser
the answer widget renders with. Pure: no Textual, no Rich.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

__all__ = ["IMAGE", "readable_plugin", "readable_parser", "image_text", "wikilink_text"]

#: What an image is shown as, before its alt text and address.
IMAGE = "🖼"

_OBSIDIAN = re.compile(r"(!?)\[\[([^\[\]\n]+?)\]\]")
_ADMONITION_OPEN = re.compile(r":::([A-Za-z]+)[ \t]*(.*)")


def image_text(alt: str, src: str) -> str:
    """``🖼 alt (src)``; without alt text ``🖼 src``."""
    alt = " ".join(alt.split())
    src = src.strip()
    if alt and src:
        return f"{IMAGE} {alt} ({src})"
    return f"{IMAGE} {alt or src or 'image'}"


def wikilink_text(inner: str, embed: bool) -> str:
    """The readable text of ``[[inner]]`` (``![[inner]]`` when *embed*)."""
    target, _, alias = inner.partition("|")
    page, _, heading = target.partition("#")
    shown = alias.strip() or " › ".join(part.strip() for part in (page, heading.lstrip("^")) if part.strip())
    return f"{IMAGE} {shown}" if embed else shown


def _image(tok: Token) -> Token:
    alt = "".join(child.content for child in tok.children or [] if child.type in ("text", "code_inline")) or tok.content
    out = Token("text", "", 0)
    out.content = image_text(alt, str(tok.attrGet("src") or ""))
    return out


def _text(content: str) -> Token:
    out = Token("text", "", 0)
    out.content = content
    return out


def _admonition(state: StateCore, block: Token) -> None:
    """Rewrite a paragraph that opens or closes a ``:::kind`` admonition."""
    lines = block.content.split("\n")
    opener = _ADMONITION_OPEN.fullmatch(lines[0].strip())
    closes = len(lines) > (1 if opener else 0) and lines[-1].strip() == ":::" or lines == [":::"]
    if not opener and not closes:
        return
    if closes:
        lines = lines[:-1]
    if opener:
        kind, title = opener.group(1).capitalize(), opener.group(2).strip()
        lines[0] = f"**{kind}: {title}**" if title else f"**{kind}:**"
    content = "\n".join(lines)
    block.content = content
    parsed = state.md.parseInline(content, state.env) if content.strip() else []
    block.children = parsed[0].children or [] if parsed else []


def _readable(state: StateCore) -> None:
    for block in state.tokens:
        if block.type == "inline" and (block.content.lstrip().startswith(":::") or block.content.rstrip().endswith("\n:::")):
            _admonition(state, block)
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        for tok in block.children:
            if tok.type == "image":
                children.append(_image(tok))
            elif tok.type == "text" and "[[" in tok.content:
                children.append(_text(_OBSIDIAN.sub(lambda m: wikilink_text(m.group(2), bool(m.group(1))), tok.content)))
            else:
                children.append(tok)
        block.children = children


def readable_plugin(md: MarkdownIt) -> None:
    """Add the rewrite to *md* (after inline parsing)."""
    md.core.ruler.push("drill_readable", _readable)


def readable_parser() -> MarkdownIt:
    """The parser answers are rendered with: Textual's default ("gfm-like") plus the rewrite."""
    md = MarkdownIt("gfm-like")
    md.use(readable_plugin)
    return md
