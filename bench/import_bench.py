"""Benchmark: importing and syncing a folder of 1,000 Markdown files x 10 cards.

    python bench/import_bench.py [--files N] [--cards N] [--runs N]

Writes a throw-away folder (20 sub-folders; every file dated a day back, as
notes usually are), then measures on a fresh store each time:

* first import   -- ``drill import DIR`` in-process: walk, parse every file, one atomic write
* no-change sync -- ``drill sync`` in-process right after: stat every file, parse nothing,
                    write nothing (best of --runs)
* one edit       -- sync after one file changed: one parse, one atomic write (best of --runs)
* just-saved     -- no-change sync when every file was written in the last two seconds:
                    such "racy" files are checked by content hash, still without parsing
* cli            -- ``drill import DIR`` and ``drill sync`` end to end in subprocesses
                    (Python start-up and opening the store included; for information)

Target (checked, exit status 1 if missed): the no-change sync is at least 10x faster
than the first import. It is a ratio of two timings from the same run, so a slow
machine slows both.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drill.library.importer import import_paths  # noqa: E402
from drill.library.sources import sync  # noqa: E402
from drill.store.collection import Store  # noqa: E402

TARGET = 10.0

TOPICS = ["caching", "queues", "indexes", "replication", "retries", "sharding", "tracing", "locks", "pools", "batching"]


def note(i: int, cards: int) -> str:
    """One file of *cards* cards: even files use the heading rule, odd ones Q:/A:, :: and C: cards."""
    lines = [f"# Deck {i:04d}", "", f"Practice notes, file {i}.", ""]
    for j in range(cards):
        topic = TOPICS[(i + j) % len(TOPICS)]
        if i % 2 == 0:
            lines += [f"## What trade-off does {topic} make? ({j})", "", f"- It spends memory or latency on {topic}.",
                      f"- File {i}, card {j}: measure before and after.", ""]
        elif j % 3 == 0:
            lines += [f"Q: When would you avoid {topic}? ({i}.{j})", f"A: When the cost of {topic} beats its gain.", ""]
        elif j % 3 == 1:
            lines += [f"Cost of {topic} ({i}.{j})::memory, latency or both", ""]
        else:
            lines += [f"C: Card {i}.{j}: [{topic}] is judged by its tail latency under load.", ""]
    return "\n".join(lines)


def make_folder(root: Path, files: int, cards: int, *, old: bool = True) -> None:
    stamp = time.time() - 86400
    for i in range(files):
        path = root / f"area-{i % 20:02d}" / f"note-{i:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note(i, cards), encoding="utf-8")
        if old:
            os.utime(path, (stamp, stamp))


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def best(fn, runs: int) -> float:
    return min(timed(fn)[0] for _ in range(runs))


def run_cli(db: Path, *args: str) -> float:
    script = Path(sys.executable).with_name("drill")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "drill"]
    start = time.perf_counter()
    subprocess.run([*command, "--db", str(db), *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--cards", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        notes = tmp_path / "notes"
        make_folder(notes, args.files, args.cards)

        store = Store(tmp_path / "drill.json")
        first, reports = timed(lambda: import_paths(store, [notes]))
        cards = sum(r.cards for r in reports)
        failed = [r for r in reports if r.error]
        assert not failed and cards == args.files * args.cards, (len(failed), cards)

        store_stat = os.stat(store.path)
        unchanged = best(lambda: sync(store), args.runs)
        after = os.stat(store.path)
        assert (after.st_ino, after.st_mtime_ns) == (store_stat.st_ino, store_stat.st_mtime_ns), "no-change sync wrote"

        edited = notes / "area-03" / "note-0003.md"

        def one_edit() -> None:
            edited.write_text(edited.read_text(encoding="utf-8") + "\nQ: One more?\nA: Yes.\n", encoding="utf-8")
            result = sync(store)
            assert len(result.outcomes) == 1, result.outcomes

        edit = best(one_edit, args.runs)
        store.close()

        racy_notes = tmp_path / "fresh"
        make_folder(racy_notes, args.files, args.cards, old=False)
        racy_store = Store(tmp_path / "fresh.json")
        import_paths(racy_store, [racy_notes])
        racy = best(lambda: sync(racy_store), args.runs)
        racy_store.close()

        cli_db = tmp_path / "cli.json"
        cli_import = run_cli(cli_db, "import", str(notes))
        cli_sync = min(run_cli(cli_db, "sync") for _ in range(3))

    ratio = first / unchanged
    print(f"folder: {args.files} files x {args.cards} cards = {cards} cards")
    print(f"first import        {first * 1000:9.1f} ms")
    print(f"no-change sync      {unchanged * 1000:9.1f} ms   {ratio:6.1f}x faster than the first import (target >= {TARGET:.0f}x)")
    print(f"one file edited     {edit * 1000:9.1f} ms")
    print(f"just-saved files    {racy * 1000:9.1f} ms   {first / racy:6.1f}x faster (content hashes, no parsing)")
    print(f"cli import / sync   {cli_import * 1000:9.1f} ms / {cli_sync * 1000:.1f} ms   (whole process, for information)")
    if ratio < TARGET:
        print(f"MISSED: no-change sync is only {ratio:.1f}x faster than the first import")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
