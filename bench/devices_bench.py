"""Benchmark: merging another device's history (drill.devices).

    python bench/devices_bench.py [--records 100000] [--cards 10000] [--json]

Builds, in a temp dir, two stores that imported the same 10,000 cards, and the
"desktop"'s device file in a shared folder holding 100,000 records in the exact
format grading writes (each card's reviews chained by the real FSRS scheduler,
spread over a year). Then measures, best of three, each on a fresh copy:

* raw        -- reading that file and ``json.loads`` of every line (what any full
                parse of it costs): the baseline
* merge      -- ``drill.devices.sync`` on the "laptop" joining the folder: read the
                file, replay every card's history, append the records and one merged
                record per card to the local journal (one fsync), save the offsets
* increment  -- after that, 100 more records from the desktop (100 cards): what a
                sync costs in everyday use (the fast path: continued from each card)

Reports ``merge_vs_raw`` and ``increment_vs_raw`` (ratios in one run, so a slow
machine slows both sides) and ms per 1,000 records.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.storegen import parsed_decks  # noqa: E402
from drill.devices import sync as devices  # noqa: E402
from drill.store import history  # noqa: E402
from drill.store.collection import Store  # noqa: E402
from drill.store.filelock import json_bytes  # noqa: E402
from drill.study.schedule import Scheduler  # noqa: E402
from drill.study.session import review_record  # noqa: E402

DESKTOP = "de5k70000001"


def build(root: Path, cards: int, records: int, seed: int = 11) -> tuple[Path, Path]:
    """(the laptop's store, the shared folder with the desktop's file)."""
    laptop = Store(root / "laptop" / "drill.json")
    with laptop.writing():
        for d, parsed in enumerate(parsed_decks(cards)):
            laptop.apply_import(parsed, f"/notes/deck-{d:04d}.md")
    stored = laptop.cards()
    laptop.close()
    rng = random.Random(seed)
    scheduler = Scheduler()
    shared = root / "shared"
    shared.mkdir()
    per_card = max(1, records // len(stored))
    start = datetime(2025, 12, 1, 8, tzinfo=timezone.utc)
    lines = [json_bytes({"t": history.DEVICE, "id": "d0", "ts": start.isoformat(), "name": "desktop"})]
    made = 0
    for card in stored:
        state, when = None, start + timedelta(minutes=rng.randint(0, 60 * 24 * 30))
        for _ in range(per_card):
            if made >= records:
                break
            rating = rng.choices((1, 2, 3, 4), (8, 12, 70, 10))[0]
            outcome = scheduler.outcome(card.id, state, rating, when)
            current = card.__class__(**{**card.__dict__, "state": state})
            record = review_record(current, outcome, when, rng.randint(3000, 60000), False)
            record["card"] = 7_000_000 + card.id  # the desktop's own numbering: never ours
            lines.append(json_bytes(record))
            state = outcome.state
            when = max(when + timedelta(minutes=10), datetime.fromisoformat(state["due"]))
            made += 1
    (shared / f"{DESKTOP}.journal").write_bytes(b"\n".join(lines) + b"\n")
    return root / "laptop", shared


def joined(laptop_dir: Path, shared: Path, work: Path) -> Store:
    """A fresh copy of the laptop, set up on a fresh copy of the folder (not synced yet)."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(laptop_dir, work / "laptop")
    shutil.copytree(shared, work / "shared")
    store = Store(work / "laptop" / "drill.json")
    with store.writing():
        store.set_extra(history.CONFIG_KEY, {"id": "1a9709000001", "name": "laptop", "dir": str(work / "shared")})
    return store


def raw(path: Path) -> float:
    t = time.perf_counter()
    with open(path, "rb") as f:
        for line in f:
            json.loads(line)
    return time.perf_counter() - t


def more_records(shared: Path, count: int) -> None:
    """*count* more reviews on the desktop, each of another card, a day after its last."""
    path = shared / f"{DESKTOP}.journal"
    last: dict[str, dict] = {}
    with open(path, "rb") as f:
        for line in f:
            record = json.loads(line)
            if record.get("t") == "review":
                last[record["key"]] = record
    scheduler = Scheduler()
    out = []
    for record in list(last.values())[:count]:
        when = datetime.fromisoformat(record["state"]["due"]) + timedelta(days=1)
        outcome = scheduler.outcome(0, record["state"], 3, when)
        out.append(json_bytes({**record, "id": record["id"] + "n", "ts": when.isoformat(), "rating": 3,
                               "kind": "review", "state": outcome.state,
                               "elapsed_days": round((when - datetime.fromisoformat(record["state"]["last_review"]))
                                                     .total_seconds() / 86400, 4)}))
    with open(path, "ab") as f:
        f.write(b"\n".join(out) + b"\n")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="drill-devices-bench-") as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        laptop_dir, shared = build(root / "built", args.cards, args.records)
        built = time.perf_counter() - t
        file = shared / f"{DESKTOP}.journal"
        raws, merges, increments = [], [], []
        report = None
        for n in range(3):
            raws.append(raw(file))
            store = joined(laptop_dir, shared, root / f"run{n}")
            t = time.perf_counter()
            report = devices.sync(store)
            merges.append(time.perf_counter() - t)
            more_records(root / f"run{n}" / "shared", 100)
            t = time.perf_counter()
            again = devices.sync(store)
            increments.append(time.perf_counter() - t)
            assert again.imported == 100 and again.cards == 100, again
            store.close(compact=False)
        size = file.stat().st_size
    best_raw, best_merge, best_inc = min(raws), min(merges), min(increments)
    result = {
        "records": args.records,
        "cards": args.cards,
        "file_mb": round(size / (1 << 20), 1),
        "raw_ms": round(best_raw * 1000, 1),
        "merge_ms": round(best_merge * 1000, 1),
        "merge_ms_per_1000_records": round(best_merge * 1000 / (args.records / 1000), 2),
        "merge_vs_raw": round(best_merge / best_raw, 2),
        "increment_100_ms": round(best_inc * 1000, 1),
        "increment_vs_raw": round(best_inc / best_raw, 3),
        "imported": report.imported if report else 0,
        "cards_replayed": report.cards if report else 0,
        "build_s": round(built, 1),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>28}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
