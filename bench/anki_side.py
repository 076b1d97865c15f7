"""Anki's side of ``bench/run.py --anki``: the same collection in Anki's own backend.

Run with a Python that has the ``anki`` package (``pip install '.[bench]'``).
It never imports drill: it reads drill's store files as plain JSON, so the
two sides hold the same cards, the same scheduling states and the same reviews.

    anki_side.py build COL DRILL_DB     # notes, decks, card + FSRS memory states, revlog
    anki_side.py open COL               # open + today's queue + first card's question
    anki_side.py decks COL              # the deck list with new / learn / due counts
    anki_side.py stats COL              # the statistics screen's data (whole history)
    anki_side.py grade COL N            # N grades in one process (prints the median)
    anki_side.py import COL NOTES_JSON  # batch add_notes of the notes, one deck per file

Every operation prints one JSON line on stdout with its own peak RSS
(``VmHWM``); ``run.py`` times the whole process from spawn to exit.

Decks: each drill deck becomes ``drill::<name>`` and ``drill`` is the current
deck, so Anki's queue spans every deck as ``drill review`` does.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from datetime import datetime
from statistics import median


def peak_rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _epoch(ts: str) -> float:
    return datetime.fromisoformat(ts).timestamp()


def _drill_cards(db: str) -> tuple[list[tuple[int, dict]], list[dict]]:
    with open(db, encoding="utf-8") as f:
        data = json.load(f)
    table = data.get("cards")
    if table is None:  # store schema 4: the cards are in the deck files drill.json's due index names
        table = {}
        for deck in data.get("due_index", {}).values():
            with open(os.path.join(db + ".decks", deck["file"]), encoding="utf-8") as f:
                table.update(json.load(f)["cards"])
    cards = sorted(((int(k), v) for k, v in table.items()), key=lambda kv: kv[0])
    return cards, list(data.get("decks", {}).values())


def build(col_path: str, db: str) -> dict:
    from anki.collection import AddNoteRequest, Collection

    t0 = time.perf_counter()
    cards, decks = _drill_cards(db)
    col = Collection(col_path)
    # Day numbers count from the collection's creation: date it four years back, so
    # three years of reviews and overdue cards all have positive day numbers.
    col.db.execute("update col set crt = ?", int(time.time()) - 4 * 365 * 86400)
    col.close()
    col = Collection(col_path)
    col.set_config("fsrs", True)
    parent = col.decks.id("drill")
    deck_ids = {d["name"]: col.decks.id(f"drill::{d['name']}") for d in decks}
    col.decks.select(parent)
    basic = col.models.by_name("Basic")
    requests = []
    for _, doc in cards:
        note = col.new_note(basic)
        note["Front"] = doc.get("prompt") or " › ".join(doc["path"])
        note["Back"] = doc["answer"]
        requests.append(AddNoteRequest(note=note, deck_id=deck_ids[doc["deck"]]))
    col.add_notes(requests)
    anki_ids = [cid for (cid,) in col.db.execute("select id from cards order by nid, ord")]
    id_map = {drill_id: anki_id for (drill_id, _), anki_id in zip(cards, anki_ids)}

    today = col.sched.today
    cutoff = col.sched.day_cutoff
    updates = []
    for (drill_id, doc), anki_id in zip(cards, anki_ids):
        state = doc.get("state")
        if not state:
            continue
        due_ts = _epoch(state["due"])
        last = _epoch(state["last_review"]) if state.get("last_review") else due_ts
        memory = json.dumps({"s": state.get("stability") or 0.1, "d": state.get("difficulty") or 5.0, "dr": 0.9,
                             "lrt": int(last)})
        reps, lapses = state.get("reps", 1), state.get("lapses", 0)
        if state.get("state") == 2:  # review
            due_day = today + math.floor((due_ts - (cutoff - 86400)) / 86400)
            ivl = max(1, round((due_ts - last) / 86400))
            updates.append((2, 2, due_day, ivl, 2500, reps, lapses, memory, anki_id))
        else:  # (re)learning: due is a timestamp
            kind = 3 if state.get("state") == 3 else 1
            updates.append((kind, 1, int(due_ts), 0, 2500, reps, lapses, memory, anki_id))
        if doc.get("suspended"):
            updates[-1] = updates[-1][:1] + (-1,) + updates[-1][2:]
    col.db.executemany(
        "update cards set type=?, queue=?, due=?, ivl=?, factor=?, reps=?, lapses=?, data=? where id=?", updates
    )

    rows = []
    used: set[int] = set()
    last_ivl: dict[int, int] = {}
    kinds = {"new": 0, "learn": 0, "review": 1, "relearn": 2}
    undone = set()
    with open(db + ".journal", "rb") as f:
        records = [json.loads(line) for line in f if line.strip()]
    for r in records:
        if r.get("t") == "undo":
            undone.add(r.get("review"))
    for r in records:
        if r.get("t") != "review" or r.get("id") in undone or r.get("card") not in id_map:
            continue
        rid = int(_epoch(r["ts"]) * 1000)
        while rid in used:
            rid += 1
        used.add(rid)
        cid = id_map[r["card"]]
        days = r.get("interval_days") or 0.0
        ivl = round(days) if days >= 1 else -max(60, int(days * 86400))
        rows.append((rid, cid, -1, r["rating"], ivl, last_ivl.get(cid, 0), 2500, min(r.get("ms", 0), 60000),
                     kinds.get(r.get("kind"), 1)))
        last_ivl[cid] = ivl
    col.db.executemany("insert into revlog values (?,?,?,?,?,?,?,?,?)", rows)
    col.close()
    return {"cards": len(anki_ids), "revlog": len(rows), "decks": len(deck_ids), "build_s": time.perf_counter() - t0}


def op_open(col_path: str) -> dict:
    from anki.collection import Collection

    col = Collection(col_path)
    card = col.sched.getCard()
    question = card.question() if card else ""
    counts = col.sched.counts()
    col.close(downgrade=False)
    return {"question": len(question), "counts": list(counts)}


def op_decks(col_path: str) -> dict:
    from anki.collection import Collection

    col = Collection(col_path)
    tree = col.sched.deck_due_tree()
    rows = 0
    stack = [tree]
    while stack:
        node = stack.pop()
        rows += 1
        _ = (node.name, node.new_count, node.learn_count, node.review_count)
        stack.extend(node.children)
    col.close(downgrade=False)
    return {"decks": rows}


def op_stats(col_path: str) -> dict:
    from anki.collection import Collection

    col = Collection(col_path)
    graphs = col._backend.graphs(search="deck:*", days=0)
    col.close(downgrade=False)
    return {"graphs_bytes": graphs.ByteSize()}


def op_grade(col_path: str, samples: int) -> dict:
    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer

    col = Collection(col_path)
    sched = col.sched
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        queued = sched.get_queued_cards()
        if not queued.cards:
            break
        top = queued.cards[0]
        from anki.cards import Card

        card = Card(col)
        card._load_from_backend_card(top.card)
        card.start_timer()
        sched.describe_next_states(top.states)  # the answer buttons' labels
        answer = sched.build_answer(card=card, states=top.states, rating=CardAnswer.GOOD)
        sched.answer_card(answer)
        times.append(time.perf_counter() - t)
    col.close(downgrade=False)
    if not times:
        raise SystemExit("no card to grade in the Anki collection")
    return {"grade_ms": median(times) * 1e3, "grade_samples": len(times)}


def op_import(col_path: str, notes_json: str) -> dict:
    from anki.collection import AddNoteRequest, Collection

    with open(notes_json, encoding="utf-8") as f:
        files = json.load(f)  # [{"deck": name, "notes": [[front, back], ...]}, ...]
    col = Collection(col_path)
    basic = col.models.by_name("Basic")
    requests = []
    for entry in files:
        deck_id = col.decks.id(entry["deck"])
        for front, back in entry["notes"]:
            note = col.new_note(basic)
            note["Front"] = front
            note["Back"] = back
            requests.append(AddNoteRequest(note=note, deck_id=deck_id))
    col.add_notes(requests)
    col.close(downgrade=False)
    return {"notes": len(requests)}


def main(argv: list[str]) -> int:
    op, col_path, *rest = argv
    if op == "build":
        out = build(col_path, rest[0])
    elif op == "open":
        out = op_open(col_path)
    elif op == "decks":
        out = op_decks(col_path)
    elif op == "stats":
        out = op_stats(col_path)
    elif op == "grade":
        out = op_grade(col_path, int(rest[0]))
    elif op == "import":
        out = op_import(col_path, rest[0])
    else:
        raise SystemExit(f"unknown operation {op!r}")
    out["rss_mb"] = peak_rss_mb()
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
