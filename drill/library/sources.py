"""Registered folders that stay in sync with the store.

``drill import DIR`` registers DIR; ``drill sync`` (and the app, quietly, on
start) re-imports every registered folder.  The store keeps, per folder, a
cache of each Markdown file's size and mtime (plus a content hash), so a sync
only parses files that changed and writes nothing when nothing did.

A sync has two steps so the app can do the slow one off its UI thread:

* :func:`plan` walks the folders, stats every file and parses the changed
  ones.  It reads files but not the store (it gets a :func:`snapshot` of the
  cache), so it may run in a worker thread;
* :func:`apply` merges the plan into the store in one atomic write.

Sub-folders become deck groups: ``interview/behavioural/leadership.md`` below a
registered folder is a deck in group ``interview › behavioural``.

Pure: no Textual, no Rich.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable

from drill.parse.cards import PATH_SEPARATOR, ParsedDeck, ParseError
from drill.parse.markdown import DEFAULT_MAX_ANSWER_CHARS, DEFAULT_MAX_BYTES, parse_bytes, read_source
from drill.parse.textsafe import clean
from drill.store.collection import Store
from drill.store.merge import ImportCounts

__all__ = [
    "MARKDOWN_SUFFIXES",
    "FileChange",
    "Plan",
    "apply",
    "group_of",
    "plan",
    "registered",
    "resolve_dir",
    "snapshot",
    "sync",
    "unregister",
]

MARKDOWN_SUFFIXES = (".md", ".markdown")

#: A file modified this close to when it was cached may change again within the
#: same mtime tick; such entries are checked by content hash on the next sync.
RACY_NS = 2_000_000_000


#: Why a path whose name is not valid UTF-8 is not imported.
NOT_UTF8 = "file name is not valid UTF-8; rename it to import it"


def not_utf8(path: str) -> bool:
    """Whether *path* has bytes that are not UTF-8 (Python keeps them as lone surrogates).

    Such a name cannot be stored in the store's JSON as the path it is, so the file is
    refused with one line instead of breaking the store write for every other file.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def resolve_dir(path: str | os.PathLike) -> str:
    return str(Path(path).expanduser().resolve())


def registered(store: Store) -> list[str]:
    """Registered folders (absolute paths), sorted."""
    return sorted(store.source_folders())


def group_of(rel: str) -> str:
    """The deck group of a file at *rel* (a POSIX path below its folder)."""
    parts = [" ".join(clean(part).split()) for part in PurePosixPath(rel).parent.parts]
    return PATH_SEPARATOR.join(part for part in parts if part)


def under(path: str, root: str) -> str | None:
    """*path* relative to *root* as a POSIX path, or None if it is not inside."""
    try:
        rel = os.path.relpath(path, root)
    except ValueError:
        return None
    if rel == "." or rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel.replace(os.sep, "/")


def containing_root(roots: Iterable[str], path: str) -> str | None:
    """The registered folder that *path* is inside (the innermost), if any."""
    best = None
    for root in roots:
        if under(path, root) is not None and (best is None or len(root) > len(best)):
            best = root
    return best


# ---------------------------------------------------------------------------- walking


def walk(root: str) -> tuple[dict[str, os.stat_result | None], list[str]]:
    """Markdown files below *root* (no hidden files or folders, symlinked folders not
    followed): POSIX relative path -> stat (None if it cannot be stat'ed, say a dangling
    link).  Also the relative folders that could not be read, so their files are not
    taken for deleted."""
    found: dict[str, os.stat_result | None] = {}
    unreadable: list[str] = []
    stack = [("", root)]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            unreadable.append(prefix)
            continue
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append((prefix + entry.name + "/", entry.path))
                        continue
                except OSError:
                    unreadable.append(prefix + entry.name)
                    continue
                if entry.name.lower().endswith(MARKDOWN_SUFFIXES):
                    try:
                        found[prefix + entry.name] = entry.stat()
                    except OSError:
                        found[prefix + entry.name] = None
    return found, unreadable


# ---------------------------------------------------------------------------- planning


