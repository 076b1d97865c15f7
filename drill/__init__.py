"""drill: a terminal flashcard and interview-drill trainer."""

__version__ = "0.1.0"
