"""The admin's private cohort report."""

from __future__ import annotations

from bot.messages import Block, Header, Section
from bot.services.cohort_report import AtRisk, CohortReport
from bot.views.formatting import percent, plural

AT_RISK_SHOWN = 20  # keeps the section under Slack's 3,000 characters


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
        Section("Gate pass rates:", gates),
    )
