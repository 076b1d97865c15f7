"""Interview plans: be ready on a date, not just in the long run.

A plan names a date, the decks to be ready in and a target recall. A card is
*ready* when FSRS predicts, from its current state and assuming no more
reviews, a recall of at least the target at the start of the interview's study
day; a new card is never ready.

While a plan is active it adds cards to each day's queue (ordinary graded
reviews; FSRS schedules them as usual):

* before the last-pass window, every plan card below the target that has not
  been reviewed since the plan began is brought in once, weakest first, spread
  evenly over the days left before the window;
* in the window (the ``LAST_PASS_DAYS`` study days before the date, and the
  date itself to catch up) every plan card gets a last pass, spread over the
  window's days, weakest first;
* after the date the plan is over and adds nothing.

Plans are kept in the store's meta table (``plans``), several at a time.
Everything here is pure over a Store and an injected ``now``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable, Iterable

from drill.store.collection import Store
from drill.store.settings import Settings
from drill.study.schedule import LEARNING, RELEARNING, Scheduler, day_start, iso, start_of_study_day, study_day
from drill.parse.wording import count

PLANS_KEY = "plans"
PARAMETERS_KEY = "fsrs_parameters"
LAST_PASS_DAYS = 2
"""The last pass happens in the study days of the 48 hours before the interview."""
DEFAULT_TARGET = 0.9
TARGET_RANGE = (0.5, 0.99)


@dataclass(frozen=True)
class Plan:
    name: str
    date: date
    """The interview's day (a study day: it starts at ``day_starts_at`` local time)."""
    decks: tuple[str, ...] = ()
    """Deck names; empty means every deck."""
    target: float = DEFAULT_TARGET
    created: str = ""
    """When the plan was set (ISO UTC); cards reviewed since then count as brought in."""

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "date": self.date.isoformat(),
            "decks": list(self.decks),
            "target": self.target,
            "created": self.created,
        }

    @classmethod
    def from_dict(cls, data: object) -> "Plan | None":
        """The plan a stored dict describes, or None when it is not one (never raises)."""
        if not isinstance(data, dict):
            return None
        try:
            name = data["name"]
            when = date.fromisoformat(data["date"])
            decks = tuple(d for d in data.get("decks", ()) if isinstance(d, str))
            target = float(data.get("target", DEFAULT_TARGET))
            created = str(data.get("created", ""))
        except (KeyError, TypeError, ValueError):
            return None
        if not isinstance(name, str) or not name or not TARGET_RANGE[0] <= target <= TARGET_RANGE[1]:
            return None
        return cls(name, when, decks, target, created)


# ---------------------------------------------------------------------------- storage
def load_plans(store: Store) -> list[Plan]:
    """Every stored plan (ended ones too), soonest first."""
    raw = store.extra(PLANS_KEY) or []
    plans = [p for p in (Plan.from_dict(d) for d in raw if isinstance(raw, list)) if p is not None]
    plans.sort(key=lambda p: (p.date, p.name.casefold()))
    return plans


def active_plans(plans: Iterable[Plan], today: date) -> list[Plan]:
    """Plans whose date has not passed: a plan ends by itself after its day."""
    return [p for p in plans if p.date >= today]


def save_plan(store: Store, plan: Plan, today: date) -> Plan | None:
    """Add *plan*, replacing one of the same name (any case). Ended plans are dropped.

    Returns the plan it replaced, if any. Atomic, under the store's write lock.
    """
    with store.writing():
        plans = active_plans(load_plans(store), today)
        replaced = next((p for p in plans if p.name.casefold() == plan.name.casefold()), None)
        kept = [p for p in plans if p is not replaced] + [plan]
        store.set_extra(PLANS_KEY, [p.to_dict() for p in kept])
    return replaced


def clear_plans(store: Store, name: str | None = None) -> list[Plan]:
    """Remove the plan called *name* (any case), or every plan when *name* is None.

    Returns the plans removed (an empty list changes nothing on disk).
    """
    plans = load_plans(store)
    gone = [p for p in plans if name is None or p.name.casefold() == name.casefold()]
    if not gone:
        return []
    with store.writing():
        plans = load_plans(store)
        gone = [p for p in plans if name is None or p.name.casefold() == name.casefold()]
        store.set_extra(PLANS_KEY, [p.to_dict() for p in plans if p not in gone])
    return gone


def make_plan(name: str, date_text: str, decks: Iterable[str], target: str | float, now: datetime, hour: int = 4) -> Plan:
    """A plan from what a user typed (command line or form); ValueError with a one-line reason."""
    try:
        when = date.fromisoformat(str(date_text).strip())
    except ValueError:
        raise ValueError(f"DATE must look like 2026-12-15, not {date_text!r}") from None
    if when < study_day(now, hour):
        raise ValueError(f"{when.isoformat()} has passed; a plan needs today or a later day")
    value = parse_target(target)
    name = " ".join(str(name or "").split()) or default_name(when)
    return Plan(name, when, tuple(decks), value, iso(now))


