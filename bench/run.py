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

With ``--anki`` (Anki from the ``[bench]`` extra, or ``--anki-python`` naming a
Python that has it), the same collection is rebuilt in Anki's own backend in the
same run (bench/anki_side.py: ``add_notes`` with the Basic note type, one deck per
drill deck, card and FSRS memory states, the review log through
``col.db.executemany``, ``fsrs`` on) and each operation is timed as a whole fresh
process on both sides, alternating, medians:

* open_vs_anki      open + today's queue + the first card's question
* decks_vs_anki     ``drill decks`` vs Anki's deck tree with its counts
* stats_vs_anki     ``drill stats`` vs Anki's statistics (whole history)
* rss_vs_anki       peak RSS of the open process, drill vs Anki
* grade_vs_anki     one grade in a long-running process (median of 200 each)
* import_vs_anki    ``drill import`` of 1,000 files x 10 cards vs Anki's batch
                    ``add_notes`` of the same 10,000 notes into 1,000 decks
* stats_rss_mb      peak RSS of ``drill stats`` (an absolute ceiling, not a ratio)

``--json`` prints one object with the ratios, the raw medians (ms, MB) and
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

from storegen import note_fields, write_notes  # noqa: E402

TARGETS = {
    "grade_ratio": 2.5,
    "open_ratio": 1.5,
    "first_card_ratio": 1.3,
    "import_ratio": 2.0,
    "rss_ratio": 1.3,
}
ANKI_TARGETS = {
    "open_vs_anki": 0.5,
    "decks_vs_anki": 0.5,
    "stats_vs_anki": 0.5,
    "rss_vs_anki": 0.5,
    "import_vs_anki": 1.0,
    "stats_rss_mb": 100.0,
}


def targets_for(cards: int, anki: bool) -> dict:
    """The issue's targets; a bigger store is allowed a little more start-up time."""
    out = dict(TARGETS)
    if cards >= 100_000:
        out["first_card_ratio"] = 1.5
        out.pop("rss_ratio")  # app memory has a target at 10k cards only
    if anki:
        out.update(ANKI_TARGETS)
    return out

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


# ---------------------------------------------------------------------- side by side with Anki
def _timed(args: list[str], env: dict | None = None) -> tuple[float, dict]:
    """Run one fresh process to its exit; (seconds, its JSON line)."""
    t = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, env=env, check=False)
    elapsed = time.perf_counter() - t
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.decode(errors='replace')[-2000:]}")
    return elapsed, json.loads(proc.stdout.decode().strip().splitlines()[-1])


def anki_python(requested: str | None) -> str:
    candidate = requested or sys.executable
    probe = subprocess.run([candidate, "-c", "import anki"], capture_output=True)
    if probe.returncode:
        raise SystemExit(f"{candidate} cannot import anki: `pip install '.[bench]'` or pass --anki-python")
    return candidate


def measure_anki(db: Path, work: Path, runs: int, py: str, log, *, with_import: bool) -> dict:
    col = work / "anki" / "collection.anki2"
    col.parent.mkdir(parents=True, exist_ok=True)
    anki = [py, str(ROOT / "bench" / "anki_side.py")]
    drill = [sys.executable, str(ROOT / "bench" / "drill_side.py")]
    env = {**os.environ}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    t, built = _timed([*anki, "build", str(col), str(db)], env)
    if built["cards"] == 0 or built["revlog"] == 0:
        raise SystemExit(f"the Anki side built an empty collection ({built}): does anki_side.py read this store layout?")
    log(f"  anki: built {built['cards']:,} cards / {built['revlog']:,} revlog rows in {t:.1f}s "
        f"(collection {col.stat().st_size / 1e6:.1f} MB)")
    ops = {
        "open": ([*drill, "open", str(db)], [*anki, "open", str(col)]),
        "decks": ([*drill, "cli", str(db), "decks"], [*anki, "decks", str(col)]),
        "stats": ([*drill, "cli", str(db), "stats"], [*anki, "stats", str(col)]),
    }
    raw: dict = {}
    for name, (d_args, a_args) in ops.items():
        _timed(d_args, env)  # warm the page cache and bytecode on both sides
        _timed(a_args, env)
        d_t, a_t, d_rss, a_rss = [], [], [], []
        for _ in range(runs):
            t, out = _timed(d_args, env)
            d_t.append(t)
            d_rss.append(out["rss_mb"])
            t, out = _timed(a_args, env)
            a_t.append(t)
            a_rss.append(out["rss_mb"])
        raw[f"drill_{name}_ms"] = median(d_t) * 1e3
        raw[f"anki_{name}_ms"] = median(a_t) * 1e3
        raw[f"drill_{name}_rss_mb"] = median(d_rss)
        raw[f"anki_{name}_rss_mb"] = median(a_rss)
        log(f"  {name:<6} drill {raw[f'drill_{name}_ms']:8.0f} ms {raw[f'drill_{name}_rss_mb']:6.1f} MB   "
            f"anki {raw[f'anki_{name}_ms']:8.0f} ms {raw[f'anki_{name}_rss_mb']:6.1f} MB")
    grading = work / "anki" / "grading.anki2"
    shutil.copy(col, grading)
    _, out = _timed([*anki, "grade", str(grading), "200"], env)
    raw["anki_grade_ms"] = out["grade_ms"]
    log(f"  grade  anki {raw['anki_grade_ms']:.3f} ms ({out['grade_samples']} samples)")
    if with_import:
        notes = work / "anki-notes"
        if not notes.exists():
            write_notes(notes, 1000, 10)
        notes_json = work / "anki-notes.json"
        notes_json.write_text(json.dumps([note_fields(i, 10) for i in range(1000)]), encoding="utf-8")
        d_t, a_t = [], []
        for i in range(runs):
            t, _ = _timed([*drill, "cli", str(work / f"anki-import-{i}" / "drill.json"), "import", str(notes)], env)
            d_t.append(t)
            t, _ = _timed([*anki, "import", str(work / f"anki-import-{i}.anki2"), str(notes_json)], env)
            a_t.append(t)
        raw["drill_import_process_ms"] = median(d_t) * 1e3
        raw["anki_import_ms"] = median(a_t) * 1e3
        log(f"  import drill {raw['drill_import_process_ms']:.0f} ms vs anki add_notes {raw['anki_import_ms']:.0f} ms")
    return raw


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
    if "anki_open_ms" in raw:
        for name in ("open", "decks", "stats"):
            out[f"{name}_vs_anki"] = raw[f"drill_{name}_ms"] / raw[f"anki_{name}_ms"]
        out["rss_vs_anki"] = raw["drill_open_rss_mb"] / raw["anki_open_rss_mb"]
        out["stats_rss_mb"] = raw["drill_stats_rss_mb"]
    if "anki_grade_ms" in raw and "grade_ms" in raw:
        out["grade_vs_anki"] = raw["grade_ms"] / raw["anki_grade_ms"]
    if "anki_import_ms" in raw:
        out["import_vs_anki"] = raw["drill_import_process_ms"] / raw["anki_import_ms"]
    return {k: round(v, 3) for k, v in out.items()}


