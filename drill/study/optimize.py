"""Fit FSRS parameters to the user's own reviews (fsrs-rs-python), safely.

The journal's graded reviews become one FSRS history per card; the most recent
share of them is held out, the rest is fitted, and both the parameters in use
and the fitted ones are scored on the held-out reviews (log loss, RMSE over
bins). The fitted ones are kept only when they score better on both.

fsrs-rs panics (a Rust panic surfacing as ``pyo3_runtime.PanicException``, not
an ``Exception``) on a history with no review a day or more after the one
before, and rejects ratings outside 1..4: such histories are filtered out
before they reach it, and anything it still raises is reported, never raised.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from drill.store.reviewlog import records_not_undone
from drill.study.schedule import parse_iso, study_day

MIN_REVIEWS = 400
"""Graded reviews needed before fitting is worth trying (Anki asks for about as many)."""
HOLDOUT_SHARE = 0.2
"""Share of the histories, the most recent by their last review, kept out of fitting."""


@dataclass(frozen=True)
class History:
    """One card's reviews up to and including the one to predict: (rating, days since the one before)."""

    card: str | int
    """The card's stable key (its local id for a record of an older drill)."""
    reviews: tuple[tuple[int, int], ...]
    ts: str
    """When the last (predicted) review happened."""


@dataclass
class OptimizeResult:
    reviews: int
    """Graded reviews found (undone and cram ones excluded)."""
    histories: int = 0
    skipped_cards: int = 0
    """Cards whose history cannot be used (it starts before the journal, bad ratings...)."""
    train: int = 0
    test: int = 0
    needed: int = 0
    """Reviews still needed before fitting (0: enough)."""
    old: tuple[float, float] | None = None
    """(log loss, RMSE) of the parameters in use, on the held-out reviews."""
    new: tuple[float, float] | None = None
    parameters: list[float] | None = None
    """The fitted parameters (whether or not they are kept)."""
    kept_new: bool = False
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        def score(pair):
            return None if pair is None else {"log_loss": round(pair[0], 6), "rmse": round(pair[1], 6)}

        return {
            "reviews": self.reviews,
            "needed": self.needed,
            "histories": self.histories,
            "skipped_cards": self.skipped_cards,
            "train": self.train,
            "test": self.test,
            "old": score(self.old),
            "new": score(self.new),
            "kept_new": self.kept_new,
            "parameters": self.parameters,
            "error": self.error,
        }


def graded_reviews(records: Iterable[dict]) -> list[dict]:
    """The journal's review records (oldest first) less those later undone; cram records are not reviews."""
    return records_not_undone(records, "review", "undo")


def card_identity(record: dict) -> str | int | None:
    """Which card a review record is about, across stores: its stable key (drill.store.keys);
    for a record without one (an older drill), its local id. No store needed: grouping
    reviews per card only compares identities (``Store.card_id_of`` turns one into a card)."""
    key, cid = record.get("key"), record.get("card")
    if isinstance(key, str):
        return key
    if isinstance(cid, int) and not isinstance(cid, bool):
        return cid
    return None


def histories(reviews: Sequence[dict], day_starts_at: int = 4) -> tuple[list[History], int]:
    """FSRS training items from graded review records, and the number of cards skipped.

    Per card, in time order: the first review must be the card's first (kind
    "new"), ratings must be 1..4, and days between reviews are counted in study
    days (same day: 0). One item per review that came a day or more after the
    one before (as Anki does): only those carry long-term memory, and an item
    without one makes fsrs-rs panic.
    """
    by_card: dict[str | int, list[dict]] = defaultdict(list)
    for record in reviews:
        ident = card_identity(record)
        if ident is not None and isinstance(record.get("ts"), str):
            by_card[ident].append(record)
    out: list[History] = []
    skipped = 0
    for cid, records in by_card.items():
        records.sort(key=lambda r: r["ts"])
        try:
            days = [study_day(parse_iso(r["ts"]), day_starts_at) for r in records]
        except ValueError:
            skipped += 1
            continue
        ratings = [r.get("rating") for r in records]
        if records[0].get("kind") != "new" or not all(isinstance(x, int) and 1 <= x <= 4 for x in ratings):
            skipped += 1
            continue
        steps: list[tuple[int, int]] = []
        for i, (rating, day) in enumerate(zip(ratings, days)):
            delta = 0 if i == 0 else max(0, (day - days[i - 1]).days)
            steps.append((rating, delta))
            if i > 0 and delta > 0:
                out.append(History(cid, tuple(steps), records[i]["ts"]))
    out.sort(key=lambda h: (h.ts, str(h.card)))
    return out, skipped


