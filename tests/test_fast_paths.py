"""Shortcuts taken for speed give exactly what the long way gives (see bench/)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from drill.parse.blocks import _heading_children, _inline_text, _md

HEADING_TEXT = st.text(alphabet=st.sampled_from(list("ab Z9?:.,-#%()é🎉\t*_`[]!<>&\\~")), max_size=30)


@given(HEADING_TEXT)
@settings(max_examples=400, deadline=None)
def test_a_plain_heading_skips_inline_parsing_with_the_same_text(text):
    inline = Token("inline", "", 0, content=text.strip())
    parsed = _md.parseInline(inline.content)
    slow = _inline_text(parsed[0].children if parsed else [])
    assert _inline_text(_heading_children(inline)) == slow
