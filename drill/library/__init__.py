"""The user's notes as a library: importing files and folders, registered sources
and sync, deck groups.

May import drill.study, drill.store and drill.parse; not drill.interview or drill.stats.
"""
