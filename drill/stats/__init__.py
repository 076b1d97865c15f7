"""Statistics over the review history, and export.

May import drill.study, drill.store and drill.parse; not drill.library or drill.interview.
"""
