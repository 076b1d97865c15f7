"""A Textual stylesheet whose parsed CSS is shared by every app in the process.

Each Textual app parses the CSS of every widget class it shows (Button's alone is
7 ms), and keeps what it parsed only for itself. The test suite starts hundreds of
apps in one process, each parsing the same CSS again. Parsed rules depend only on
the CSS text, where it came from, and the theme's variables (substituted while
parsing), so they are kept per (CSS, origin, variables) for the whole process.
Nothing changes for a single app: the same rules, parsed once.
"""

from __future__ import annotations

from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet

#: Parsed rule sets by (css, origin, is default, tie breaker, scope, variables).
_PARSED: LRUCache[tuple, list] = LRUCache(1024)


class SharedStylesheet(Stylesheet):
    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._variables_key: tuple | None = None

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._variables_key = None

    def _parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        if self._variables_key is None:
            self._variables_key = tuple(sorted(self._variables.items()))
        key = (css, read_from, is_default_rules, tie_breaker, scope, self._variables_key)
        rules = _PARSED.get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            _PARSED[key] = rules
        return rules


def share_parsed_css(stylesheet: Stylesheet) -> SharedStylesheet:
    """A SharedStylesheet with *stylesheet*'s variables and sources (an app's, at start)."""
    shared = SharedStylesheet(variables=stylesheet._variables)
    shared.source = dict(stylesheet.source)
    shared._require_parse = stylesheet._require_parse or bool(stylesheet.source)
    return shared
