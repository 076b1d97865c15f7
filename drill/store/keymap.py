"""The ids of drill's key bindings, with their default keys: what ``[keymap]`` in the
user config (drill.store.userconfig) may remap.

The UI's ``Binding(..., id=...)`` declarations are the source; this table repeats
them without importing Textual, so that ``drill config --help`` and the config check
can name them. tests/test_keymap.py fails when the two differ.
"""

from __future__ import annotations

#: Binding id -> (default keys, comma-separated as Textual writes them; what the key does).
KEY_IDS: dict[str, tuple[str, str]] = {
    "app.quit": ("ctrl+q", "quit drill, from any screen"),
    "app.palette": ("ctrl+p", "open the command palette (themes, Keys, every action by name)"),
    "app.close-keys": ("escape", "close the Keys panel"),
    "home.review": ("enter", "review the selected deck or group"),
    "home.all-due": ("a", "review every due card"),
    "home.refresh": ("r", "refresh the counts"),
    "home.fold": ("space", "fold / unfold the selected group"),
    "home.collapse": ("left", "fold the group (on a deck: go to its group)"),
    "home.expand": ("right", "unfold the group"),
    "home.stats": ("t", "stats"),
    "home.mock": ("m", "mock interview setup"),
    "home.history": ("h", "mock history"),
    "home.remove": ("x", "remove the selected deck (asks first)"),
    "home.cram": ("c", "cram the selected deck or group"),
    "home.plans": ("p", "interview plans"),
    "home.stories": ("b", "story bank"),
    "home.quit": ("q", "quit"),
    "review.reveal": ("space,enter", "reveal the answer"),
    "review.again": ("1", "grade Again"),
    "review.hard": ("2", "grade Hard"),
    "review.good": ("3", "grade Good"),
    "review.easy": ("4", "grade Easy"),
    "review.more-time": ("plus", "30 more seconds on the countdown"),
    "review.undo": ("u", "undo the last grade or bury"),
    "review.bury": ("s", "bury the card until tomorrow"),
    "review.edit": ("e", "open the card's source in $EDITOR"),
    "review.end": ("q,escape", "end the session"),
    "review.scroll-down": ("down,j", "scroll the answer down"),
    "review.scroll-up": ("up,k", "scroll the answer up"),
    "review.page-down": ("pagedown", "page the answer down"),
    "review.page-up": ("pageup", "page the answer up"),
    "review.top": ("home", "top of the answer"),
    "review.bottom": ("end", "end of the answer"),
    "remove-deck.remove": ("y", "remove the deck and its cards"),
    "remove-deck.archive": ("a", "archive the deck instead (schedule and history kept)"),
    "remove-deck.cancel": ("n,escape", "keep the deck"),
    "summary.home": ("enter,escape", "back home"),
    "summary.quit": ("q", "quit"),
    "stats.back": ("escape,q", "back home"),
    "stats.edit": ("e", "open the selected card in $EDITOR"),
    "stats.unsuspend": ("u", "unsuspend the selected card"),
    "stats.refresh": ("r", "recompute"),
    "mock-setup.start": ("ctrl+s", "start the mock interview"),
    "mock-setup.cancel": ("escape", "cancel"),
    "mock-question.answer-now": ("enter", "start answering now (while thinking)"),
    "mock-question.next": ("ctrl+n", "next question"),
    "mock-question.leave": ("escape,ctrl+c", "leave the interview (asks first)"),
    "mock-question.leave-q": ("q", "leave the interview, when not typing"),
    "mock-leave.abandon": ("y", "leave, saving the interview as abandoned"),
    "mock-leave.stay": ("n,escape", "keep going"),
    "mock-review.again": ("1", "grade Again"),
    "mock-review.hard": ("2", "grade Hard"),
    "mock-review.good": ("3", "grade Good"),
    "mock-review.easy": ("4", "grade Easy"),
    "mock-review.accept": ("enter", "accept the suggested grade"),
    "mock-review.situation": ("s", "tick Situation"),
    "mock-review.task": ("t", "tick Task"),
    "mock-review.action": ("a", "tick Action"),
    "mock-review.result": ("r", "tick Result"),
    "mock-review.prev": ("left,p", "previous answer"),
    "mock-review.next": ("right,n", "next answer"),
    "mock-review.report": ("f,escape", "the report"),
    "mock-report.back": ("enter,escape", "back"),
    "mock-report.history": ("h", "mock history"),
    "mock-report.drill": ("d", "cram the cards of the report's Drill next list"),
    "mock-history.open": ("enter", "open that interview's report (its review while answers are left to grade)"),
    "mock-history.back": ("escape,q", "back"),
    "stories.toggle": ("space", "toggle the competency under the cursor"),
    "stories.confirm": ("y", "confirm the suggested competencies"),
    "stories.choose": ("c", "pick competencies from a list"),
    "stories.forget": ("x", "forget your choice"),
    "stories.back": ("escape,q", "back"),
    "competencies.save": ("ctrl+s", "save the picked competencies"),
    "competencies.cancel": ("escape", "cancel"),
    "plans.new": ("n", "add a plan"),
    "plans.clear": ("d,delete", "clear the selected plan"),
    "plans.back": ("escape,q", "back"),
    "plan-form.save": ("ctrl+s", "save the plan"),
    "plan-form.cancel": ("escape", "cancel"),
}


def clashes(keymap: dict[str, str]) -> list[tuple[str, str]]:
    """(binding id, why) for each remapped key that another binding also has.

    On one screen the remapped binding takes the key and the other loses it; an
    ``app.*`` key (ctrl+q, ctrl+p) comes first on every screen, so a screen's binding
    moved onto it never runs.
    """
    keys = {binding_id: set(keymap.get(binding_id, default).split(",")) for binding_id, (default, _) in KEY_IDS.items()}
    found = []
    for binding_id, wanted in keymap.items():
        screen = binding_id.split(".")[0]
        for key in wanted.split(","):
            for other, other_keys in keys.items():
                if other == binding_id or key not in other_keys:
                    continue
                if other.split(".")[0] == screen:
                    found.append((binding_id, f"{key} is also {other}'s key; {binding_id} takes it from {other}"))
                elif other.startswith("app.") and other != "app.close-keys":
                    found.append((binding_id, f"{key} is {other}'s key on every screen; {binding_id} never gets it"))
    return found
