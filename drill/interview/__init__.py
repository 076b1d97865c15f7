"""Interview practice: mock interview sessions, question picking, STAR checks, reports.

May import drill.study, drill.store and drill.parse; not drill.library or drill.stats.
"""
