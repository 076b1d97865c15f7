"""Which competencies a story answers: suggested from its headings (and body).

Headings are matched fuzzily against each competency's id, name and synonyms
with rapidfuzz, so misspelt headings still match ("Misktake" -> failure). The
card's own heading counts more than the headings above it, so
"strength/weakness › Weak" is about weaknesses, not strengths. When no heading
matches, a STAR story's body is searched for the competencies' words.

Pure: no Textual, no Rich.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from drill.interview.bank import Bank

#: Smallest fuzzy score (0-100) for a word or phrase to count as a match; words of
#: LONG_WORD letters or more may be a little further off (one swapped pair: "Confilct").
WORD_CUTOFF = 90
LONG_WORD, LONG_WORD_CUTOFF = 7, 85
#: Weight of the card's own heading, and of each heading above it.
LEAF_WEIGHT, PARENT_WEIGHT = 1.0, 0.85
#: Suggestions: the best competency, and others scoring within this of it.
NEAR_BEST = 5
MAX_SUGGESTIONS = 2
#: Weighted score a heading match needs.
MIN_SCORE = 80
#: A heading with more words than this only counts for STAR stories (a long technical
#: heading that happens to contain "conflict" or "learning" is not a story).
SHORT_HEADING = 3
#: Words a body needs to mention for a body-only suggestion.
BODY_HITS = 2

_WORDS = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def words(text: str) -> list[str]:
    return _WORDS.findall(text.casefold().replace("’", "'"))


@dataclass(frozen=True)
class Suggestion:
    competency: str
    score: float
    where: str
    """"heading" or "body"."""


class Matcher:
    """The bank's competency words, ready for fuzzy matching."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        singles: dict[str, set[str]] = {}
        phrases: list[tuple[str, str]] = []
        names: dict[str, str] = {}
        for competency in bank.competencies.values():
            terms = {competency.id.replace("-", " "), competency.name, *competency.synonyms}
            for form in (competency.id.replace("-", " "), competency.name):
                names[" ".join(words(form))] = competency.id
            for term in terms:
                tokens = words(term)
                if len(tokens) == 1:
                    singles.setdefault(tokens[0], set()).add(competency.id)
                elif tokens:
                    phrases.append((" ".join(tokens), competency.id))
        self.singles = singles
        self.single_list = list(singles)
        self.phrases = phrases
        self.names = names
        self._word = lru_cache(maxsize=65536)(self._word_scores)
        self._segment = lru_cache(maxsize=65536)(self._segment_scores)

    # ------------------------------------------------------------ scoring
    def _word_scores(self, word: str) -> tuple[tuple[str, float], ...]:
        if len(word) < 4:  # short words match exactly or not at all ("led", "ci")
            return tuple((cid, 100.0) for cid in self.singles.get(word, ()))
        from rapidfuzz import fuzz, process  # only for fuzzy matching: 4 MB and 10 ms at start-up

        best: dict[str, float] = {}
        cutoff = LONG_WORD_CUTOFF if len(word) >= LONG_WORD else WORD_CUTOFF
        for term, score, _ in process.extract(word, self.single_list, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None):
            if len(term) < 4 and term != word:
                continue
            for cid in self.singles[term]:
                best[cid] = max(best.get(cid, 0.0), score)
        return tuple(best.items())

    def _segment_scores(self, segment: str) -> tuple[tuple[str, float], ...]:
        """Best score per competency for one heading (its words joined by spaces)."""
        from rapidfuzz import fuzz

        best: dict[str, float] = {}
        for word in segment.split():
            for cid, score in self._word(word):
                best[cid] = max(best.get(cid, 0.0), score)
        for phrase, cid in self.phrases:
            if len(segment) >= len(phrase):
                score = fuzz.partial_ratio(phrase, segment, score_cutoff=WORD_CUTOFF)
            else:
                score = fuzz.ratio(phrase, segment, score_cutoff=WORD_CUTOFF)
            if score:
                best[cid] = max(best.get(cid, 0.0), score)
        return tuple(best.items())

    # ------------------------------------------------------------ suggesting
    def from_headings(self, path: tuple[str, ...], *, story: bool) -> list[Suggestion]:
        """Suggestions from a card's heading path (its own heading last).

        For cards that are not STAR stories (*story* false) only short headings count.
        """
        scores: dict[str, float] = {}
        for depth, heading in enumerate(reversed(path)):
            tokens = words(heading)
            if not tokens or (not story and len(tokens) > SHORT_HEADING):
                continue
            weight = LEAF_WEIGHT if depth == 0 else PARENT_WEIGHT
            for cid, score in self._segment(" ".join(tokens)):
                scores[cid] = max(scores.get(cid, 0.0), score * weight)
        found = _top(scores, MIN_SCORE, "heading")
        # A heading above that is exactly a competency's name ("# Leadership") groups its
        # stories on purpose: it counts even when the story's own heading scores higher.
        for grouped in self.exact_name(path[:-1]):
            if grouped.competency not in {s.competency for s in found} and len(found) < MAX_SUGGESTIONS + 1:
                found.append(grouped)
        return found

    def exact_name(self, path: tuple[str, ...]) -> list[Suggestion]:
        """Headings that are a competency's id or name exactly ("Introduction", "Projects")."""
        found: dict[str, float] = {}
        for depth, heading in enumerate(reversed(path)):
            key = " ".join(words(heading))
            cid = self.names.get(key) or self.names.get(key[:-1] if key.endswith("s") else key + "s")
            if cid:
                found.setdefault(cid, 100.0 * (LEAF_WEIGHT if depth == 0 else PARENT_WEIGHT))
        return _top(found, MIN_SCORE, "heading")

    def from_body(self, body: str) -> list[Suggestion]:
        """The competency a story's text mentions most (at least BODY_HITS times)."""
        tokens = words(body)
        hits: dict[str, int] = {}
        for word in tokens:
            for cid, _ in self._word(word):
                hits[cid] = hits.get(cid, 0) + 1
        text = " ".join(tokens)
        for phrase, cid in self.phrases:
            count = text.count(phrase)
            if count:
                hits[cid] = hits.get(cid, 0) + count
        if not hits:
            return []
        best = max(hits.values())
        leaders = [cid for cid, n in hits.items() if n == best]
        if best < BODY_HITS or len(leaders) > 1:
            return []
        return [Suggestion(leaders[0], float(best), "body")]


def _top(scores: dict[str, float], cutoff: float, where: str) -> list[Suggestion]:
    ranked = sorted(((s, cid) for cid, s in scores.items() if s >= cutoff), key=lambda p: (-p[0], p[1]))
    if not ranked:
        return []
    best = ranked[0][0]
    return [Suggestion(cid, round(s, 1), where) for s, cid in ranked if s >= best - NEAR_BEST][:MAX_SUGGESTIONS]


@lru_cache(maxsize=8)
def _matcher_for(bank: Bank) -> Matcher:
    return Matcher(bank)


def matcher(bank: Bank) -> Matcher:
    """One Matcher per bank (its word scores are cached)."""
    return _matcher_for(bank)