@dataclass
class FileChange:
    """One file to (re-)import, parsed; or the error that stopped it."""

    shown: str
    """The path as the user should see it."""
    source: str
    """Its resolved path (what cards record as their source)."""
    root: str | None = None
    rel: str | None = None
    deck: ParsedDeck | None = None
    error: tuple[int, str] | None = None
    size: int | None = None
    mtime: int | None = None
    digest: str | None = None
    racy: bool = False
    excluded: str | None = None
    """The deck this file made was removed (``drill decks --remove``): the file is left
    out of syncs and folder imports (the deck's name); naming the file imports it again."""


@dataclass
class Deleted:
    root: str
    rel: str
    shown: str


@dataclass
class Plan:
    changed: list[FileChange] = field(default_factory=list)
    deleted: list[Deleted] = field(default_factory=list)
    unchanged: int = 0
    register: list[str] = field(default_factory=list)
    """Folders to register (``drill import DIR``)."""
    absorb: list[str] = field(default_factory=list)
    """Registered folders inside a newly registered one: their records are dropped."""
    missing: list[str] = field(default_factory=list)
    """Registered folders that are not there (their cards are left alone)."""

    @property
    def writes(self) -> bool:
        """Whether applying it changes the store (files that failed to parse do not)."""
        parsed = any(change.deck is not None for change in self.changed)
        return bool(parsed or self.deleted or self.register or self.absorb)


def snapshot(store: Store, roots: Iterable[str] | None = None) -> dict[str, dict[str, dict]]:
    """A copy of the per-file cache of the given (default: all) registered folders."""
    folders = store.source_folders()
    names = folders if roots is None else [r for r in roots if r in folders]
    return {root: {rel: dict(entry) for rel, entry in folders[root].get("files", {}).items()} for root in names}


