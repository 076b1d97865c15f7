"""Studying: FSRS scheduling, study days, the review session and its queue, leeches.

May import drill.store and drill.parse.
"""
