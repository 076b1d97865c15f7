"""``drill sources``: the registered folders; ``--remove DIR`` forgets one."""

from __future__ import annotations

import argparse
import os

from drill.commands.common import UsageError
from drill.parse.textsafe import shown
from drill.commands.output import print_json
from drill.parse.wording import count

NAME = "sources"
HELP = "list registered folders (drill import DIR registers one)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--remove", metavar="DIR", help="forget a registered folder (its decks stay)")
    parser.add_argument("--archive", action="store_true", help="with --remove: also archive its decks' cards")


def run(store, args: argparse.Namespace) -> int:
    from drill.library.sources import registered, resolve_dir, unregister

    if args.archive and not args.remove:
        raise UsageError("--archive goes with --remove DIR")
    if args.remove:
        root = resolve_dir(args.remove)
        done = unregister(store, root, archive=args.archive)
        if done is None:
            known = ", ".join(shown(r) for r in registered(store)) or "none yet"
            raise UsageError(f"not a registered folder: {shown(args.remove)} (registered: {known})")
        files, archived = done
        what = f"{count(archived, 'card')} archived" if args.archive else "its decks stay"
        print(shown(f"forgot {root} ({files} files); {what}"))
        return 0

    rows = []
    folders = store.source_folders()
    for root in registered(store):
        files = folders[root].get("files", {})
        decks = sorted({e["deck"] for e in files.values() if e.get("deck")}, key=str.casefold)
        wanted = {e.get("source") for e in files.values()}
        cards = sum(1 for c in store.cards(decks) if c.source in wanted)
        rows.append({"path": root, "files": len(files), "decks": len(decks), "cards": cards, "exists": os.path.isdir(root)})
    if args.json:
        print_json({"sources": rows})
        return 0
    if not rows:
        print("no folders registered yet: `drill import DIR` registers one")
        return 0
    width = max(len(shown(r["path"])) for r in rows)
    print(f"{'folder':<{width}}  {'files':>5}  {'decks':>5}  {'cards':>5}")
    for r in rows:
        gone = "  (not found)" if not r["exists"] else ""
        print(shown(f"{shown(r['path']):<{width}}  {r['files']:>5}  {r['decks']:>5}  {r['cards']:>5}{gone}"))
    return 0
