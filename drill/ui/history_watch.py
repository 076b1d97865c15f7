"""Other devices' reviews, merged while the app is open.

A timer looks at the shared history folder every few seconds: one ``scandir``
of it and a stat per device file (this device's own file left out, so grading
never triggers a merge). When another device's file changed (git pull, a
Syncthing transfer), drill.devices.sync merges what is new on the UI thread,
under the store's lock (an incremental read: the bytes that arrived), says so
in one line and refreshes the screen. Nothing here when no folder is set up.
"""

from __future__ import annotations

from textual.app import App

from drill.store.filelock import StoreBusy
from drill.store.history import CONFIG_KEY
from drill.ui.labels import notify

INTERVAL = 3.0
"""Seconds between two looks at the folder."""


def watch_history(app: App) -> bool:
    """Start watching if this store has a history folder. Returns whether it started."""
    store = app.store
    if store.extra(CONFIG_KEY) is None:
        return False
    from drill.devices.sync import others_signature

    seen = {"signature": others_signature(store)}

    def look() -> None:
        now = others_signature(store)
        if now == seen["signature"]:
            return
        seen["signature"] = now
        merge_history(app)

    app.set_interval(INTERVAL, look, name="history watch")
    return True


def merge_history(app: App, *, imported: bool = False) -> None:
    """Merge the folder's news now (UI thread); one line if anything came in."""
    from drill.devices.sync import sync, up_to_date

    store = app.store
    try:
        if store.extra(CONFIG_KEY) is None or up_to_date(store, imported=imported):
            return
        report = sync(store)
    except (StoreBusy, OSError) as exc:
        notify(app, f"History from other devices not merged: {exc}", severity="warning", timeout=6)
        return
    if report.missing:
        notify(app, report.line(), severity="warning", timeout=6)
        return
    if report.imported or report.cards:
        notify(app, report.line(), timeout=6)
        refresh = getattr(app.screen, "refresh_decks", None)
        if callable(refresh):
            refresh()