def run_size(work: Path, cards: int, reviews: int, runs: int, *, with_import: bool, log,
             anki: str | None = None, app: bool = True) -> dict:
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
    if app:
        raw.update(measure_app(db, runs))
        log(f"  first card {raw['first_card_ms']:.0f} ms vs bare {raw['bare_first_paint_ms']:.0f} ms; "
            f"RSS {raw['rss_mb']:.1f} MB vs {raw['bare_rss_mb']:.1f} MB")
    if anki:
        raw.update(measure_anki(db, work / f"side-{cards}", runs, anki, log, with_import=with_import))
    grading = db.with_name("grading.json")  # grade on a copy: the app measurements see the store as built
    shutil.copy(db, grading)
    shutil.copy(str(db) + ".journal", str(grading) + ".journal")
    shutil.copytree(str(db) + ".decks", str(grading) + ".decks")  # the cards (store schema 4)
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
    parser.add_argument("--scaling", action="store_true", help="store-size figures at 1k, 10k, 50k and 100k cards")
    parser.add_argument("--anki", action="store_true", help="also rebuild the collection in Anki and compare")
    parser.add_argument("--anki-python", metavar="PYTHON", help="a Python with the anki package (default: this one)")
    parser.add_argument("--no-app", action="store_true", help="skip the app start-up measurements (pty)")
    parser.add_argument("--no-import", action="store_true", help="skip the import measurements")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr if args.json else sys.stdout, flush=True)

    anki = anki_python(args.anki_python) if args.anki else None
    work = Path(tempfile.mkdtemp(prefix="drill-bench-"))
    try:
        if args.scaling:
            sizes = {}
            missed = []
            for cards in (1_000, 10_000, 50_000, 100_000):
                sizes[str(cards)] = run_size(work, cards, cards * 10, args.runs, with_import=False, log=log,
                                             anki=anki, app=not args.no_app)
                targets = targets_for(cards, bool(anki))
                missed += [f"{cards}: {k}" for k, v in sizes[str(cards)].items() if k in targets and v > targets[k]]
            result = {"scaling": sizes, "targets": targets_for(10_000, bool(anki))}
        else:
            reviews = args.reviews if args.reviews is not None else args.cards * 10
            result = run_size(work, args.cards, reviews, args.runs, with_import=not args.no_import, log=log,
                              anki=anki, app=not args.no_app)
            result["targets"] = targets = targets_for(args.cards, bool(anki))
            missed = [k for k in targets if k in result and result[k] > targets[k]]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps(result, indent=2))
    elif args.scaling:
        keys = [k for k in result["targets"] if "import" not in k and any(k in r for r in result["scaling"].values())]
        log("\ncards    " + "  ".join(f"{k:>16}" for k in keys))
        for n, r in result["scaling"].items():
            log(f"{int(n):>7,}  " + "  ".join(f"{r[k]:>16.2f}" if k in r else f"{'-':>16}" for k in keys))
    else:
        log("")
        for key, target in result["targets"].items():
            if key not in result:
                continue
            mark = "ok " if result[key] <= target else "MISSED"
            log(f"{key:<18} {result[key]:>7.2f}  (target <= {target})  {mark}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
