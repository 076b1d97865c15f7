"""Interview practice: the question bank, stories and their competencies, STAR checks,
how cards are asked, talking points, mock interview sessions and reports.

May import drill.study, drill.store and drill.parse; not drill.library or drill.stats.
"""
