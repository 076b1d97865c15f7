"""Compaction in a child process: ``python -m drill.store.compaction STORE``.

The app starts it when the journal tail passes ``COMPACT_AFTER_BYTES``
(``Store.needs_compaction``), so folding a long session's tail into the store
and the stats roll-up never runs on the UI thread nor in a grade's path. The
child takes the store's write lock like any writer (it waits its turn; a grade
made meanwhile is appended after it or folded by it, never lost), and exits
quietly if the store is busy: the next trigger, or closing the app, folds it.
"""

from __future__ import annotations

import sys

from drill.store.collection import Store, StoreCorrupt
from drill.store.filelock import StoreBusy


def main(argv: list[str]) -> int:
    try:
        store = Store(argv[0])
    except (StoreCorrupt, StoreBusy, OSError):
        return 1
    try:
        return 0 if store.compact(wait=5.0) else 1
    finally:
        store.close(compact=False)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
