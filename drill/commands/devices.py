"""``drill devices``: share review history with your other devices through a folder.

``drill devices setup DIR`` (a folder inside your notes repository, or a synced
folder), ``drill devices name NAME``, ``drill devices [--json]`` lists the
devices that wrote there, ``drill devices status`` says what is not merged yet.
The merge itself runs on open, in the app when the folder changes, and on
``drill sync``.
"""

from __future__ import annotations

import argparse
import sys

from drill.commands.common import UsageError
from drill.commands.output import print_json
from drill.parse.textsafe import shown
from drill.parse.wording import count

NAME = "devices"
HELP = "share review history between devices through a git or synced folder"
READ_ONLY = True  # listing writes nothing; setup and name write atomically themselves

ACTIONS = ("setup", "name", "status")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=ACTIONS, help="setup DIR, name NAME, or status (omit to list)")
    parser.add_argument("value", nargs="?", help="the folder (setup) or the device's name (name)")
    parser.add_argument("--name", dest="device_name", metavar="NAME",
                        help="setup: this device's name (default: host name)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(store, args: argparse.Namespace) -> int:
    from drill.devices import sync as devices

    if args.action == "setup":
        if not args.value:
            raise UsageError("drill devices setup DIR: which folder? (e.g. notes/.drill inside your notes repository)")
        try:
            report = devices.setup(store, args.value, args.device_name)
        except OSError as exc:
            raise UsageError(f"{args.value}: cannot use it as the history folder: {exc.strerror or exc}") from None
        cfg = devices.config(store)
        if args.json:
            print_json({"device": cfg, "sync": _report_json(report)})
            return 0
        print(shown(f"this device: {cfg['name']} ({cfg['id']}), history in {cfg['dir']}"))
        print(shown(report.line()))
        return 0
    if args.action == "name":
        if not args.value:
            raise UsageError("drill devices name NAME: which name?")
        try:
            name = devices.rename(store, args.value)
        except devices.NotSetUp as exc:
            raise UsageError(str(exc)) from None
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        print(shown(f"this device is now called {name}"))
        return 0
    if args.value:
        raise UsageError(f"drill devices {args.action or ''}: unexpected {args.value!r}".replace("  ", " "))
    try:
        info = devices.status(store)
    except devices.NotSetUp as exc:
        if args.json:
            print_json({"device": None, "devices": []})
            return 0
        print(shown(str(exc)))
        return 0
    if args.action == "status":
        return _print_status(info, args.json)
    return _print_devices(info, args.json)


def _device_rows(info: dict) -> list[dict]:
    files: dict[str, list] = {}
    for f in info["files"]:
        files.setdefault(f.device, []).append(f)
    others = sorted((set(files) | set(info["devices"])) - {info["device"]},
                    key=lambda d: ((info["devices"].get(d, {}).get("name") or d).casefold(), d))
    ids = [info["device"], *others]
    rows = []
    for dev in ids:
        meta = info["devices"].get(dev, {})
        own = [f for f in files.get(dev, []) if not f.copy]
        copies = [f for f in files.get(dev, []) if f.copy]
        main = own[0] if own else None
        mine = dev == info["device"]
        rows.append({
            "id": dev,
            "name": info["name"] if mine else meta.get("name", ""),
            "this_device": mine,
            "last_review": meta.get("last_review"),
            "reviews": meta.get("reviews", 0),
            "file": main.name if main else None,
            "size": main.size if main else 0,
            # this device writes its file, it does not read it: how much of it others can read
            "read": (main.size if mine else main.read) if main else 0,
            "unread_records": sum(f.unread_lines for f in files.get(dev, [])),
            "conflict_copies": [f.name for f in copies],
            **({"not_in_folder": info["not_in_folder"]} if mine else {}),
        })
    return rows


def _print_devices(info: dict, as_json: bool) -> int:
    rows = _device_rows(info)
    if as_json:
        print_json({"device": info["device"], "folder": info["folder"], "devices": rows})
        return 0
    print(shown(f"history folder: {info['folder']}" + ("" if info["folder_found"] else " (not found)")))
    width = max([4] + [len(r["name"] or r["id"]) for r in rows])
    width = min(width, 24)
    print(f"  {'name':<{width}}  {'id':<12}  {'last review':<16}  {'reviews':>7}  read")
    for r in rows:
        name = (r["name"] or r["id"])[:width]
        last = (r["last_review"] or "—")[:16].replace("T", " ")
        if not r["file"]:
            read = "no file yet"
        elif r["this_device"]:
            read = f"writes {_size(r['size'])}"
            if r["not_in_folder"]:
                read += f", {count(r['not_in_folder'], 'record')} not there yet"
        else:
            read = f"{_size(r['read'])} of {_size(r['size'])}"
        mark = "*" if r["this_device"] else " "
        print(shown(f"{mark} {name:<{width}}  {r['id']:<12}  {last:<16}  {r['reviews']:>7}  {read}"))
        for copy in r["conflict_copies"]:
            print(shown(f"    conflict copy: {copy} (merged by record id)"))
    print("* this device")
    return 0


def _print_status(info: dict, as_json: bool) -> int:
    waiting = [f for f in info["files"] if f.unread_lines or f.torn]
    if as_json:
        print_json({
            "device": info["device"],
            "folder": info["folder"],
            "folder_found": info["folder_found"],
            "unread": [{"file": f.name, "device": f.device, "records": f.unread_lines, "partial_line_bytes": f.torn}
                       for f in waiting],
            "pending_cards": info["pending_cards"],
            "own_records_since_sync": info["own_since_sync"],
            "own_records_not_in_folder": info["not_in_folder"],
            "mock_interviews_not_in_folder": info["mocks_not_in_folder"],
            "own_file_records_from_a_copy": info["foreign"],
        })
        return 0
    if not info["folder_found"]:
        print(shown(f"history folder {info['folder']} not found (an unmounted disk, or a repository not cloned yet)"))
    own_file = f"{info['device']}.journal"
    for f in waiting:
        parts = []
        if f.unread_lines:
            made = " made by a copy of this store elsewhere" if f.name == own_file else ""
            parts.append(f"{count(f.unread_lines, 'record')}{made} not merged yet")
        if f.torn and f.name == own_file:
            parts.append(f"a torn last line ({f.torn} bytes) this device left; `drill sync` cuts it")
        elif f.torn:
            parts.append(f"a partial last line ({f.torn} bytes) still arriving")
        print(shown(f"{f.name}: " + ", ".join(parts)))
    if info["pending_cards"]:
        n = info["pending_cards"]
        print(f"{count(n, 'card')} reviewed on other devices not imported here yet "
              "(their history is kept and applied when you import them)")
    if info["not_in_folder"]:
        n = info["not_in_folder"]
        print(f"{count(n, 'own record')} not yet in the shared folder; `drill sync` publishes "
              f"{'it' if n == 1 else 'them'}")
    if info["mocks_not_in_folder"]:
        n = info["mocks_not_in_folder"]
        print(f"{count(n, 'mock interview')} saved here not yet in the shared folder; `drill sync` publishes "
              f"{'it' if n == 1 else 'them'}")
    if (not waiting and not info["pending_cards"] and not info["not_in_folder"] and not info["mocks_not_in_folder"]
            and info["folder_found"]):
        print("everything in the history folder is merged")
    elif waiting:
        print("`drill sync` merges them")
    return 0


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1 << 20:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1 << 20):.1f} MB"


def _report_json(report) -> dict:
    return {
        "imported": report.imported, "cards": report.cards, "pending": report.pending, "exported": report.exported,
        "duplicates": report.duplicates, "torn": report.torn, "bad_lines": report.bad_lines, "missing": report.missing,
    }


def sync_on_open(store, *, imported: bool = False) -> None:
    """Merge the history folder's news when a command opens the store (if set up). Problems
    are one line on stderr; the command goes on."""
    from drill.store.history import CONFIG_KEY

    if store.extra(CONFIG_KEY) is None:
        return
    from drill.devices.sync import sync, up_to_date
    from drill.store.filelock import StoreBusy

    try:
        if up_to_date(store, imported=imported):
            return
        report = sync(store)
    except (StoreBusy, OSError) as exc:
        print(shown(f"drill: history not merged: {exc}"), file=sys.stderr)
        return
    if report.missing or report.imported or report.cards:
        print(shown(report.line()), file=sys.stderr)
