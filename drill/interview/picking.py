"""Which cards a mock interview asks: weighted toward weak, recently failed and
never-mocked cards, reproducible for one seed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from drill.store.collection import Store, StoredCard
from drill.study.plans import scheduler_for
from drill.study.schedule import AGAIN, Scheduler, iso

#: How far back (journal records, newest first) recent Again grades are counted.
RECENT_RECORDS = 2000
RECENT_DAYS = 30


def question_weights(
    store: Store,
    cards: list[StoredCard],
    now: datetime,
    scheduler: Scheduler | None = None,
) -> dict[int, float]:
    """How strongly each card should be preferred: weak, recently failed, never mocked.

    ``1 + 3 * (1 - retrievability) + 2 * recent Agains (up to 3) + 2 if never
    asked in a mock``. Retrievability is rounded to a tenth so the same seed
    picks the same questions all day.
    """
    scheduler = scheduler or scheduler_for(store)
    agains = recent_agains(store, now)
    mocked = {q.get("card") for doc in store.mocks() for q in doc.get("questions", ()) if isinstance(q, dict)}
    weights = {}
    for card in cards:
        retrievability = round(scheduler.retrievability(card.id, card.state, now), 1)
        weight = 1.0 + 3.0 * (1.0 - retrievability)
        weight += 2.0 * min(agains.get(card.id, 0), 3)
        if card.id not in mocked:
            weight += 2.0
        weights[card.id] = weight
    return weights


def recent_agains(store: Store, now: datetime) -> dict[int, int]:
    """Again grades per card in the last RECENT_DAYS, reading at most RECENT_RECORDS records."""
    since = iso(now - timedelta(days=RECENT_DAYS))
    counts: dict[int, int] = {}
    for record in store.recent_reviews(since, limit=RECENT_RECORDS):
        if record.get("rating") == AGAIN:
            card = store.card_id_of(record)
            if card is not None:
                counts[card] = counts.get(card, 0) + 1
    return counts


def pick_cards(
    store: Store,
    decks: list[str] | None,
    count: int,
    *,
    now: datetime,
    seed: str | int | None = None,
    scheduler: Scheduler | None = None,
) -> list[StoredCard]:
    """Up to ``count`` distinct cards, drawn without replacement by weight.

    Weighted sampling by Efraimidis–Spirakis keys (``u ** (1 / w)``) over the
    cards in store order, so one seed on one store gives one choice.
    """
    cards = [card for card in store.cards(decks) if not getattr(card, "suspended", False)]
    if not cards or count <= 0:
        return []
    weights = question_weights(store, cards, now, scheduler)
    rng = random.Random(seed)
    keyed = [(rng.random() ** (1.0 / weights[card.id]), card) for card in cards]
    keyed.sort(key=lambda pair: pair[0], reverse=True)
    return [card for _, card in keyed[:count]]
