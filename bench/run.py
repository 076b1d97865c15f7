"""Benchmarks: drill at scale, every figure a ratio against a floor measured in the same run.

    python bench/run.py [--cards N] [--reviews M] [--runs R] [--json]
    python bench/run.py --scaling [--json]      # the store-size figures at 1k, 10k and 50k cards

Builds a throw-away store of N cards (default 10,000) and M journalled reviews
(default 100,000; see bench/storegen.py) and measures:

* grade_ratio       one durable grade as the review screen does it -- the four
                    outcomes (FSRS), ``session.grade`` (journal append + fsync +
                    apply), ``next_card`` and the next card's deck (its time
                    limit) -- against a bare ``write()+fsync()``
                    of a 200-byte line to an open file in the same directory.
                    Samples alternate between the two; medians.     target <= 3
* open_ratio        ``Store(path)`` + ``ReviewSession`` (today's due queue) +
                    ``next_card()``, against ``json.load`` of the store file
                    itself. Samples alternate; medians.              target <= 1.5
* first_card_ratio  ``python -m drill review`` on a pseudo-terminal, from spawn to
                    the first question on screen, against a bare Textual app
                    showing one Static (same Python, same terminal size). One
                    fresh process per sample; medians.               target <= 1.3
* import_ratio      ``import_paths`` of 1,000 Markdown files x 10 cards (YAML
                    frontmatter, headings) into an empty store, against
                    ``frontmatter.load`` of the same files.          target <= 2
* rss_ratio         peak RSS (``wait4`` rusage of each child) of the review app on
                    the store at its first question, against the bare app.
                                                                     target <= 1.5

``--json`` prints one object with those five keys, the raw medians (ms, MB) and
the targets. Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from storegen import write_notes  # noqa: E402

TARGETS = {
    "grade_ratio": 3.0,
    "open_ratio": 1.5,
    "first_card_ratio": 1.3,
    "import_ratio": 2.0,
    "rss_ratio": 1.5,
}

BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bare question 1: painted")

Bare().run()
"""

ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")
QUESTION = re.compile(rb"question \d+")
ROWS, COLS = 34, 110
SETTLE = 0.3