def default_name(when: date) -> str:
    return f"Interview {when.day} {when.strftime('%b')}"


def parse_target(text: str | float) -> float:
    """A target recall from the command line: 0.9 or 90%. Raises ValueError."""
    raw = str(text).strip()
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise ValueError(f"target must be a number like 0.9 or 90%, not {text!r}") from None
    if value > 1 and not raw.endswith("%"):
        value /= 100  # "90" means 90%
    low, high = TARGET_RANGE
    if not low <= value <= high:
        raise ValueError(f"target must be between {low} and {high}, not {value:g}")
    return round(value, 4)


# ---------------------------------------------------------------------------- FSRS parameters
def fitted_parameters(store: Store) -> tuple[float, ...] | None:
    """FSRS parameters `drill optimize` fitted to this store's reviews, if any."""
    value = store.extra(PARAMETERS_KEY)
    if isinstance(value, dict):
        value = value.get("parameters")
    if isinstance(value, list) and value and all(isinstance(x, (int, float)) for x in value):
        return tuple(float(x) for x in value)
    return None


def scheduler_for(store: Store, settings: Settings | None = None) -> Scheduler:
    """The scheduler with the fitted parameters when there are some (defaults otherwise)."""
    return Scheduler(settings or store.settings, parameters=fitted_parameters(store))


# ---------------------------------------------------------------------------- readiness and today
def interview_moment(plan: Plan, settings: Settings) -> datetime:
    """When readiness is predicted for: the start of the interview's study day."""
    return start_of_study_day(plan.date, settings.day_starts_at)


@dataclass
class PlanDay:
    """One plan on one study day."""

    plan: Plan
    days_left: int
    decks: list[str]
    cards: int
    ready: int
    planned: list[int] = field(default_factory=list)
    """Cards today's queue should hold because of the plan, weakest first (before limits)."""
    fitted: list[int] = field(default_factory=list)
    """The planned cards that fit in today's daily limits."""
    last_pass: bool = False
    """Today is in the last-pass window (or is the interview's day)."""

    @property
    def today(self) -> int:
        return len(self.fitted)

    @property
    def short(self) -> int:
        return len(self.planned) - len(self.fitted)

    def to_json(self) -> dict:
        return {
            "name": self.plan.name,
            "date": self.plan.date.isoformat(),
            "days_left": self.days_left,
            "decks": self.decks,
            "cards": self.cards,
            "ready": self.ready,
            "target": self.plan.target,
            "today": self.today,
        }


@dataclass
class PlanAgenda:
    """Every active plan on one study day, with the cards they add to the queue."""

    days: list[PlanDay]
    new: list[int] = field(default_factory=list)
    """Planned new cards that fit today's new-card limit, in queue order."""
    reviews: list[int] = field(default_factory=list)
    """Planned cards already studied that fit today's review limit (learning ones are free)."""
    ordered: list[int] = field(default_factory=list)
    """All of them, weakest first: the order the queue takes them in."""
    counted_reviews: set[int] = field(default_factory=set)
    """The ones among ``reviews`` that use up a review of the daily limit (not learning cards)."""
    held_back: set[int] = field(default_factory=set)
    """New plan cards the plan paces over later days: not for the ordinary new queue today."""
    short_new: int = 0
    short_reviews: int = 0

    @property
    def short(self) -> int:
        return self.short_new + self.short_reviews


def planned_today(records: Iterable[dict], card_id_of: Callable[[dict], int | None]) -> set[int]:
    """Cards (ids, resolved by ``Store.card_id_of``) that today's records (see
    ``Store.recent_reviews``) show were reviewed because of a plan (the session marks such
    grades ``"plan": true``)."""
    return {cid for r in records if r.get("plan") and (cid := card_id_of(r)) is not None}


