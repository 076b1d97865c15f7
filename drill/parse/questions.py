"""A ``kind: questions`` file: interview questions that extend drill's question bank.

Shape: one heading per competency (``## conflict`` or ``## Conflict``), one
top-level bullet per question under it::

    ---
    kind: questions
    ---
    ## conflict
    - Tell me about a time you and a peer wanted different things.

Nested bullets under a question are the user's own notes and are not
questions. A bullet above the first heading has no competency: it is skipped
with a warning, and so is an empty bullet.
"""

from __future__ import annotations

from drill.parse.blocks import Document
from drill.parse.cards import ParsedQuestion
from drill.parse.textsafe import clean


def parse_questions(doc: Document, warnings: list[tuple[int, str]]) -> list[ParsedQuestion]:
    headings = {h.start: h for h in doc.headings}
    questions: list[ParsedQuestion] = []
    current: str | None = None
    depth = 0  # list nesting
    tokens = doc.tokens
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map and tok.map[0] in headings:
            heading = headings[tok.map[0]]
            current = None if heading.empty else heading.text
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif tok.type == "list_item_open" and depth == 1 and tok.map:
            line = tok.map[0] + 1
            inline = next((t for t in tokens[i + 1 : i + 4] if t.type == "inline"), None)
            text = " ".join(clean(inline.content).split()) if inline is not None else ""
            if not text:
                warnings.append((line, "empty question; skipped"))
            elif current is None:
                warnings.append((line, "question above any competency heading; skipped"))
            else:
                questions.append(ParsedQuestion(current, text, line))
    if not questions:
        warnings.append((1, "no questions found: put bullets under a '## competency' heading"))
    return questions
