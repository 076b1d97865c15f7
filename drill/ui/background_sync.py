"""Quietly sync registered folders when the app starts.

The slow part (walking folders, parsing changed files) runs in a worker thread
and never touches the store; the merge runs back on the UI thread, under the
store's lock, and the result is one notification line such as
"3 cards updated in interview/stories.md".
"""

from __future__ import annotations

from textual.app import App

from drill.store.filelock import StoreBusy
from drill.ui.labels import notify


def sync_in_background(app: App) -> bool:
    """Start the sync worker if any folder is registered. Returns whether it started."""
    store = app.store
    if not store.source_folders():  # checked before importing the parser: a faster start
        return False
    from drill.library.sources import plan, snapshot

    cache = snapshot(store)
    limit, max_bytes = store.settings.max_answer_chars, store.settings.max_file_bytes

    def work() -> None:
        try:
            the_plan = plan(cache, max_answer_chars=limit, max_bytes=max_bytes)
        except Exception as exc:  # a bug, not bad input: say so instead of dying in a thread
            app.call_from_thread(notify, app, f"Sync of your folders failed: {type(exc).__name__}: {exc}", severity="error")
            return
        app.call_from_thread(apply_in_app, app, the_plan)

    app.run_worker(work, name="sync folders", group="sync", thread=True, exclusive=True, exit_on_error=False)
    return True


def apply_in_app(app: App, the_plan) -> None:
    """Merge a finished plan (UI thread), tell the user in one line, refresh the screen."""
    from drill.library.sources import apply, summary_line

    try:
        outcomes = apply(app.store, the_plan)
    except (StoreBusy, OSError) as exc:
        notify(app, f"Sync of your folders skipped: {exc}", severity="warning", timeout=6)
        return
    for root in the_plan.missing:
        notify(app, f"Folder not found: {root} (its cards are kept)", severity="warning", timeout=6)
    line = summary_line(outcomes)
    if line:
        notify(app, line, timeout=6)
    if outcomes:
        from drill.ui.history_watch import merge_history

        merge_history(app, imported=True)  # cards other devices reviewed may have just come in
    refresh = getattr(app.screen, "refresh_decks", None)
    if outcomes and callable(refresh):
        refresh()