def split(items: list[History], share: float = HOLDOUT_SHARE) -> tuple[list[History], list[History]]:
    """(fit on, held out): the most recent *share* of the items by their last review."""
    cut = len(items) - max(1, round(len(items) * share)) if items else 0
    if cut <= 0:
        return items, []
    boundary = items[cut].ts  # histories ending at the same moment stay together
    train = [h for h in items if h.ts < boundary]
    test = [h for h in items if h.ts >= boundary]
    return train, test


Fit = Callable[[list[History], Sequence[float]], list[float]]
Score = Callable[[list[History], Sequence[float]], tuple[float, float]]


def _to_items(histories_: Iterable[History]):
    import fsrs_rs_python as fr

    return [fr.FSRSItem([fr.FSRSReview(rating, delta) for rating, delta in h.reviews]) for h in histories_]


def fsrs_rs_fit(train: list[History], start: Sequence[float]) -> list[float]:
    import fsrs_rs_python as fr

    return list(fr.FSRS(list(start)).compute_parameters(_to_items(train)))


def fsrs_rs_score(test: list[History], parameters: Sequence[float]) -> tuple[float, float]:
    import fsrs_rs_python as fr

    evaluation = fr.FSRS(list(parameters)).evaluate(_to_items(test))
    return float(evaluation.log_loss), float(evaluation.rmse_bins)


def default_parameters() -> list[float]:
    import fsrs

    return list(fsrs.scheduler.DEFAULT_PARAMETERS)


def valid_parameters(parameters: Sequence[float]) -> str | None:
    """None when the scheduler accepts *parameters*, else why not."""
    import fsrs

    try:
        fsrs.Scheduler(parameters=tuple(parameters))
    except (ValueError, TypeError) as exc:
        return str(exc).splitlines()[0]
    return None


def optimize(
    records: Iterable[dict],
    current: Sequence[float] | None,
    *,
    day_starts_at: int = 4,
    min_reviews: int = MIN_REVIEWS,
    fit: Fit = fsrs_rs_fit,
    score: Score = fsrs_rs_score,
) -> OptimizeResult:
    """Fit, score old against new on held-out reviews, and say whether to keep the new ones.

    Changes nothing itself: the caller saves ``parameters`` when ``kept_new``.
    """
    reviews = graded_reviews(records)
    result = OptimizeResult(reviews=len(reviews))
    if len(reviews) < min_reviews:
        result.needed = min_reviews - len(reviews)
        return result
    items, result.skipped_cards = histories(reviews, day_starts_at)
    result.histories = len(items)
    train, test = split(items)
    result.train, result.test = len(train), len(test)
    if not train or not test:
        result.error = "no reviews a day or more apart to learn from yet"
        return result
    old = list(current) if current else default_parameters()
    try:
        fitted = [float(x) for x in fit(train, old)]
        result.parameters = fitted
        result.old = score(test, old)
        result.new = score(test, fitted)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # fsrs-rs panics are BaseExceptions: report, never crash
        result.error = f"fsrs-rs could not fit these reviews: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        return result
    invalid = valid_parameters(fitted)
    if invalid:
        result.error = f"the fitted parameters are out of range for the scheduler: {invalid}"
        return result
    if fitted == default_parameters():
        result.notes.append("fsrs-rs returned its default parameters (too little varied history to move them)")
    elif fitted == old:
        result.notes.append("the fit gives the parameters already in use")
    result.kept_new = fitted != old and result.new[0] < result.old[0] and result.new[1] < result.old[1]
    return result


