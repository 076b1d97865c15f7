"""What the first question does not load: rapidfuzz (4 MB) waits for a fuzzy match."""

from __future__ import annotations

from helpers import run_python


def test_rapidfuzz_loads_only_when_a_heading_is_matched_fuzzily():
    code = (
        "import sys; import drill.ui.app, drill.interview.asking\n"
        "from drill.interview.bank import load_bank\n"
        "from drill.interview.competencies import matcher\n"
        "m = matcher(load_bank())\n"
        "assert m.exact_name(('Notes', 'What is a B-tree?')) == []\n"
        "assert 'rapidfuzz' not in sys.modules, 'loaded before any fuzzy match'\n"
        "found = m.from_headings(('Stories', 'Confilct with a peer'), story=True)\n"
        "assert 'rapidfuzz' in sys.modules and [s.competency for s in found][:1] == ['conflict'], found\n"
    )
    run_python(code)


def test_the_first_question_does_not_load_zipfile_for_the_question_bank():
    """The bank is read beside its module: importlib.resources.files() imported zipfile (~25 ms)."""
    code = (
        "import sys; import drill.ui.app, drill.interview.asking\n"
        "from drill.interview.bank import load_bank\n"
        "assert load_bank().questions\n"
        "assert 'zipfile' not in sys.modules\n"
    )
    run_python(code)
