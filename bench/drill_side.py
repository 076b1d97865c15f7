"""drill's side of ``bench/run.py --anki``: one operation per fresh process.

    drill_side.py open DB          # Store + today's queue (ReviewSession) + first card's question
    drill_side.py cli DB ARGS...   # ``drill --db DB ARGS...`` through the real entry point

Prints one JSON line with the process's peak RSS (``VmHWM``); ``run.py`` times
the whole process from spawn to exit, as for Anki's side (bench/anki_side.py).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def peak_rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def op_open(db: str) -> dict:
    from drill.store.collection import Store
    from drill.study.schedule import utcnow
    from drill.study.session import ReviewSession

    store = Store(db)
    session = ReviewSession(store, clock=utcnow)
    card = session.next_card()
    question = card.question if card else ""
    store.close(compact=False)
    return {"question": len(question)}


def op_cli(db: str, args: list[str]) -> dict:
    from drill.cli import main

    out = sys.stdout
    with open(os.devnull, "w") as sink:
        sys.stdout = sink
        try:
            status = main(["--db", db, *args])
        finally:
            sys.stdout = out
    if status:
        raise SystemExit(f"drill {' '.join(args)} exited {status}")
    return {}


def main(argv: list[str]) -> int:
    op, db, *rest = argv
    out = op_open(db) if op == "open" else op_cli(db, rest)
    out["rss_mb"] = peak_rss_mb()
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