def plan_agenda(
    store: Store,
    now: datetime,
    settings: Settings,
    *,
    new_left: int,
    reviews_left: int,
    scheduler: Scheduler | None = None,
    plans: list[Plan] | None = None,
    today_records: list[dict] | None = None,
) -> PlanAgenda:
    """What the active plans add to the study day containing *now*, within the limits left."""
    hour = settings.day_starts_at
    today = study_day(now, hour)
    plans = active_plans(load_plans(store) if plans is None else plans, today)
    if not plans:
        return PlanAgenda([])
    scheduler = scheduler or scheduler_for(store, settings)
    today_start = iso(day_start(now, hour))
    if today_records is None:
        today_records = list(store.recent_reviews(today_start, until=iso(now)))
    done_for_plans = planned_today(today_records, store.card_id_of)
    now_iso = iso(now)
    known = [d.name for d in store.decks()]
    days: list[PlanDay] = []
    kinds: dict[int, str] = {}
    recall_of: dict[int, float] = {}
    for plan in plans:
        decks = [d for d in plan.decks if d in known] if plan.decks else known
        moment = interview_moment(plan, settings)
        cards = []
        for cid, doc in store.card_docs(decks):
            if doc.get("archived") or doc.get("suspended"):
                continue
            state = doc.get("state")
            recall = scheduler.retrievability(cid, state, moment) if state is not None else 0.0
            cards.append((recall, store.card_order(cid, doc), cid, doc))
        days_left = (plan.date - today).days
        day = PlanDay(plan, days_left, decks, len(cards), sum(1 for c in cards if c[0] >= plan.target))
        if days_left > LAST_PASS_DAYS:
            since = plan.created
            days_for_it = days_left - LAST_PASS_DAYS
            wanted = [c for c in cards if c[0] < plan.target]
        else:
            day.last_pass = True
            since = iso(start_of_study_day(plan.date - timedelta(days=LAST_PASS_DAYS), hour))
            days_for_it = max(1, days_left)
            wanted = cards
        pending = [c for c in wanted if not _reviewed_since(c[3].get("state"), since)]
        brought_today = sum(1 for c in cards if c[2] in done_for_plans)
        quota = max(0, math.ceil((len(pending) + brought_today) / days_for_it) - brought_today)
        pending = [c for c in pending if (c[3].get("buried_until") or "") <= now_iso]
        pending.sort(key=lambda c: (c[0], c[1]))
        day.planned = [c[2] for c in pending[:quota]]
        for recall, _, cid, doc in pending:
            state = doc.get("state")
            kinds[cid] = "new" if state is None else ("free" if state["state"] in (LEARNING, RELEARNING) else "review")
            recall_of[cid] = recall
        days.append(day)

    agenda = PlanAgenda(days)
    order: list[int] = []
    for day in days:  # soonest plan first, each weakest first
        order.extend(cid for cid in day.planned if cid not in order)
    fitted: set[int] = set()
    new_room, review_room = new_left, reviews_left
    for cid in sorted(order, key=lambda c: recall_of[c]):
        kind = kinds[cid]
        if kind == "new":
            if new_room > 0:
                new_room -= 1
                agenda.new.append(cid)
                agenda.ordered.append(cid)
                fitted.add(cid)
            else:
                agenda.short_new += 1
        elif kind == "review" and review_room <= 0:
            agenda.short_reviews += 1
        else:
            if kind == "review":
                review_room -= 1
                agenda.counted_reviews.add(cid)
            agenda.reviews.append(cid)
            agenda.ordered.append(cid)
            fitted.add(cid)
    for day in days:
        day.fitted = [cid for cid in day.planned if cid in fitted]
    planned_new = {cid for cid, kind in kinds.items() if kind == "new"}
    agenda.held_back = planned_new - fitted
    return agenda


def _reviewed_since(state: dict | None, since: str) -> bool:
    last = (state or {}).get("last_review")
    return bool(last) and last >= since


def plan_today(store: Store, now: datetime, settings: Settings | None = None, **kwargs) -> PlanAgenda:
    """Each active plan's readiness and today's share, with the daily limits left now."""
    from drill.study.session import left_today  # session builds on this module

    settings = settings or store.settings
    left = left_today(store, now, settings)
    return plan_agenda(store, now, settings, new_left=left.new, reviews_left=left.reviews, **kwargs)


# ---------------------------------------------------------------------------- wording
def when_text(days_left: int) -> str:
    if days_left <= 0:
        return "today"
    if days_left == 1:
        return "tomorrow"
    return f"in {days_left} days"


def plan_line(day: PlanDay) -> str:
    """'Acme onsite in 9 days · 23 of 31 ready · 6 today' (plain text: build UI labels from it as Text)."""
    return f"{day.plan.name} {when_text(day.days_left)} · {day.ready} of {day.cards} ready · {day.today} today"


def readiness_lines(days: Iterable[PlanDay], decks: Iterable[str] | None) -> list[str]:
    """For a mock report: the plans that cover any of *decks* (None/empty: all) and their readiness."""
    wanted = set(decks or ())
    out = []
    for day in days:
        if wanted and not wanted & set(day.decks):
            continue
        out.append(f"Plan {day.plan.name} ({when_text(day.days_left)}): {day.ready} of {count(day.cards, 'card')} ready")
    return out


def shortfall_line(agenda: PlanAgenda, settings: Settings) -> str | None:
    """What the daily limits keep out of today's plan, and the setting that would fit it."""
    if not agenda.short:
        return None
    parts = []
    if agenda.short_new:
        parts.append(f"`drill config new_per_day {settings.new_per_day + agenda.short_new}`")
    if agenda.short_reviews:
        parts.append(f"`drill config reviews_per_day {settings.reviews_per_day + agenda.short_reviews}`")
    cards = "card" if agenda.short == 1 else "cards"
    return f"Daily limits leave out {agenda.short} plan {cards} today; to fit them: {' and '.join(parts)}"
