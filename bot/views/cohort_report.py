"""The admin's private cohort report."""

from __future__ import annotations

from bot.domain.cohort_signals import LOW_CONFIDENCE, LOW_RUN, SHARED_BY, SharedBlocker
from bot.messages import Block, Header, Section
from bot.services.cohort_report import RATE_WEEKS, AtRisk, CohortReport
from bot.services.cohort_signals import LowConfidence, MonthHours
from bot.services.cohort_stats import ATTEMPTS_APART, GateRate
from bot.views.formatting import hours, percent, plural

AT_RISK_SHOWN = 20  # keeps the section under Slack's 3,000 characters
LISTED = 12  # names shown beside one shared blocker


def _risk_line(risk: AtRisk) -> str:
    reasons = []
    if risk.silent_weeks is not None:
        reasons.append(f"silent {plural(risk.silent_weeks, 'week')}")
    if risk.behind_weeks is not None:
        reasons.append(f"{plural(risk.behind_weeks, 'week')} behind their plan")
    return f"• {risk.display_name} — {', '.join(reasons)}"


def report_blocks(report: CohortReport) -> tuple[Block, ...]:
    overall = report.overall_rate
    rate_lines = tuple(
        f"{r.week}: {r.checked_in} of {r.expected} ({percent(r.checked_in, r.expected)})"
        for r in report.rates
    )
    phases = tuple(
        f"Phase {n}: {plural(c, 'member')}" for n, c in enumerate(report.per_phase, start=1)
    )
    if report.at_risk:
        shown = report.at_risk[:AT_RISK_SHOWN]
        more = len(report.at_risk) - len(shown)
        risk_text = "\n".join(_risk_line(r) for r in shown) + (
            f"\n…and {more} more." if more > 0 else ""
        )
        at_risk = Section(
            f"At risk ({len(report.at_risk)}): silent 3+ weeks or 4+ weeks behind their own "
            "plan; members on a pause are left out. A personal note works better than a "
            f"public nudge.\n{risk_text}"
        )
    else:
        at_risk = Section("Nobody is at risk: no one silent 3+ weeks or 4+ weeks behind.")
    gates = tuple(
        f"Phase {g.phase} gate: "
        + (
            f"{g.passed} of {plural(g.attempts, 'attempt')} passed "
            f"({percent(g.passed, g.attempts)}), {plural(g.members_passed, 'member')} through"
            f" · {_by_attempt(g)}"
            if g.attempts
            else "no attempts yet"
        )
        for g in report.gates
    )
    return (
        Header(f"Cohort report · {report.cohort_name} · {report.this_week} (only you see this)"),
        Section(
            "Check-in rate over the last 4 complete weeks: "
            + (percent(overall, 1) if overall is not None else "no one was expected yet"),
            rate_lines,
        ),
        Section(f"Members per phase ({sum(report.per_phase)} active):", phases),
        at_risk,
        _blockers(report.shared_blockers),
        _low_confidence(report.low_confidence),
        _hours(report.monthly_hours),
        Section("Gate pass rates:", gates),
    )


_ORDINALS = {1: "1st attempts", 2: "2nd attempts", ATTEMPTS_APART: "3rd or later"}


def _by_attempt(gate: GateRate) -> str:
    return ", ".join(
        f"{_ORDINALS[a.number]} {a.passed} of {a.attempts} ({percent(a.passed, a.attempts)})"
        for a in gate.by_attempt
    )


def _blockers(shared: tuple[SharedBlocker, ...]) -> Section:
    if not shared:
        return Section(
            f"No blocker was named by {SHARED_BY} or more members in the last {RATE_WEEKS} "
            "weeks and this one."
        )
    lines = "\n".join(f"• {b.topic} — {_names(b.members)}" for b in shared)
    return Section(
        f"Blockers several members share (the last {RATE_WEEKS} weeks and this one): one "
        f"session on a topic may help them all.\n{lines}"
    )


def _names(names: tuple[str, ...]) -> str:
    more = len(names) - LISTED
    return ", ".join(names[:LISTED]) + (f" and {more} more" if more > 0 else "")


def _low_confidence(low: tuple[LowConfidence, ...]) -> Section:
    if not low:
        return Section(
            f"Nobody has reported confidence of {LOW_CONFIDENCE} or lower in {LOW_RUN} "
            "check-ins running."
        )
    shown = low[:AT_RISK_SHOWN]
    lines = "\n".join(
        f"• {entry.display_name} — {', '.join(map(str, entry.run))} in their last "
        f"{plural(len(entry.run), 'check-in')}"
        for entry in shown
    )
    more = f"\n…and {len(low) - len(shown)} more." if len(low) > len(shown) else ""
    return Section(
        f"Confidence of {LOW_CONFIDENCE} or lower, {LOW_RUN} check-ins running or more "
        f"(1-5):\n{lines}{more}"
    )


def _hours(months: tuple[MonthHours, ...]) -> Section:
    lines = []
    for entry in months:
        label = f"{entry.month:%b %Y}" + ("" if entry.complete else " so far")
        spread = entry.spread
        lines.append(
            f"{label}: median {hours(spread.median)}, range {hours(spread.least)}–"
            f"{hours(spread.most)} across {plural(spread.members, 'member')}"
            if spread is not None
            else f"{label}: no members yet"
        )
    return Section("Hours per member per month:", tuple(lines))
