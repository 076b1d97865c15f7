"""Import Markdown files and folders into the store, one report line per file."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable

from .cards import ParseError
from .markdown import parse_file
from .store import Store

MARKDOWN_SUFFIXES = (".md", ".markdown")


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

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("line")
        data["warnings"] = list(self.warnings)
        return data


def discover(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[FileReport]]:
    """Files to import: folders recursively (``*.md``/``*.markdown``, no hidden
    files or folders), explicitly named files whatever their extension."""
    files: list[Path] = []
    missing: list[FileReport] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = []
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if not name.startswith(".") and name.lower().endswith(MARKDOWN_SUFFIXES):
                        found.append(Path(root) / name)
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            missing.append(FileReport(str(path), error="no such file or directory", line=0))
    return files, missing


def import_paths(store: Store, paths: Iterable[str | os.PathLike], *, dry_run: bool = False) -> list[FileReport]:
    """Parse and merge every file; bad files get an error report, the rest import.

    All files go into the store in one atomic write.
    """
    files, reports = discover(paths)
    parsed = []
    for path in files:
        try:
            deck = parse_file(path)
        except ParseError as exc:
            reports.append(FileReport(str(path), error=exc.reason, line=exc.line))
            continue
        parsed.append((path, deck))
    if not parsed:
        return reports
    if dry_run:
        for path, deck in parsed:
            reports.append(_report(path, deck, store.apply_import(deck, _source(path), dry_run=True)))
        return reports
    with store.writing():
        for path, deck in parsed:
            reports.append(_report(path, deck, store.apply_import(deck, _source(path))))
    return reports


def _source(path: Path) -> str:
    return str(path.resolve())


def _report(path: Path, deck, counts) -> FileReport:
    return FileReport(
        str(path),
        deck=counts.deck,
        cards=counts.cards,
        added=counts.added,
        updated=counts.updated,
        unchanged=counts.unchanged,
        archived=counts.archived,
        warnings=tuple(f"{path}:{line}: {message}" for line, message in deck.warnings),
    )


def error_line(report: FileReport) -> str:
    """The one-line ``path:line: reason`` form for stderr."""
    return f"{report.path}:{report.line or 1}: {report.error}"
