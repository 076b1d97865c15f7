"""Soak: the kill -9 tests of tests/test_faults.py, for longer and on a bigger store.

    python bench/soak.py [--kills N] [--cards N] [--seed S]

Alternates three children on one store -- a grading loop, an import loop, and both
at once -- killing them with SIGKILL at random moments, N times in all. After each
kill the store must open, hold every acknowledged grade and import, and have no
duplicated card. Exit status 1 on the first violation.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fault_helpers import check_store, read_acks, seed_store, start, temp_files  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--cards", type=int, default=50, help="cards per seed deck (3 decks)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="drill-soak-"))
    db, folder = work / "drill.json", work / "notes"
    folder.mkdir()
    seed_store(db, cards=args.cards)
    grades: set[str] = set()
    imports: set[int] = set()
    started = time.monotonic()
    for n in range(args.kills):
        mode = n % 3
        procs = []
        if mode in (0, 2):
            procs.append(("grade", start("grade", str(db))))
        if mode in (1, 2):
            procs.append(("import", start("import", str(db), str(folder))))
        time.sleep(rng.uniform(0.0, 0.3))
        for _, proc in procs:
            proc.kill()
        for kind, proc in procs:
            acks, _ = read_acks(proc)
            if kind == "grade":
                grades |= {a.split()[0] for a in acks}
            else:
                imports |= {int(a) for a in acks}
        try:
            store = check_store(db, grades)
            names = {d.name for d in store.decks()}
            missing = [i for i in imports if f"Import deck {i:03d}" not in names]
            assert not missing, f"acknowledged imports lost: {missing}"
            store.close(compact=False)
            assert len(temp_files(db)) <= 2
        except AssertionError as exc:
            print(f"kill {n}: {exc} (store kept at {work})")
            return 1
        if n % 20 == 19:
            print(f"{n + 1} kills, {len(grades)} grades and {len(imports)} imports acknowledged, all there "
                  f"({time.monotonic() - started:.0f}s)", flush=True)
    print(f"ok: {args.kills} kills, {len(grades)} grades, {len(imports)} imports, nothing lost")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