# ---------------------------------------------------------------------- grade
def measure_grade(db: Path, samples: int) -> dict:
    from drill.store.collection import Store
    from drill.study.schedule import GOOD, utcnow
    from drill.study.session import ReviewSession

    store = Store(db)
    session = ReviewSession(store, clock=utcnow, new_limit=samples)
    floor_file = os.open(db.with_name("fsync-floor.txt"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    line = b"x" * 199 + b"\n"
    grades, floors, appends = [], [], []
    card = session.next_card()
    try:
        for _ in range(samples):
            if card is None:
                break
            t = time.perf_counter()
            os.write(floor_file, line)
            os.fsync(floor_file)
            floors.append(time.perf_counter() - t)

            t = time.perf_counter()
            session.outcomes()  # the grade buttons' labels
            a = time.perf_counter()
            session.grade(GOOD)  # journal append + fsync + apply
            appends.append(time.perf_counter() - a)
            card = session.next_card()
            if card is not None:
                store.deck(card.deck)  # the review screen's time limit for the next card
            grades.append(time.perf_counter() - t)
    finally:
        os.close(floor_file)
        store.close(compact=False)
    if len(grades) < 10:
        raise SystemExit(f"only {len(grades)} cards to grade; build a bigger store")
    return {
        "grade_ms": median(grades) * 1e3,
        "grade_append_ms": median(appends) * 1e3,
        "fsync_ms": median(floors) * 1e3,
        "grade_samples": len(grades),
    }


# ---------------------------------------------------------------------- open
def measure_open(db: Path, runs: int) -> dict:
    from drill.store.collection import Store
    from drill.study.schedule import utcnow
    from drill.study.session import ReviewSession

    def open_queue() -> None:
        store = Store(db)
        session = ReviewSession(store, clock=utcnow)
        session.next_card()
        store.close(compact=False)

    def load() -> None:
        with open(db, "rb") as f:
            json.load(f)

    opens, loads = [], []
    open_queue()  # warm the page cache and imports alike
    load()
    for _ in range(runs):
        for fn, out in ((load, loads), (open_queue, opens)):
            gc.collect()
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    return {"open_ms": median(opens) * 1e3, "json_load_ms": median(loads) * 1e3}


# ---------------------------------------------------------------------- app start / RSS
def _peak_rss_mb(pid: int) -> float:
    """VmHWM: the peak RSS of the process's own address space. (wait4's ru_maxrss would
    count the parent's size at fork time, and this parent has built a big store.)"""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def _spawn_until(args: list[str], env: dict, pattern: re.Pattern, timeout: float = 60.0) -> tuple[float, float]:
    """Run *args* on a pseudo-terminal until *pattern* shows; (seconds, peak RSS in MB).

    The RSS is read SETTLE seconds after the pattern showed, the process still running."""
    master, slave = pty.openpty()
    import fcntl
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True, close_fds=True)
    os.close(slave)
    screen = b""
    seen = None
    deadline = start + timeout
    try:
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                break
            screen += chunk
            if pattern.search(ANSI.sub(b"", screen)):
                seen = time.perf_counter() - start
                break
        if seen is not None:
            settle = time.perf_counter() + SETTLE
            while time.perf_counter() < settle:  # keep draining the terminal meanwhile
                if select.select([master], [], [], 0.02)[0]:
                    os.read(master, 1 << 16)
            rss = _peak_rss_mb(proc.pid)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        os.close(master)
    if seen is None:
        text = ANSI.sub(b"", screen).decode("utf-8", "replace")
        raise SystemExit(f"{args}: never showed {pattern.pattern!r}; screen: {text[-1500:]!r}")
    return seen, rss


def measure_app(db: Path, runs: int) -> dict:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLS), "LINES": str(ROWS), "DRILL_DB": str(db)}
    env.pop("TEXTUAL", None)
    # Cached bytecode, as an installed drill has (pip compiles it): the warm-up runs
    # write it for drill and textual alike, under one throw-away prefix.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(db.parent.parent / "pycache")
    drill = [sys.executable, "-m", "drill", "--db", str(db), "review"]
    bare = [sys.executable, "-c", BARE_APP]
    _spawn_until(bare, env, QUESTION)  # warm the page cache for both
    _spawn_until(drill, env, QUESTION)
    drill_t, bare_t, drill_rss, bare_rss = [], [], [], []
    for _ in range(runs):
        t, rss = _spawn_until(bare, env, QUESTION)
        bare_t.append(t)
        bare_rss.append(rss)
        t, rss = _spawn_until(drill, env, QUESTION)
        drill_t.append(t)
        drill_rss.append(rss)
    return {
        "first_card_ms": median(drill_t) * 1e3,
        "bare_first_paint_ms": median(bare_t) * 1e3,
        "rss_mb": median(drill_rss),
        "bare_rss_mb": median(bare_rss),
    }


# ---------------------------------------------------------------------- import
def measure_import(work: Path, runs: int, files: int = 1000, cards: int = 10) -> dict:
    import frontmatter

    from drill.library.importer import import_paths
    from drill.store.collection import Store

    notes = work / "notes"
    paths = write_notes(notes, files, cards)

    def baseline() -> None:
        for path in paths:
            frontmatter.load(path)

    def run_import(i: int) -> None:
        store = Store(work / f"import-{i}.json")
        reports = import_paths(store, [notes])
        store.close()
        bad = [r for r in reports if r.error]
        if bad or sum(r.added for r in reports) != files * cards:
            raise SystemExit(f"import went wrong: {bad[:3]}")

    imports, loads = [], []
    for i in range(runs):
        gc.collect()
        t = time.perf_counter()
        baseline()
        loads.append(time.perf_counter() - t)
        gc.collect()
        t = time.perf_counter()
        run_import(i)
        imports.append(time.perf_counter() - t)
    return {"import_ms": median(imports) * 1e3, "frontmatter_ms": median(loads) * 1e3}


