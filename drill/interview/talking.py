"""Talking points: what a stored answer says, and which of it the typed notes covered.

An answer's key points are its list items, bold terms and numbers (and, where
a STAR part has no list, the part's sentences), each tagged with the STAR part
it sits in. Notes cover a point when enough of its words appear in them,
matched fuzzily with rapidfuzz so typos and word forms still count; a STAR
part is covered when any of its points is.

Pure: no Textual, no Rich.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from rapidfuzz import fuzz, process

from drill.interview.star import LABELS, star_of

#: Score (0-100) a note word needs to count as one of the point's words.
WORD_CUTOFF = 85
#: A point is covered when the notes hold half its words, or at least MIN_HITS of
#: them making up LONG_SHARE of a long point (notes are jotted, not written out).
COVERED_SHARE = 0.5
MIN_HITS, LONG_SHARE = 3, 0.3
MAX_POINT_WORDS = 12

_md = MarkdownIt("commonmark")
_WORD = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*")
_NUMBER = re.compile(r"\d")
_STOP = frozenset(
    "a an and are as at be been but by did do for from had has have i if in into is it its me my of on or our so "
    "that the their them then there they this to up us was we were what when which while who will with would "
    "you your".split()
)


@dataclass(frozen=True)
class Point:
    text: str
    part: str | None
    """The STAR part it belongs to, or None outside any part."""
    kind: str
    """"item", "bold", "number" or "sentence"."""


@dataclass(frozen=True)
class Coverage:
    covered: list[Point]
    missed: list[Point]

    @property
    def parts(self) -> list[str]:
        """STAR parts with at least one covered point."""
        seen: list[str] = []
        for point in self.covered:
            if point.part and point.part not in seen:
                seen.append(point.part)
        return seen


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.casefold()) if w not in _STOP and (len(w) > 2 or _NUMBER.search(w))]


def key_points(answer: str) -> list[Point]:
    star = star_of(answer)
    regions = [(part.part, part.text) for part in star.parts.values()] if star.is_story else [(None, answer)]
    points: list[Point] = []
    seen: set[str] = set()

    def add(text: str, part: str | None, kind: str) -> None:
        text = " ".join(text.split()).strip(" :-*_")
        key = text.casefold()
        if not text or key in seen or key.rstrip(":") in LABELS or not _content_words(text):
            return
        seen.add(key)
        points.append(Point(text, part, kind))

    for part, text in regions:
        tokens = _md.parse(text)
        items = 0
        for i, tok in enumerate(tokens):
            if tok.type == "inline":
                if i >= 2 and tokens[i - 2].type == "list_item_open":
                    add(tok.content, part, "item")
                    items += 1
                for j, child in enumerate(tok.children or []):
                    if child.type == "strong_open" and j + 1 < len(tok.children or []):
                        add(tok.children[j + 1].content, part, "bold")
        for number in re.findall(r"\b\d[\d.,]*\s?(?:%|x|ms|s|k|m|percent)?", text):
            if len(number.strip()) > 1:
                add(number, part, "number")
        if not items and part is not None:
            for sentence in re.split(r"(?<=[.!?])\s+|\n\s*\n", text):
                add(sentence, part, "sentence")
    return points


def cover(points: list[Point], notes: str) -> Coverage:
    """Which points the notes cover."""
    note_words = list(dict.fromkeys(_content_words(notes)))
    covered, missed = [], []
    for point in points:
        wanted = _content_words(point.text)[:MAX_POINT_WORDS]
        if not wanted or not note_words:
            missed.append(point)
            continue
        hits = 0
        for word in wanted:
            if _NUMBER.search(word):
                hits += word in note_words
            elif process.extractOne(word, note_words, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF):
                hits += 1
        share = hits / len(wanted)
        ok = share >= COVERED_SHARE or (hits >= MIN_HITS and share >= LONG_SHARE)
        (covered if ok else missed).append(point)
    return Coverage(covered, missed)
