"""Labels that carry user text: the one way drill/ui puts names on the screen.

Deck names, file and folder names, questions and messages that quote them come
from the user's files. Textual parses markup in plain strings (``Static("…")``,
``update("…")``, ``notify("…")``), so a deck called ``[link="…"]x`` would emit a
hyperlink and ``Unix paths [/etc/hosts]`` would crash the screen; and it passes
escape sequences through. So:

* :func:`markup` takes a *trusted* markup template written in drill's source and
  fills its ``$variables`` with user text as plain text (``Content.from_markup``
  never parses variable values), each made safe by :func:`drill.parse.textsafe.shown`
  (control, bidi and invisible characters escaped) and cut to :data:`NAME_WIDTH`;
* :func:`plain` is user text alone, as Content;
* :func:`notify` shows a notification with ``markup=False``, its text made safe.

tests/test_labels.py checks that no other module in drill/ui formats text into a
markup string or calls ``notify`` itself.
"""

from __future__ import annotations

from textual.content import Content

from drill.parse.textsafe import shown

__all__ = ["NAME_WIDTH", "markup", "name", "notify", "plain"]

#: Widest a deck or file name may be in a label, so what follows it stays on screen.
NAME_WIDTH = 48


def plain(text: object, limit: int | None = None) -> Content:
    """User text as Content: never markup, unsafe characters escaped, cut to *limit*."""
    return Content(shown(text, limit))


def name(text: object) -> Content:
    """A deck, group or file name for a label: :func:`plain`, cut to NAME_WIDTH."""
    return plain(text, NAME_WIDTH)


def markup(template: str, **values: object) -> Content:
    """*template* (trusted markup from drill's own source) with ``$name`` variables
    filled in as plain text. Strings are made safe and cut to NAME_WIDTH; Content
    values are used as they are; other values (numbers) as ``str()``."""
    fill = {}
    for key, value in values.items():
        if isinstance(value, Content):
            fill[key] = value.plain  # already safe; from_markup takes variables as text
        elif isinstance(value, str):
            fill[key] = shown(value, NAME_WIDTH)
        else:
            fill[key] = shown(value)
    return Content.from_markup(template, **fill)


def notify(target, message: object, **kwargs) -> None:
    """``target.notify(message)`` (an App, Screen or widget) as plain text, never markup.

    The message is made safe line by line (its own newlines stay) and each line is cut
    to a screenful, so a file name can neither emit escapes nor push the rest away.
    """
    text = "\n".join(shown(line, 300) for line in str(message).split("\n"))
    kwargs["markup"] = False
    target.notify(text, **kwargs)