# ---------------------------------------------------------------------- driver
def ratios(raw: dict) -> dict:
    out = {}
    if "grade_ms" in raw:
        out["grade_ratio"] = raw["grade_ms"] / raw["fsync_ms"]
    if "open_ms" in raw:
        out["open_ratio"] = raw["open_ms"] / raw["json_load_ms"]
    if "first_card_ms" in raw:
        out["first_card_ratio"] = raw["first_card_ms"] / raw["bare_first_paint_ms"]
        out["rss_ratio"] = raw["rss_mb"] / raw["bare_rss_mb"]
    if "import_ms" in raw:
        out["import_ratio"] = raw["import_ms"] / raw["frontmatter_ms"]
    return {k: round(v, 3) for k, v in out.items()}


def run_size(work: Path, cards: int, reviews: int, runs: int, *, with_import: bool, log) -> dict:
    db = work / f"store-{cards}" / "drill.json"
    db.parent.mkdir(parents=True)
    t = time.perf_counter()
    # In a child process, so that this one stays small and its GC has nothing extra to walk.
    subprocess.run([sys.executable, str(ROOT / "bench" / "storegen.py"), str(db), str(cards), str(reviews)], check=True)
    log(f"built {cards:,} cards / {reviews:,} reviews in {time.perf_counter() - t:.1f}s "
        f"(store {db.stat().st_size / 1e6:.1f} MB, journal {Path(str(db) + '.journal').stat().st_size / 1e6:.1f} MB)")
    raw: dict = {"cards": cards, "reviews": reviews, "store_mb": round(db.stat().st_size / 1e6, 2)}
    raw.update(measure_open(db, max(runs, 5)))
    log(f"  open+queue {raw['open_ms']:.1f} ms vs json.load {raw['json_load_ms']:.1f} ms")
    raw.update(measure_app(db, runs))
    log(f"  first card {raw['first_card_ms']:.0f} ms vs bare {raw['bare_first_paint_ms']:.0f} ms; "
        f"RSS {raw['rss_mb']:.1f} MB vs {raw['bare_rss_mb']:.1f} MB")
    grading = db.with_name("grading.json")  # grade on a copy: the app measurements see the store as built
    shutil.copy(db, grading)
    shutil.copy(str(db) + ".journal", str(grading) + ".journal")
    raw.update(measure_grade(grading, 200))
    log(f"  grade {raw['grade_ms']:.3f} ms (append {raw['grade_append_ms']:.3f}) vs write+fsync {raw['fsync_ms']:.3f} ms")
    if with_import:
        raw.update(measure_import(work, runs))
        log(f"  import {raw['import_ms']:.0f} ms vs frontmatter.load {raw['frontmatter_ms']:.0f} ms")
    return {**ratios(raw), "raw": {k: round(v, 3) if isinstance(v, float) else v for k, v in raw.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=None, help="default: 10 per card")
    parser.add_argument("--runs", type=int, default=5, help="samples per median for the slow measurements")
    parser.add_argument("--scaling", action="store_true", help="store-size figures at 1k, 10k and 50k cards")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr if args.json else sys.stdout, flush=True)

    work = Path(tempfile.mkdtemp(prefix="drill-bench-"))
    try:
        if args.scaling:
            sizes = {}
            for cards in (1_000, 10_000, 50_000):
                sizes[str(cards)] = run_size(work, cards, cards * 10, args.runs, with_import=False, log=log)
            result = {"scaling": sizes, "targets": TARGETS}
            missed = [f"{n}: {k}" for n, r in sizes.items() for k, v in r.items() if k in TARGETS and v > TARGETS[k]]
        else:
            reviews = args.reviews if args.reviews is not None else args.cards * 10
            result = run_size(work, args.cards, reviews, args.runs, with_import=True, log=log)
            result["targets"] = TARGETS
            missed = [k for k in TARGETS if k in result and result[k] > TARGETS[k]]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps(result, indent=2))
    elif args.scaling:
        keys = [k for k in TARGETS if k != "import_ratio"]
        log("\ncards    " + "  ".join(f"{k:>16}" for k in keys))
        for n, r in result["scaling"].items():
            log(f"{int(n):>7,}  " + "  ".join(f"{r[k]:>16.2f}" for k in keys))
    else:
        log("")
        for key, target in TARGETS.items():
            mark = "ok " if result[key] <= target else "MISSED"
            log(f"{key:<18} {result[key]:>6.2f}  (target <= {target})  {mark}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
