"""Reading review records out of the journal, fast: no Textual, no writes.

Moved here from ``drill.stats.compute`` so the store's stats roll-up
(:mod:`drill.store.rollup`, folded at compaction) and the stats share one
parser; ``drill.stats.compute`` re-exports every name.
"""

from __future__ import annotations

import gc
import json
import os
import re
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from drill.store import schema
from drill.store.journal import iter_whole_lines
from drill.store.timestamps import iso, parse_iso

__all__ = [
    "Review", "review_from_record", "reviews_from_records", "read_reviews", "ReviewLog", "iter_review_chunks",
    "iter_chunks",
]


# ---------------------------------------------------------------------- reading
class Review(NamedTuple):
    """One review that counts (not undone), as the stats need it."""

    id: str
    card: int
    """The local id of the card in the store that wrote the record: a hint only. Resolve the
    card with ``Store.card_id_of(review.key or ...)``; see :attr:`key`."""
    deck: str
    ts: str
    """ISO-8601 UTC, second precision (``2026-11-23T09:00:00+00:00``)."""
    rating: int
    ms: int
    kind: str
    """new / learn / review / relearn: the card's state before the review."""
    interval_days: float
    over: bool
    off: int | None = None
    """Local UTC offset in minutes when the review was made; None if not recorded."""
    elapsed_days: float | None = None
    key: str = ""
    """The card's stable key (drill.store.keys); "" in a record of an older drill (then
    :attr:`card` is all there is)."""
    plus: bool = False
    """The user added time to the countdown (``+``) before answering."""

    @property
    def ref(self) -> dict:
        """What ``Store.card_id_of`` resolves this review's card from."""
        return {"key": self.key} if self.key else {"card": self.card}


# ---------------------------------------------------------------------- reading
_CANONICAL_TS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00\Z")
_KINDS = {"new", "learn", "review", "relearn"}


def review_from_record(record: dict) -> Review | None:
    """A Review from a journal record, or None if it does not fit its schema (drill.store.schema)."""
    if schema.record_status(record) != schema.OK:
        return None
    try:
        ts = record["ts"]
        if not isinstance(ts, str):
            return None
        if not _CANONICAL_TS.match(ts):
            ts = iso(parse_iso(ts))
        rating = record["rating"]
        card = record.get("card", -1)
        if not (isinstance(rating, int) and 1 <= rating <= 4 and isinstance(card, int)):
            return None
        deck = record.get("deck")
        key = record.get("key")
        kind = record.get("kind")
        off = record.get("off")
        elapsed = record.get("elapsed_days")
        return Review(
            id=str(record.get("id", "")),
            card=card,
            deck=deck if isinstance(deck, str) else "",
            ts=ts,
            rating=rating,
            ms=max(0, int(record.get("ms") or 0)),
            kind=kind if kind in _KINDS else "review",
            interval_days=float(record.get("interval_days") or 0.0),
            over=bool(record.get("over")),
            off=off if isinstance(off, int) and -1440 < off < 1440 else None,
            elapsed_days=float(elapsed) if isinstance(elapsed, (int, float)) else None,
            key=key if isinstance(key, str) else "",
            plus=record.get("plus") is True,
        )
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def reviews_from_records(records: Iterable[dict]) -> list[Review]:
    """The reviews in a journal (oldest first) that no undo cancelled; malformed ones skipped."""
    reviews: list[Review] = []
    undone: set[str] = set()
    for record in records:
        kind = record.get("t")
        if kind == "review":
            review = review_from_record(record)
            if review is not None:
                reviews.append(review)
        elif kind == "undo":
            undone.add(str(record.get("review")))
    if undone:
        reviews = [r for r in reviews if r.id not in undone]
    return reviews


def records_not_undone(records: Iterable[dict], kind: str = "review", undo_kind: str = "undo") -> list[dict]:
    """The journal records of *kind*, oldest first, less those a later *undo_kind* record names."""
    kept: list[dict] = []
    undone: set = set()
    for record in records:
        t = record.get("t")
        if t == kind:
            kept.append(record)
        elif t == undo_kind:
            undone.add(record.get("review"))
    return [r for r in kept if r.get("id") not in undone]


