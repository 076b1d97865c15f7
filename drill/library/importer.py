"""Import Markdown files and folders into the store, one report line per file.

A folder given to :func:`import_paths` is registered as a source (see
:mod:`drill.sources`): every file in it is parsed again, files deleted since
the last import or sync are archived, and later ``drill sync`` runs only look
at what changed.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Iterable

from drill.library import sources
from drill.library.sources import MARKDOWN_SUFFIXES, FileChange, Outcome, Plan
from drill.parse.cards import KIND_QUESTIONS, ParsedDeck
from drill.parse.textsafe import shown
from drill.store.collection import Store

#: Widest a deck name is shown in a report line.
NAME_WIDTH = 48

__all__ = ["MARKDOWN_SUFFIXES", "FileReport", "discover", "import_paths", "error_line", "reports_of"]


@dataclass
class FileReport:
    path: str
    deck: str | None = None
    cards: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    error: str | None = None
    line: int | None = None
    warnings: tuple[str, ...] = ()
    deleted: bool = False
    """The file is gone; ``archived`` counts the cards it took with it."""
    questions: int = 0
    """A ``kind: questions`` file: the interview questions it adds to the bank."""
    mode: str = ""
    """How the file was read: "headings", "explicit", "details" or "mixed (3 heading, 2 explicit)"."""
    modes: dict[str, int] = field(default_factory=dict)
    """Cards per origin ("heading", "explicit", "details")."""
    skipped: tuple[str, ...] = ()
    """Sections left out, each as "Heading (reason)"."""
    notices: tuple[str, ...] = ()
    """``path:line: what drill decided`` lines (a card split at its sub-headings)."""
    archived_studied: int = 0
    excluded: bool = False
    """A file of a registered folder whose deck was removed (``drill decks --remove``): not imported."""
    parsed: ParsedDeck | None = field(default=None, repr=False, compare=False)
    """The parsed file (for ``drill import --dry-run --show``)."""

    def summary(self) -> str:
        """One human line for a file that imported (or vanished), sanitised for the terminal."""
        if self.deleted:
            return f"{shown(self.path)}: file is gone: {_count(self.archived, 'card')} archived"
        if self.excluded:
            return (
                f"{shown(self.path)}: left out: its deck '{shown(self.deck, NAME_WIDTH)}' was removed "
                f"(`drill import {shown(self.path)}` brings it back)"
            )
        if self.questions or (self.cards == 0 and self.kind_questions):
            archived = f" ({_count(self.archived, 'card')} archived)" if self.archived else ""
            return f"{shown(self.path)}: {_count(self.questions, 'interview question')} added to the question bank{archived}"
        if self.cards == 0:  # a file with no cards makes no deck (and takes its old cards away)
            if not self.archived:
                why = f": {shown(self.no_cards)}" if self.no_cards else ""
                return f"{shown(self.path)}: no cards, no deck made{why}"
            why = f"; {shown(self.no_cards)}" if self.no_cards else ""
            return f"{shown(self.path)}: no cards now: {_count(self.archived, 'card')} archived from deck '{shown(self.deck, NAME_WIDTH)}'{why}"
        mode = f"; {self.mode}" if self.mode and self.mode != "none" else ""
        return (
            f"{shown(self.path)}: deck '{shown(self.deck, NAME_WIDTH)}': {_count(self.cards, 'card')} ({self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.archived} archived){mode}"
        )

    kind_questions: bool = False
    """The file is a ``kind: questions`` file (even one whose questions were all skipped)."""
    no_cards: str = ""
    """Why the file gave no card ("the file is empty"); said in its summary line, not as a warning."""

    @property
    def empty(self) -> bool:
        """Read, but it gave no card (nor interview question): counted apart from the imported."""
        return (not self.error and not self.deleted and not self.excluded and self.cards == 0
                and not self.questions and not self.kind_questions)

    def lines(self) -> list[str]:
        """The summary, then one line naming the skipped sections, then the notices."""
        out = [self.summary()]
        if self.skipped and not self.deleted:
            n = len(self.skipped)
            names = ", ".join(shown(name) for name in self.skipped)
            out.append(f"{shown(self.path)}: skipped {n} section{'s' if n != 1 else ''}: {names}")
        out.extend(shown(notice) for notice in self.notices)
        return out

    def to_json(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("line", "parsed")}
        data["modes"] = dict(self.modes)
        if not data.pop("kind_questions"):
            data.pop("questions")
        data["warnings"] = list(self.warnings)
        data["skipped"] = list(self.skipped)
        data["notices"] = list(self.notices)
        return data


#: The parser's warning for a file with no card; the reason follows it.
NO_CARDS = "no cards found: "


def left_out_line(reports, most: int = 2) -> str | None:
    """One line for every file left out because its deck was removed, said once per run
    (each sync repeated a line per file): how many, the first *most* of them, how to undo."""
    left = [r for r in reports if r.excluded]
    if not left:
        return None
    names = ", ".join(shown(r.path) for r in left[:most])
    more = f" and {len(left) - most} more" if len(left) > most else ""
    if len(left) == 1:
        return (f"left out 1 file, its deck '{shown(left[0].deck, NAME_WIDTH)}' was removed: {names} "
                f"(`drill import {names}` brings it back)")
    return (f"left out {len(left)} files whose decks were removed: {names}{more} "
            "(`drill import FILE` brings one back)")


def _count(n: int, noun: str) -> str:
    """``1 card``, ``2 cards``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def discover(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[FileReport]]:
    """Files to import: folders recursively (``*.md``/``*.markdown``, no hidden
    files or folders), explicitly named files whatever their extension."""
    files: list[Path] = []
    missing: list[FileReport] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found, _ = sources.walk(str(path))
            files.extend(path / rel for rel in sorted(found))
        elif path.exists():
            files.append(path)
        else:
            missing.append(FileReport(str(path), error="no such file or directory", line=0))
    return files, missing


