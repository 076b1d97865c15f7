"""Child processes for the fault tests: a grading loop and an import loop on a real
store, each printing one ``ack`` line only after the write it names returned
(i.e. was fsync'd or atomically renamed), so the parent knows what was promised.

    python tests/fault_helpers.py grade DB [COUNT]    # COUNT grades, or forever
    python tests/fault_helpers.py import DB DIR [COUNT]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drill.parse.cards import ParsedCard, ParsedDeck  # noqa: E402
from drill.store.collection import Store  # noqa: E402

START = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
RATINGS = (3, 1, 3, 4, 2, 3, 3)


def seed_store(db: Path, decks: int = 3, cards: int = 10) -> None:
    """A store of *decks* decks of *cards* plain cards (written in our own words)."""
    store = Store(db)
    with store.writing():
        for d in range(decks):
            parsed = ParsedDeck(
                f"Seed deck {d}",
                cards=[ParsedCard((f"Seed {d} prompt {i}",), f"Seed answer {d}.{i}", line=3 + 2 * i) for i in range(cards)],
            )
            store.apply_import(parsed, f"/seed/deck-{d}.md")
    store.close()


def note(i: int) -> str:
    return "\n".join(
        [f"# Import deck {i:03d}", ""]
        + [line for j in range(3) for line in (f"## Import {i} heading {j}", "", f"Body {i}.{j}: a short answer.", "")]
    )


def grade_loop(db: Path, count: int | None) -> None:
    """Grade due and new cards forever (or *count* times) with a clock that moves a
    day after each grade; compact now and then so kills land in rewrites too."""
    from drill.study.session import ReviewSession

    store = Store(db)
    step = [len(store.journal.read_from(0).records)]  # resume the clock where the last child stopped

    def clock() -> datetime:
        return START + timedelta(days=step[0])

    session = ReviewSession(store, clock=clock, new_limit=1000)
    print("ready", flush=True)
    done = 0
    while count is None or done < count:
        card = session.next_card()
        if card is None:
            step[0] += 1
            session = ReviewSession(store, clock=clock, new_limit=1000)
            continue
        graded = session.grade(RATINGS[step[0] % len(RATINGS)])
        print(f"ack {graded.review_id} {card.id}", flush=True)
        done += 1
        step[0] += 1
        if step[0] % 7 == 0:
            store.compact()
    store.close()


def import_loop(db: Path, folder: Path, count: int | None) -> None:
    """Add one Markdown file at a time and import the whole folder after each."""
    from drill.library.importer import import_paths

    store = Store(db)
    print("ready", flush=True)
    i = len(list(folder.glob("*.md")))
    done = 0
    while count is None or done < count:
        # The note appears whole (as an editor's atomic save does): a kill between
        # creating and filling it would leave a half note that this test then
        # counts as a deck of fewer cards, which is not what it checks.
        tmp = folder / f".note-{i:03d}.md.tmp"
        tmp.write_text(note(i), encoding="utf-8")
        os.replace(tmp, folder / f"note-{i:03d}.md")
        reports = import_paths(store, [folder])
        bad = [r for r in reports if r.error]
        if bad:
            raise SystemExit(f"import failed: {bad}")
        print(f"ack {i}", flush=True)
        i += 1
        done += 1
    store.close()


def child(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, **kwargs,
    )


def journal_records(db: Path) -> list[dict]:
    out = []
    path = db.with_name(db.name + ".journal")
    if not path.exists():
        return out
    for line in path.read_bytes().split(b"\n"):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            out.append(record)
    return out


def check_store(db: Path, acked_reviews: set[str], *, cards: int | None = None) -> Store:
    """The store opens, every acknowledged grade is in the journal, every card's state
    is that of its last journalled review, and no card is duplicated."""
    store = Store(db)  # raises StoreCorrupt if a kill left a broken file
    records = journal_records(db)
    reviewed = {r["id"] for r in records if r.get("t") == "review"}
    missing = acked_reviews - reviewed
    assert not missing, f"{len(missing)} acknowledged grades lost"
    last: dict[int, dict | None] = {}
    for r in records:
        if r.get("t") in ("review", "undo"):
            last[r["card"]] = r.get("state")
    everything = store.cards(archived=True)
    for card in everything:
        assert card.state == last.get(card.id), f"card {card.id} does not match its journal"
    keys = [(c.deck, c.path) for c in everything]
    assert len(keys) == len(set(keys)), "a card is duplicated"
    assert len({c.id for c in everything}) == len(everything)
    if cards is not None:
        assert len(everything) == cards
    return store


def read_acks(proc: subprocess.Popen, timeout: float = 20) -> tuple[list[str], str]:
    out, err = proc.communicate(timeout=timeout)
    assert "Traceback" not in err, err
    return [line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("ack ")], err


def start(*args: str) -> subprocess.Popen:
    proc = child(*args)
    line = proc.stdout.readline()
    if line != "ready\n":
        proc.kill()
        raise AssertionError(f"child did not start: {line!r} {proc.stderr.read()}")
    return proc


def temp_files(db: Path) -> list[Path]:
    return list(db.parent.glob(f".{db.name}.*.tmp"))


if __name__ == "__main__":
    kind, db = sys.argv[1], Path(sys.argv[2])
    if kind == "grade":
        grade_loop(db, int(sys.argv[3]) if len(sys.argv) > 3 else None)
    elif kind == "import":
        import_loop(db, Path(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else None)
    else:
        raise SystemExit(f"unknown child {kind!r}")
