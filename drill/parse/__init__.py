"""Markdown -> parsed decks and cards.

Owns headings, explicit card syntaxes, cloze, frontmatter and text safety.
Imports nothing from drill outside this package, and never Textual.
"""