def import_paths(
    store: Store, paths: Iterable[str | os.PathLike], *, dry_run: bool = False, register: bool = True
) -> list[FileReport]:
    """Parse and merge every file; bad files get an error report, the rest import.

    Folders are registered as sources unless *register* is false (or *dry_run*).
    All files go into the store in one atomic write.
    """
    store.refresh()
    folders = store.source_folders()
    roots = list(folders)
    plan = Plan()
    missing: list[FileReport] = []
    now_ns = time.time_ns()
    limit, max_bytes = store.settings.max_answer_chars, store.settings.max_file_bytes
    for raw in paths:
        path = Path(raw)
        if sources.not_utf8(os.path.abspath(path)):
            missing.append(FileReport(str(path), error=sources.NOT_UTF8, line=0))
            continue
        if path.is_dir():
            root = sources.resolve_dir(path)
            outer = sources.containing_root(roots, root)
            if outer is not None and outer != root:
                within = sources.under(root, outer)
                cache = sources.snapshot(store, [outer])[outer]
                sources.plan_folder(
                    plan, outer, cache, force=True, within=within, shown_root=str(path), max_answer_chars=limit, max_bytes=max_bytes
                )
                continue
            cache = sources.snapshot(store, [root]).get(root, {})
            if outer is None and register and not dry_run:
                plan.register.append(root)
                for inner in roots:
                    prefix = sources.under(inner, root)
                    if prefix is None:
                        continue
                    plan.absorb.append(inner)
                    for rel, entry in sources.snapshot(store, [inner])[inner].items():
                        cache[f"{prefix}/{rel}"] = entry
            sources.plan_folder(plan, root, cache, force=True, shown_root=str(path), max_answer_chars=limit, max_bytes=max_bytes)
        elif os.path.lexists(path):  # a dangling link or a symlink loop gets its own reason
            source = os.path.realpath(path)
            root = sources.containing_root(roots, source)
            change = FileChange(shown=str(path), source=source, root=root)
            if root is not None:
                change.rel = sources.under(source, root)
                try:
                    st = os.stat(source)
                    change.size, change.mtime = st.st_size, st.st_mtime_ns
                except OSError:
                    pass
            plan.changed.append(sources.load(change, path.name, now_ns, max_answer_chars=limit, max_bytes=max_bytes))
        else:
            missing.append(FileReport(str(path), error="no such file or directory", line=0))
    # The same file named twice (say on its own and inside a folder) is imported once.
    seen: set[str] = set()
    unique = []
    for change in plan.changed:
        if change.source not in seen:
            seen.add(change.source)
            unique.append(change)
    plan.changed = unique
    return missing + reports_of(sources.apply(store, plan, dry_run=dry_run))


def reports_of(outcomes: list[Outcome]) -> list[FileReport]:
    """Per-file reports for what :func:`drill.sources.apply` did."""
    reports = []
    for outcome in outcomes:
        change = outcome.change
        if outcome.deleted:
            counts = outcome.counts
            reports.append(
                FileReport(change.shown, deck=counts.deck if counts else None, archived=counts.archived if counts else 0, deleted=True)
            )
            continue
        assert isinstance(change, FileChange)
        if change.excluded is not None:
            reports.append(FileReport(change.shown, deck=change.excluded, excluded=True))
            continue
        if change.error is not None:
            line, reason = change.error
            reports.append(FileReport(change.shown, error=reason, line=line))
            continue
        counts = outcome.counts
        deck = change.deck
        assert counts is not None and deck is not None
        no_cards = ""
        if counts.cards == 0 and deck.kind != KIND_QUESTIONS:  # said once, on the file's own line
            no_cards = next((m.removeprefix(NO_CARDS) for _, m in deck.warnings if m.startswith(NO_CARDS)), "")
        warnings = [f"{change.shown}:{line}: {message}" for line, message in deck.warnings
                    if not (no_cards and message.startswith(NO_CARDS))]
        if counts.archived_studied:
            n = counts.archived_studied
            warnings.append(
                f"{change.shown}: {n} studied card{'s' if n != 1 else ''} archived: no longer in the file as it "
                f"reads now ({deck.mode}); {'their' if n != 1 else 'its'} review history is kept and comes back "
                f"if {'they return' if n != 1 else 'it returns'}"
            )
        reports.append(
            FileReport(
                change.shown,
                deck=counts.deck,
                cards=counts.cards,
                added=counts.added,
                updated=counts.updated,
                unchanged=counts.unchanged,
                archived=counts.archived,
                warnings=tuple(warnings),
                mode=deck.mode,
                modes=deck.mode_counts(),
                skipped=tuple(f"{name} ({why})" if name != why else name for _, name, why in deck.skipped),
                notices=tuple(f"{change.shown}:{line}: {message}" for line, message in deck.notices),
                archived_studied=counts.archived_studied,
                parsed=deck,
                questions=counts.questions,
                kind_questions=deck.kind == KIND_QUESTIONS,
                no_cards=no_cards,
            )
        )
    return reports


def error_line(report: FileReport) -> str:
    """The one-line ``path:line: reason`` form for stderr."""
    if report.line == 0:  # about the path itself (missing, a folder that cannot be read)
        return f"{shown(report.path)}: {shown(report.error)}"
    return f"{shown(report.path)}:{report.line or 1}: {shown(report.error)}"
