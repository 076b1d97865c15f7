"""The Textual app: wires the store and the clock to the screens."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Callable

from textual import on
from textual.app import App, SuspendNotSupported, SystemCommand
from textual.binding import Binding

from drill.parse.textsafe import shown
from drill.store.collection import Store, StoredCard
from drill.store.userconfig import Loaded as LoadedConfig
from drill.study.schedule import utcnow
from drill.study.session import ReviewSession, studied_today
from drill.ui.background_sync import sync_in_background
from drill.ui.history_watch import watch_history
from drill.ui.labels import NAME_WIDTH, notify
from drill.ui.messages import ShowMockHistory, ShowMockReport, ShowMockReview
from drill.ui.screens.review import ReviewScreen

EditorRunner = Callable[[str, int], "int | None"]
"""Opens a file at a line in an editor; returns its exit status (None or 0: fine)."""


class DrillApp(App):
    CSS_PATH = "drill.tcss"
    TITLE = "drill"
    BINDINGS = [
        # Textual's own quit and palette keys, given ids so that the user's keymap can move them
        Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False, priority=True,
                tooltip="Quit the app and return to the command prompt."),
        Binding("ctrl+p", "command_palette", "palette", id="app.palette", show=False, priority=True,
                tooltip="Open the command palette"),
        # escape closes the Keys panel (ctrl+p › Keys) before any screen sees it
        Binding("escape", "hide_keys", "Close keys", id="app.close-keys", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime] = utcnow,
        notice: str | None = None,
        review: dict | None = None,
        mock: dict | None = None,
        start: str | None = None,
        run_editor: EditorRunner | None = None,
        user_config: LoadedConfig | None = None,
    ) -> None:
        super().__init__()
        from drill.ui.stylesheet import share_parsed_css

        self.stylesheet = share_parsed_css(self.stylesheet)  # parsed once per process, not per app
        if user_config is None:
            from drill.store.userconfig import load

            user_config = load()
        self.user_config = user_config
        """The person's config.toml (theme, keymap, default time limit); see drill.store.userconfig."""
        self._saved_theme: str | None = None
        self.store = store
        self.clock = clock
        self.notice = notice
        self.initial_review = review
        self.initial_mock = mock
        """``drill mock``: a MockConfig as a dict, to start the interview at once."""
        self.start = start
        """Screen to open over home at start-up: "stats" or None."""
        self.run_editor = run_editor or self._run_editor_suspended

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "hide_keys":  # otherwise escape goes on to the screen (End, Back, Cancel)
            # Textual mounts the panel on the screen itself; asked for every key on every
            # bindings change, so only the screen's children are looked at
            return bool(self.screen.query_children("HelpPanel"))
        return super().check_action(action, parameters)

    def action_help_quit(self) -> None:
        """ctrl+c says the same everywhere (Textual's named whichever quit key the screen had:
        "q" on home, "ctrl+q" in a review, where q ends the review)."""
        notify(self, "Press ctrl+q to quit drill", title="Do you want to quit?")

    def action_hide_keys(self) -> None:
        self.action_hide_help_panel()

    def get_system_commands(self, screen):
        """The palette (ctrl+p) offers every action of the screen it was opened on.

        Keys the footer has no room for (c Cram, p Plans, b Stories, r Refresh on
        home at 80 columns) are then found by name, with their key shown.
        """
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if active.node is not screen or not active.enabled or not binding.description:
                continue
            if binding.action.startswith(("scroll", "app.")) or binding.description in seen:
                continue
            seen.add(binding.description)
            key = self.get_key_display(binding)
            yield SystemCommand(
                binding.description,
                f"{binding.tooltip} · key: {key}" if binding.tooltip else f"key: {key}",
                partial(self.call_later, screen.run_action, binding.action),
            )

    def on_mount(self) -> None:
        self._apply_user_config()
        if self.initial_review is None or self.start is not None or self.initial_mock is not None:
            from drill.ui.screens.home import HomeScreen  # `drill review` paints its question without it

            self.push_screen(HomeScreen())
        # else `drill review`: the first question is painted first; home is built when
        # the review ends (go_home), which saves a deck table's worth of start-up.
        sync_in_background(self)  # registered folders: re-import what changed, off the UI thread
        watch_history(self)  # a shared history folder: merge other devices' reviews as they arrive
        # The first-run welcome is a line on home (drill.ui.screens.home), not a toast: a toast
        # lasted into the first review and covered its answer.
        ahead = studied_today(self.store, self.clock(), self.store.settings).future
        if ahead:
            notify(
                self,
                f"{ahead} review{'s are' if ahead != 1 else ' is'} stamped later than now: the clock was ahead. "
                "They count towards no day (nor today's limits) until their time.",
                severity="warning",
                timeout=10,
            )
        if self.initial_review is not None:
            self.start_review(
                self.initial_review.get("decks"),
                time_limit=self.initial_review.get("time_limit"),
                new_limit=self.initial_review.get("new_limit"),
                cram=bool(self.initial_review.get("cram")),
            )
        if self.start == "stats":
            self.open_stats()
        if self.start == "stories":
            self.open_stories()
        if self.initial_mock is not None:
            from drill.ui.mock_flow import start_mock

            start_mock(self, self.initial_mock)

    # ------------------------------------------------------------------ user config
    def _apply_user_config(self) -> None:
        """The theme and the keymap from config.toml; each problem is one warning line."""
        from drill.ui.config_names import check

        loaded = self.user_config
        found, keymap = check(loaded, self.available_themes)
        problems = [*loaded.problems, *found]
        if loaded.config.theme in self.available_themes:
            self.theme = loaded.config.theme
        if keymap:
            self.set_keymap(keymap)
        self._saved_theme = self.theme
        if problems:
            notify(self, "\n".join(_config_lines(problems, loaded.path)), title="config.toml: defaults kept for",
                   severity="warning", timeout=10)

    def set_keymap(self, keymap) -> None:
        from drill.ui.keymap_order import keep_binding_order

        keep_binding_order()  # a remapped key keeps its place in the footer (Textual moved it last)
        super().set_keymap(keymap)

    def watch_theme(self, theme: str) -> None:
        """A theme picked in the palette (ctrl+p › Theme) is saved for the next start."""
        if self._saved_theme is None or theme == self._saved_theme:
            return  # still starting, or nothing new
        from drill.store.userconfig import update

        try:
            update("theme", theme, self.user_config.path)
        except (ValueError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            notify(self, f"Theme {theme} not saved: {reason}", severity="warning", timeout=8)
            return
        self._saved_theme = theme

    # ------------------------------------------------------------------ mock navigation
    @on(ShowMockReview)
    def _show_mock_review(self, message: ShowMockReview) -> None:
        from drill.ui.mock_flow import show_review

        show_review(self, message.session, from_history=message.from_history)

    @on(ShowMockReport)
    def _show_mock_report(self, message: ShowMockReport) -> None:
        from drill.ui.mock_flow import show_report

        show_report(self, message.report, from_history=message.from_history, replace=message.replace)

    @on(ShowMockHistory)
    def _show_mock_history(self, message: ShowMockHistory) -> None:
        from drill.ui.mock_flow import open_history

        self.go_home()
        open_history(self)

    def open_stories(self) -> None:
        from drill.ui.screens.story_bank import StoryBankScreen  # imported when first needed

        self.sub_title = "Story bank"
        self.push_screen(StoryBankScreen())

    def open_stats(self) -> None:
        from drill.ui.screens.stats import (
            StatsScreen,  # imported when first needed: a faster start
        )

        self.sub_title = "Stats"
        self.push_screen(StatsScreen())

    # ---------------------------------------------------------------- navigation
    def start_review(
        self,
        decks: list[str] | None,
        *,
        time_limit: int | None = None,
        new_limit: int | None = None,
        cram: bool = False,
        cards: list[int] | None = None,
        title: str | None = None,
    ) -> None:
        """Review *decks* (None: all); *cram*: every card, schedule untouched; *cards*: cram
        exactly these cards (*title* names them in the header)."""
        self.store.refresh()
        self.notice = None  # the welcome was read: home no longer shows it
        if cards is not None:
            from drill.study.cram import CardsCram

            session = CardsCram(self.store, decks=decks, clock=self.clock, card_ids=tuple(cards))
            cram = True
        elif cram:  # every card, weakest first, schedule untouched
            from drill.study.cram import CramSession

            session = CramSession(self.store, decks=decks, clock=self.clock)
        else:
            session = ReviewSession(self.store, decks=decks, clock=self.clock, new_limit=new_limit)
        mode = "Cram · " if cram else "Review · "
        self.sub_title = mode + (
            shown(title) if title else ", ".join(shown(d, NAME_WIDTH) for d in decks) if decks else "all decks"
        )
        self.push_screen(ReviewScreen(session, time_limit=time_limit))

    def compact_if_due(self) -> None:
        """Once the journal tail passes 1 MB, fold it in a child process (off the UI
        thread, never in a grade's path; see drill.store.compaction)."""
        if not self.store.needs_compaction():
            return
        self.store.compaction_started()
        args = [sys.executable, "-m", "drill.store.compaction", str(self.store.path)]

        def compact() -> None:
            subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=False)

        self.run_worker(compact, thread=True, group="compaction", exit_on_error=False)

    def show_summary(self, session: ReviewSession, *, finished: bool) -> None:
        self.store.compact()
        self.sub_title = "Summary"
        from drill.ui.screens.summary import SummaryScreen

        self.switch_screen(SummaryScreen(session.summary(), self.clock(), finished=finished))

    def go_home(self) -> None:
        from drill.ui.screens.home import HomeScreen

        self.sub_title = ""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if not any(isinstance(screen, HomeScreen) for screen in self.screen_stack):
            self.switch_screen(HomeScreen())  # started straight into a review
        elif not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    # ---------------------------------------------------------------- editing
    def edit_card(self, card: StoredCard) -> str | None:
        """Open the card's source in $EDITOR at its line, then re-import that file."""
        if not card.source or not Path(card.source).exists():
            return f"Source file not found: {card.source or '(none)'}"
        try:
            status = self.run_editor(card.source, card.line)
        except EditorError as exc:
            return str(exc)
        except (OSError, SuspendNotSupported) as exc:
            return f"Could not start the editor: {exc.strerror or exc if isinstance(exc, OSError) else exc}"
        if status:
            return f"The editor exited with status {status}; {Path(card.source).name} was not re-imported"
        from drill.library.importer import (  # the Markdown parser: only when editing
            error_line,
            import_paths,
        )

        reports = import_paths(self.store, [card.source])
        report = reports[0] if reports else None
        if report is None:
            return None
        if report.error:
            return error_line(report)
        return (
            f"Re-imported {Path(report.path).name}: {report.updated} updated, "
            f"{report.added} added, {report.archived} archived"
        )

    def _run_editor_suspended(self, path: str, line: int) -> int:
        """Run $VISUAL / $EDITOR on *path* at *line* with the app suspended; its exit status."""
        argv = editor_command(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi", path, line)
        failure: BaseException | None = None
        with self.suspend():
            # Textual's suspend() does not resume the app when its body raises (textual
            # issue #6692): the screen would stay blank with keys echoed. Nothing escapes it.
            try:
                status = subprocess.call(argv)
            except BaseException as exc:  # an editor that cannot start, Ctrl+C...
                failure = exc
        if failure is not None:
            raise failure
        return status


def _config_lines(problems: list[str], path: Path, most: int = 3) -> list[str]:
    """The notice's lines: "line 4: reason" for each ``path:4: reason`` (the path once, at the
    end), at most *most* of them; ``drill config`` prints them all in full."""
    prefix = f"{shown(path)}:"
    parsed = []
    for problem in problems:
        rest = problem[len(prefix):] if problem.startswith(prefix) else problem
        number, sep, reason = rest.partition(": ")
        if sep and number.isdigit():
            parsed.append((int(number), f"line {number}: {reason}"))
        else:
            parsed.append((0, rest.strip()))
    lines = [line for _, line in sorted(parsed, key=lambda item: item[0])[:most]]  # in file order
    if len(problems) > most:
        lines.append(f"… and {len(problems) - most} more (drill config shows them all)")
    return [*lines, f"in {shown(path)}"]


class EditorError(Exception):
    """$EDITOR cannot be run; the message says why, in one line."""


def editor_command(editor: str, path: str, line: int) -> list[str]:
    """The command line that opens *path* at *line* in *editor* (``$EDITOR``'s text).

    Raises EditorError, before anything is suspended, for a value that does not
    parse (an unbalanced quote) or names a program that is not there.
    """
    try:
        words = shlex.split(editor)
    except ValueError as exc:
        raise EditorError(f"$EDITOR is not a valid command ({exc}): {editor}") from None
    if not words:
        raise EditorError("$EDITOR is empty")
    if shutil.which(words[0]) is None:
        raise EditorError(f"Could not start the editor: {words[0]} not found ($EDITOR is {editor!r})")
    return [*words, f"+{line}", path]


def make_app(store: Store, **kwargs) -> DrillApp:
    """The one factory the CLI and the tests use."""
    return DrillApp(store, **kwargs)