# A review line exactly as ``json.dumps(record, separators=(",", ":"))`` writes drill's
# review records (see ``session.review_record``), from the newline before it to the one
# after. Matching it pulls out just the fields the stats need without building the
# nested state dict. ``_REVIEW_FIELDS`` is the same without the line anchors, for the
# line-by-line fallback.
_REVIEW_FIELDS = (
    rb'\{"t":"review","id":"([0-9A-Za-z_-]*)",(?:"key":"([0-9A-Za-z_#:.-]{1,64})",)?"card":(\d{1,18}),"deck":"([^"\\\n]*(?:\\.[^"\\\n]*)*)",'
    rb'"ts":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00)","rating":([1-4]),"ms":(\d{1,12}),'
    rb'"kind":"(new|learn|review|relearn)","elapsed_days":(null|\d{1,9}(?:\.\d+)?),'
    rb'"interval_days":(\d{1,9}(?:\.\d+)?),"over":(true|false)(?:,"off":(-?\d{1,4}))?'
    rb'(?:,"dev":"[0-9a-z]{1,32}")?,"state":\{'  # "dev": a copy of another device's review (drill.store.history)
)
# The state as drill.study.schedule.from_fsrs_card writes it, so that a line the fast path
# takes is one the store applies too (drill.store.schema); any other spelling is read
# line by line and checked against the schema.
_ISO = rb'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00"'
_NUMBER = rb"(?:null|\d[\d.eE+-]{0,30})"
_STATE = (
    rb'"state":[123],"step":(?:null|\d{1,6}),"stability":' + _NUMBER + rb',"difficulty":' + _NUMBER
    + rb',"due":' + _ISO + rb',"last_review":(?:null|' + _ISO + rb'),"reps":\d{1,9},"lapses":\d{1,9}\}'
    + rb'(?:,"plan":true)?(?:,"plus":(true))?\}'  # what ReviewSession.grade adds after the state
)
_FAST_REVIEW = re.compile(_REVIEW_FIELDS + _STATE + rb"\Z")
REVIEW_LINE = _FAST_REVIEW
"""A review line exactly as drill writes it (no newline): one the store applies as it is
(drill.devices reads other devices' files with it before any slower check)."""
_FAST_REVIEW_LINES = re.compile(rb"\n" + _REVIEW_FIELDS + _STATE + rb"(?=\n)")
_OTHER_LINES = re.compile(rb'\n(?!\{"t":"review")([^\n]*)')
_KIND_NAMES = {b"new": "new", b"learn": "learn", b"review": "review", b"relearn": "relearn"}


def read_reviews(journal_path: str | os.PathLike) -> list[Review]:
    """:func:`reviews_from_records` over a journal file, fast (see :class:`ReviewLog`)."""
    return ReviewLog(journal_path).reviews()


