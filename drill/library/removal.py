"""Removing a deck (``drill decks --remove``, ``x`` on home): what goes, then one atomic write.

As Anki's "Delete" on a deck: the deck and its cards leave the collection, after a
confirmation that counts them. Anki keeps the review log of deleted cards in its
database; drill's journal is append-only, so the same holds here: the removed
cards' review records stay in the journal (the totals, streak and heatmap still
count the days you studied) but belong to no card or deck any more, so no
per-deck or per-card view (Decks table, hardest cards, due counts) shows them.

``archive=True`` keeps everything instead: the cards are archived (hidden, schedule
and history kept), and importing the file again brings them back as they were -- the
way a deck whose file was deleted is archived by a sync.

Either way, the deck's files inside registered folders are marked as removed in the
folder cache, so the next sync does not quietly bring the deck back; the sync report
names each such file, and ``drill import FILE`` (naming the file) imports it again.

Pure: no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass

from drill.library import sources
from drill.parse.textsafe import shown
from drill.parse.wording import count
from drill.store import rollup as rollups
from drill.store.collection import DECKS_REMOVED, Store

#: Widest a deck name is shown in a confirmation.
NAME_WIDTH = 48


@dataclass(frozen=True)
class Removal:
    """What removing one deck takes away (or archives)."""

    deck: str
    cards: int
    """Active cards."""
    archived_cards: int
    """Cards of the deck already archived (they go too)."""
    reviews: int
    """Reviews recorded under the deck's name."""
    files: tuple[str, ...]
    """The files the deck's cards came from (they are never touched)."""
    registered: tuple[str, ...]
    """Those of them inside registered folders: left out of syncs from now on."""
    archive: bool = False

    def headline(self) -> str:
        """"Remove deck 'Go': 12 cards and 34 reviews." (sanitised for the terminal)."""
        name = shown(self.deck, NAME_WIDTH)
        if self.archive:
            return f"Archive deck '{name}': {count(self.cards, 'card')} hidden, {count(self.reviews, 'review')} kept."
        return f"Remove deck '{name}': {count(self.cards, 'card')} and {count(self.reviews, 'review')}."

    def details(self) -> list[str]:
        """What exactly happens, one line each (sanitised)."""
        out = []
        if self.archive:
            out.append("Their schedule and review history are kept; importing the file again brings them back.")
        else:
            extra = f" (and {count(self.archived_cards, 'archived card')})" if self.archived_cards else ""
            out.append(f"The cards{extra} are deleted with their schedule; the deck leaves every view.")
            if self.reviews:
                out.append("Past reviews still count in the daily totals and streak (the journal is never rewritten).")
        if self.registered:
            n = len(self.registered)
            out.append(f"{'This file' if n == 1 else f'These {n} files'} of a registered folder will be left out of syncs:")
            out.extend(f"  {shown(path)}" for path in self.registered[:5])
            if n > 5:
                out.append(f"  … and {n - 5} more")
        out.append("Your Markdown files are not touched; `drill import FILE` brings a deck back.")
        return out


def plan_removal(store: Store, name: str, *, archive: bool = False) -> Removal | None:
    """What :func:`remove_deck` would do to the deck *name* (any case); None if there is none.

    Reads only: the deck's cards from the due index, its review count from the stats
    roll-up (no pass over the whole history)."""
    store.refresh()
    return _plan(store, name, archive)


def _plan(store: Store, name: str, archive: bool) -> Removal | None:
    deck = store.deck(name)
    if deck is None:
        return None
    active = archived = 0
    files: set[str] = set(deck.sources)
    for _cid, doc in store.scan([deck.name]):
        if doc.get("archived"):
            archived += 1
        else:
            active += 1
        if doc.get("source"):
            files.add(doc["source"])
    totals = rollups.current(store.path, store.journal.path).decks.get(deck.name)
    reviews = totals[0] if totals else 0
    registered = [path for path, _ in sources.folder_entries(store, files)]
    return Removal(deck.name, active, archived, reviews, tuple(sorted(files)), tuple(registered), archive)


def remove_deck(store: Store, name: str, *, archive: bool = False) -> Removal | None:
    """Remove (or with *archive*, archive) the deck *name*, in one atomic write.

    Returns what went, counted under the write lock; None if there is no such deck."""
    with store.writing():
        removal = _plan(store, name, archive)
        if removal is None:
            return None
        sources.exclude_sources(store, removal.files, removal.deck)
        store.remove_deck(removal.deck, archive=archive)
        # A store whose last deck was removed is empty, not new: the first-run
        # sample decks must not come back on the next start.
        store.set_extra(DECKS_REMOVED, True)
    return removal