def _digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def load(
    change: FileChange,
    name: str,
    now_ns: int,
    data: bytes | None = None,
    *,
    max_answer_chars: int = DEFAULT_MAX_ANSWER_CHARS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FileChange:
    """Read and parse the file behind *change* (in place); errors are recorded, not raised."""
    try:
        if data is None:
            data = read_source(change.source, max_bytes)
        change.digest = _digest(data)
        change.deck = parse_bytes(data, name, max_answer_chars=max_answer_chars)
    except ParseError as exc:
        change.error = (exc.line, exc.reason)
        return change
    if change.rel is not None:
        change.deck.group = group_of(change.rel)
    if change.mtime is not None:
        change.racy = change.mtime >= now_ns - RACY_NS
    return change


def plan_folder(
    out: Plan,
    root: str,
    cache: dict[str, dict],
    *,
    force: bool = False,
    within: str | None = None,
    shown_root: str | None = None,
    max_answer_chars: int = DEFAULT_MAX_ANSWER_CHARS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> None:
    """Add what changed in one folder to *out*. *within*: only that sub-folder (POSIX, relative)."""
    now_ns = time.time_ns()
    if not os.path.isdir(root):
        out.missing.append(root)
        return
    prefix = "" if within is None else within + "/"
    walked, unreadable = walk(os.path.join(root, *prefix.split("/")))
    shown_base = shown_root if shown_root is not None else os.path.join(root, *prefix.split("/"))
    shown_of = {prefix + rel: os.path.join(shown_base, *rel.split("/")) for rel in walked}
    files = {prefix + rel: st for rel, st in walked.items()}
    unreadable = [prefix + rel for rel in unreadable]
    for rel in unreadable:  # one line each; what is inside is not taken for deleted
        path = os.path.join(root, *rel.rstrip("/").split("/")) if rel else root
        shown = os.path.join(shown_base, rel[len(prefix) :].rstrip("/")) if rel[len(prefix) :] else shown_base
        out.changed.append(FileChange(shown=shown, source=path, error=(0, f"cannot read folder: {_folder_problem(path)}")))
    # Files named explicitly on `drill import` (say notes.txt) are cached but not
    # found by the walk; while they exist they are tracked, not taken for deleted.
    for rel in cache:
        if rel in files or not rel.startswith(prefix) or _hidden_by(rel, unreadable):
            continue
        try:
            st = os.stat(os.path.join(root, *rel.split("/")))
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            files[rel] = st
            shown_of[rel] = os.path.join(shown_base, *rel[len(prefix) :].split("/"))
    for rel in sorted(files):
        st = files[rel]
        if not_utf8(rel):  # one line; never cached (the cache is stored as JSON)
            out.changed.append(FileChange(shown=shown_of[rel], source=os.path.join(root, *rel.split("/")), error=(1, NOT_UTF8)))
            continue
        entry = cache.get(rel)
        change = FileChange(
            shown=shown_of[rel],
            source=os.path.join(root, *rel.split("/")),
            root=root,
            rel=rel,
            size=st.st_size if st else None,
            mtime=st.st_mtime_ns if st else None,
        )
        if entry is not None and entry.get("removed"):
            out.changed.append(replace_excluded(change, str(entry.get("deck") or "")))
            continue
        same = st is not None and entry is not None and entry.get("size") == st.st_size and entry.get("mtime") == st.st_mtime_ns
        if same and not force:
            if not entry.get("racy"):
                out.unchanged += 1
                continue
            try:
                data = read_source(change.source, max_bytes)
            except ParseError:
                data = None
            if data is not None and _digest(data) == entry.get("hash"):
                out.unchanged += 1
                continue
            out.changed.append(
                load(change, PurePosixPath(rel).name, now_ns, data, max_answer_chars=max_answer_chars, max_bytes=max_bytes)
            )
            continue
        change.source = os.path.realpath(change.source)  # never raises, even on a symlink loop
        out.changed.append(load(change, PurePosixPath(rel).name, now_ns, max_answer_chars=max_answer_chars, max_bytes=max_bytes))
    for rel in sorted(cache):
        if rel in files or not rel.startswith(prefix):
            continue
        if _hidden_by(rel, unreadable):
            continue  # could not look: not taken for deleted
        out.deleted.append(Deleted(root, rel, os.path.join(shown_base, *rel[len(prefix) :].split("/"))))


def replace_excluded(change: FileChange, deck: str) -> FileChange:
    """*change* marked as left out: its deck was removed (not read, not parsed)."""
    change.excluded = deck
    return change


def folder_entries(store: Store, files: Iterable[str]) -> list[tuple[str, dict]]:
    """(path, cache entry) of the registered-folder files among *files* (source paths), sorted."""
    wanted = set(files)
    out = []
    for root, record in store.source_folders().items():
        for rel, entry in record.get("files", {}).items():
            if isinstance(entry, dict) and entry.get("source") in wanted:
                out.append((os.path.join(root, *rel.split("/")), entry))
    out.sort(key=lambda pair: pair[0])
    return out


def exclude_sources(store: Store, files: Iterable[str], deck: str) -> list[str]:
    """Mark the registered-folder files among *files* as removed with their deck, so a
    sync does not bring the deck back. Call inside ``writing()``. Returns their paths."""
    out = []
    for path, entry in folder_entries(store, files):
        entry["removed"] = True
        entry["deck"] = deck
        out.append(path)
    return out


def excluded_files(store: Store) -> list[str]:
    """Files of registered folders left out because their deck was removed."""
    return sorted(
        os.path.join(root, *rel.split("/"))
        for root, record in store.source_folders().items()
        for rel, entry in record.get("files", {}).items()
        if isinstance(entry, dict) and entry.get("removed")
    )


def _folder_problem(path: str) -> str:
    """Why the folder at *path* cannot be listed (asked again: the walk keeps no reasons)."""
    try:
        with os.scandir(path):
            return "it could not be listed"
    except OSError as exc:
        return exc.strerror or str(exc)


def _hidden_by(rel: str, unreadable: list[str]) -> bool:
    """Whether *rel* sits in (or is) something the walk could not read."""
    for bad in unreadable:
        if bad == "" or rel == bad or rel.startswith(bad if bad.endswith("/") else bad + "/"):
            return True
    return False


def plan(
    cache: dict[str, dict[str, dict]],
    *,
    force: bool = False,
    max_answer_chars: int = DEFAULT_MAX_ANSWER_CHARS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Plan:
    """What a sync of the folders in *cache* (a :func:`snapshot`) would do; reads files only.

    *max_answer_chars* is the store's setting (see drill.store.settings), passed in because
    planning does not read the store."""
    out = Plan()
    for root in sorted(cache):
        plan_folder(out, root, cache[root], force=force, max_answer_chars=max_answer_chars, max_bytes=max_bytes)
    return out


# ---------------------------------------------------------------------------- applying


@dataclass
class Outcome:
    """What happened to one file: its import counts, or its error, or that it was deleted."""

    change: FileChange | Deleted
    counts: ImportCounts | None = None
    deleted: bool = False

    @property
    def shown(self) -> str:
        return self.change.shown


def _cache_entry(change: FileChange) -> dict:
    return {
        "size": change.size,
        "mtime": change.mtime,
        "hash": change.digest,
        "racy": change.racy,
        "deck": change.deck.name if change.deck else None,
        "source": change.source,
    }


def deck_name_in_group(
    store: Store, parsed: ParsedDeck, source: str, old: dict | None, leaving: frozenset[str] = frozenset()
) -> str:
    """The name *parsed* is stored under: a deck's identity includes its folder group.

    Two files titled ``# Algorithms`` in different folders are two decks: the one
    imported second is ``Algorithms (folder › sub)`` (two in one folder: ``Algorithms
    (file name)``).  Frontmatter ``deck:`` names a deck on purpose, so files that
    say the same ``deck:`` share it.  A file keeps the name it had (the sync cache
    remembers it; so does a deck that already holds its cards), so a sync never
    moves cards between the two.  *leaving*: decks whose files vanished in this sync
    (a renamed file keeps its deck).
    """
    name = parsed.name
    if old and str(old.get("deck") or "").startswith(name + " (") and old.get("source") == source:
        return str(old["deck"])
    existing = store.deck(name)
    if existing is None or source in existing.sources or getattr(parsed, "name_from", "") == "deck" or name in leaving:
        return name
    if (existing.group or "") != (parsed.group or ""):
        return f"{name} ({parsed.group or 'top level'})"
    stem = PurePosixPath(source.replace(os.sep, "/")).stem
    return f"{name} ({' '.join(clean(stem).split()) or 'another file'})"


def apply(store: Store, the_plan: Plan, *, dry_run: bool = False) -> list[Outcome]:
    """Merge *the_plan* into the store in one atomic write (none when nothing changed)."""
    if dry_run or not the_plan.writes:
        return _apply(store, the_plan, dry_run=True)  # reads only
    with store.writing():
        return _apply(store, the_plan, dry_run=False)


def _apply(store: Store, the_plan: Plan, *, dry_run: bool) -> list[Outcome]:
    folders = store.source_folders() if not dry_run else {}
    if not dry_run:
        for root in the_plan.absorb:
            folders.pop(root, None)
        for root in the_plan.register:
            folders.setdefault(root, {"files": {}})

    def files_of(root: str | None) -> dict | None:
        if root is None or root not in folders:
            return None
        return folders[root].setdefault("files", {})

    def cached_files(root: str | None) -> dict:
        # A dry run changes nothing, so it reads the registered cache as it is.
        if dry_run:
            return store.source_folders().get(root, {}).get("files", {}) if root is not None else {}
        return files_of(root) or {}

    # A deleted file whose exact content shows up under another name was renamed.
    gone = {}
    renamed_away: set[tuple[str, str]] = set()  # dry run: deleted files that were renamed
    for d in the_plan.deleted:
        entry = cached_files(d.root).get(d.rel)
        if entry and entry.get("hash"):
            gone.setdefault(entry["hash"], []).append((d, entry))

    leaving = frozenset(str(entry.get("deck")) for pairs in gone.values() for _, entry in pairs if entry.get("deck"))
    outcomes: list[Outcome] = []
    for change in the_plan.changed:
        if change.excluded is not None:
            outcomes.append(Outcome(change))  # its deck was removed: left as it is
            continue
        if change.deck is None:
            outcomes.append(Outcome(change))
            files = files_of(change.root)
            if files is not None and change.rel is not None:
                # Keep what we knew (deck, source) so a later delete still archives it.
                old = files.get(change.rel, {})
                files[change.rel] = {**old, "size": None, "mtime": None, "hash": None, "source": change.source}
            continue
        files = files_of(change.root)
        old = files.get(change.rel) if files is not None and change.rel is not None else None
        if old is None and change.rel is not None:
            old = cached_files(change.root).get(change.rel)
        change.deck.name = deck_name_in_group(store, change.deck, change.source, old, leaving)
        if not dry_run:
            if old and old.get("deck") and old["deck"] != change.deck.name and old.get("source") == change.source:
                store.move_cards(change.source, old["deck"], change.deck.name)
            renamed = gone.get(change.digest or "")
            if not old and renamed:
                d, entry = renamed.pop(0)
                if entry.get("deck") and entry.get("source"):
                    store.move_cards(entry["source"], entry["deck"], change.deck.name, new_source=change.source)
        elif change.rel is not None and change.rel not in cached_files(change.root) and gone.get(change.digest or ""):
            d, _ = gone[change.digest or ""].pop(0)
            renamed_away.add((d.root, d.rel))
        counts = store.apply_import(change.deck, change.source, dry_run=dry_run)
        if old and old.get("deck") and old["deck"] != change.deck.name and not dry_run:
            store.archive_source(change.source, old["deck"])
        outcomes.append(Outcome(change, counts))
        if files is not None and change.rel is not None:
            files[change.rel] = _cache_entry(change)

    for d in the_plan.deleted:
        files = files_of(d.root) if not dry_run else None
        source_files = store.source_folders().get(d.root, {}).get("files", {})
        entry = files.pop(d.rel, None) if files is not None else source_files.get(d.rel)
        if entry and entry.get("removed"):
            continue  # the file of a removed deck is gone too: nothing left to archive
        counts = ImportCounts(deck=(entry or {}).get("deck") or "")
        if entry and entry.get("source"):
            if dry_run and (d.root, d.rel) in renamed_away:
                counts.archived = 0  # its cards move to the new name
            elif dry_run:
                counts.archived = sum(
                    1 for c in store.cards([entry["deck"]] if entry.get("deck") else None) if c.source == entry["source"]
                )
            else:
                counts.archived = store.archive_source(entry["source"], entry.get("deck"))
        outcomes.append(Outcome(d, counts, deleted=True))
    return outcomes


# ---------------------------------------------------------------------------- one call


@dataclass
class SyncResult:
    outcomes: list[Outcome]
    unchanged: int
    missing: list[str]
    folders: int

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if isinstance(o.change, FileChange) and o.change.error]


def sync(store: Store, roots: Iterable[str] | None = None, *, dry_run: bool = False) -> SyncResult:
    """Re-import what changed in the registered folders (all, or *roots*)."""
    store.refresh()
    cache = snapshot(store, roots)
    the_plan = plan(cache, max_answer_chars=store.settings.max_answer_chars, max_bytes=store.settings.max_file_bytes)
    outcomes = apply(store, the_plan, dry_run=dry_run)
    return SyncResult(outcomes, the_plan.unchanged, the_plan.missing, len(cache))


def unregister(store: Store, root: str, *, archive: bool = False) -> tuple[int, int] | None:
    """Forget a registered folder. With *archive*, also archive the cards of its files
    (and decks left empty). Returns (files, cards archived), or None if not registered."""
    with store.writing():
        record = store.source_folders().pop(root, None)
        if record is None:
            return None
        files = record.get("files", {})
        archived = 0
        if archive:
            for entry in files.values():
                if entry.get("source"):
                    archived += store.archive_source(entry["source"], entry.get("deck"))
        return len(files), archived


def summary_line(outcomes: list[Outcome], root_of_shown: bool = True) -> str | None:
    """One line for the app: "3 cards updated in interview/stories.md"; None if nothing changed."""
    added = updated = archived = 0
    touched = []
    errors = 0
    for o in outcomes:
        if isinstance(o.change, FileChange) and o.change.error:
            errors += 1
            continue
        c = o.counts
        if c is None or not (c.added or c.updated or c.archived):
            continue
        added += c.added
        updated += c.updated
        archived += c.archived
        touched.append(o.change)
    parts = []
    for n, verb in ((added, "added"), (updated, "updated"), (archived, "archived")):
        if n:
            parts.append(f"{n} {verb}")
    line = None
    if parts:
        total = added + updated + archived
        noun = "card" if total == 1 else "cards"
        if len(parts) == 1:
            text = f"{parts[0].split()[0]} {noun} {parts[0].split()[1]}"
        else:
            text = f"{noun.capitalize()}: " + ", ".join(parts)
        if len(touched) == 1:
            change = touched[0]
            where = change.rel if getattr(change, "rel", None) else os.path.basename(change.shown)
            line = f"{text} in {where}"
        else:
            line = f"{text} across {len(touched)} files"
    if errors:
        tail = f"{errors} file{'s' if errors != 1 else ''} could not be imported (`drill sync` shows why)"
        line = f"{line}; {tail}" if line else tail.capitalize()
    return line  # shown by the app through drill.ui.labels, which escapes what must be