class ReviewLog:
    """The reviews in a journal file, read fast and incrementally.

    Same result as ``reviews_from_records(store.reviews())`` (the tests check
    that) at a fraction of the cost. Usually the whole file is one
    regular-expression scan: every review line matched, the few other lines
    (undo, bury, ...) parsed with json. If any review line does not match (a
    record from another version, odd values), that part is read line by line,
    json-parsing just the lines that do not match. Only complete lines count.

    The journal is append-only, so calling :meth:`reviews` again parses only
    what was appended since; a journal that was replaced is read afresh.
    """

    _CHECK = 4096
    """Bytes before the read offset remembered to notice a replaced journal."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._reset()

    def _reset(self) -> None:
        self._file: tuple[int, int] | None = None
        self._end = 0
        self._tail = b""
        self._reviews: list[Review] = []

    def reviews(self) -> list[Review]:
        try:
            f = open(self.path, "rb")
        except FileNotFoundError:
            self._reset()
            return []
        with f:
            st = os.fstat(f.fileno())
            if self._file != (st.st_dev, st.st_ino) or st.st_size < self._end or not self._same_tail(f):
                self._reset()
                self._file = (st.st_dev, st.st_ino)
            f.seek(self._end)
            data = f.read()
        complete = data[: data.rfind(b"\n") + 1]
        if complete:
            reviews, undone = _parse(b"\n" + complete)
            self._reviews.extend(reviews)
            if undone:
                self._reviews = [r for r in self._reviews if r.id not in undone]
            self._end += len(complete)
            self._tail = complete[-self._CHECK :]
        return list(self._reviews)

    def _same_tail(self, f) -> bool:
        if not self._end:
            return True
        f.seek(self._end - len(self._tail))
        return f.read(len(self._tail)) == self._tail


def _parse(data: bytes, crams: list[dict] | None = None) -> tuple[list[Review], set[str]]:
    """Reviews (in order, undone ones included) and undone review ids in ``data``.

    ``data`` is whole lines with a newline before each one. With *crams*, the cram
    answers and their undos (``{"t": "cram"}``, ``{"t": "cram-undo"}``) are added to it,
    in journal order.
    """
    # Hundreds of thousands of new tuples, none of them cyclic: the cyclic garbage
    # collector would only walk them again and again (a third of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        found = _FAST_REVIEW_LINES.findall(data)
        others = _OTHER_LINES.findall(data)
        if len(found) + len(others) != data.count(b"\n"):
            return _parse_line_by_line(data, crams)  # a review line the pattern did not match
        undone: set[str] = set()
        mark = len(crams) if crams is not None else 0
        for line in others:
            if line.strip() and _other_record(line, None, undone, crams) == "review":
                if crams is not None:
                    del crams[mark:]
                return _parse_line_by_line(data, crams)  # a review spelled differently: keep the order
        return _reviews_from_groups(found), undone
    finally:
        if collecting:
            gc.enable()


def _reviews_from_groups(groups: list[tuple[bytes, ...]]) -> list[Review]:
    decks: dict[bytes, str] = {}
    kinds = _KIND_NAMES
    new = tuple.__new__  # builds the NamedTuple without its (slow) Python-level __new__
    out: list[Review] = []
    append = out.append
    for rid, key, card, deck, ts, rating, ms, kind, elapsed, interval, over, off, plus in groups:
        name = decks.get(deck)
        if name is None:
            name = decks[deck] = _decode_json_string(deck)
        fields = (
            rid.decode(),
            int(card),
            name,
            ts.decode(),
            int(rating),
            int(ms),
            kinds[kind],
            float(interval),
            over == b"true",
            None if not off or not -1440 < int(off) < 1440 else int(off),
            None if elapsed == b"null" else float(elapsed),
            key.decode() if key else "",
            plus == b"true",
        )
        append(new(Review, fields))
    return out


def _parse_line_by_line(data: bytes, crams: list[dict] | None = None) -> tuple[list[Review], set[str]]:
    match = _FAST_REVIEW.match
    reviews: list[Review] = []
    undone: set[str] = set()
    for line in data.split(b"\n"):
        m = match(line)
        if m is not None:
            reviews.extend(_reviews_from_groups([m.groups()]))
        elif line.strip():
            _other_record(line, reviews, undone, crams)
    return reviews, undone


_CRAM_TYPES = ("cram", "cram-undo")


def _other_record(line: bytes, reviews: list[Review] | None, undone: set[str],
                  crams: list[dict] | None = None) -> object:
    """json-parse one line: note undos; add a review record to ``reviews`` and a cram
    record (answer or undo) to ``crams`` if given.

    Returns the record's type (``"t"``), None for a line that is not a record.
    """
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(record, dict):
        return None
    kind = record.get("t")
    if kind == "undo":
        undone.add(str(record.get("review")))
    elif kind == "review" and reviews is not None:
        review = review_from_record(record)
        if review is not None:
            reviews.append(review)
    elif kind in _CRAM_TYPES and crams is not None:
        crams.append(record)
    return kind


def _decode_json_string(raw: bytes) -> str:
    if b"\\" not in raw:
        return raw.decode("utf-8", "replace")
    try:
        return json.loads(b'"' + raw + b'"')
    except ValueError:
        return raw.decode("utf-8", "replace")


CHUNK = 4 << 20
"""Bytes read at a time by :func:`iter_review_chunks`: memory stays flat whatever the history."""


def iter_review_chunks(path: str | os.PathLike, start: int = 0, end: int | None = None,
                       chunk: int = CHUNK) -> Iterator[tuple[list[Review], set[str], int]]:
    """Stream the journal from offset ``start`` (to ``end``, or its last complete line):
    (reviews, undone review ids, offset after the chunk) per chunk of whole lines."""
    for reviews, undone, _, offset in iter_chunks(path, start, end, chunk, crams=False):
        yield reviews, undone, offset


def iter_chunks(path: str | os.PathLike, start: int = 0, end: int | None = None, chunk: int = CHUNK,
                *, crams: bool = True) -> Iterator[tuple[list[Review], set[str], list[dict], int]]:
    """As :func:`iter_review_chunks`, with the chunk's cram records (answers and undos,
    raw, in journal order) before the offset: (reviews, undone, crams, offset)."""
    for data, offset in iter_whole_lines(path, start, end, chunk):
        found: list[dict] | None = [] if crams else None
        reviews, undone = _parse(b"\n" + data, found)
        yield reviews, undone, found or [], offset
