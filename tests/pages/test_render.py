"""The HTML of the pages: self-contained, allowed by a strict policy, escaped and semantic."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

from adapters.web_pages.render import csp_hash, render_page, render_refusal
from bot.pages import (
    AttemptPassRate,
    DashboardMember,
    DashboardPage,
    GateAttemptItem,
    GatePassRate,
    MilestoneItem,
    PaceBand,
    PhaseStep,
    RepeatedBlocker,
    RiskEntry,
    RoadmapPage,
    WeekCell,
    WeekRatePoint,
)
from bot.services.page_data import PACE_BANDS

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
SNEAKY = '<script>alert("x")</script>'


def dashboard(**changes: object) -> DashboardPage:
    members = (
        DashboardMember("ada", 2, 4, 24, "ahead", 3, "ahead by 3 weeks", 12, date(2027, 2, 22)),
        DashboardMember(SNEAKY, 1, 4, 24, "behind", -2, "behind by 2 weeks", 0, None, None, True),
    )
    values: dict[str, object] = {
        "cohort_name": "spring",
        "generated_at": NOW,
        "members": members,
        "this_week": "2027-W09",
        "per_phase": (1, 1, 0, 0),
        "pace_bands": tuple(
            PaceBand(label, state, 1 if i in (1, 3) else 0)
            for i, (state, label) in enumerate(PACE_BANDS)
        ),
        "weekly": tuple(
            WeekRatePoint(f"2027-W0{n}", date(2027, 1, 4) + timedelta(weeks=n - 1), 1, 2, n < 9)
            for n in range(1, 10)
        ),
        "recent_rate": 0.5,
        "gates": (
            GatePassRate(1, 2, 1, 1, (AttemptPassRate("1st attempts", 2, 1),)),
            GatePassRate(2, 0, 0, 0, ()),
        ),
        "at_risk": (RiskEntry(SNEAKY, ("quiet for 3 weeks",)),),
        "blockers": (RepeatedBlocker("docker", ("ada", SNEAKY)),),
    }
    values.update(changes)
    return DashboardPage(**values)  # type: ignore[arg-type]


def roadmap() -> RoadmapPage:
    start = date(2026, 11, 30)
    phases = tuple(
        PhaseStep(
            n,
            f"Phase title {n}",
            f"Checkpoint question {n}?",
            1 + 6 * (n - 1),
            6 * n,
            start + timedelta(days=182 * (n - 1)),
            start + timedelta(days=182 * n),
            "passed" if n == 1 else "current" if n == 2 else "ahead",
            (
                MilestoneItem(f"m{n}a", "First", True, "done", start, start, "javascript:alert(1)"),
                MilestoneItem(f"m{n}b", "Second", False, "due", start + timedelta(days=90)),
                MilestoneItem(
                    f"m{n}c", "Third", True, "done", start, start, "https://example.org/proof"
                ),
            ),
        )
        for n in range(1, 5)
    )
    weeks = tuple(
        WeekCell(
            f"W{i}",
            start + timedelta(weeks=i - 40),
            "checked in" if i % 3 else "paused" if i > 40 else "before the plan",
            6.0 if i % 3 else None,
        )
        for i in range(52)
    )
    return RoadmapPage(
        member_name=SNEAKY,
        cohort_name="spring",
        generated_at=NOW,
        roadmap_title="Data scientist to ML engineer",
        track="standard",
        today=date(2027, 3, 1),
        phase=2,
        phase_title="Phase title 2",
        month_text="Month 4 of 24",
        pace_text="on track",
        pace_meaning="Within a week of the plan.",
        streak=3,
        phases=phases,
        weeks=weeks,
        attempts=(GateAttemptItem(1, 1, "gate", "passed", 7, 8, 80, date(2027, 2, 1)),),
    )


def _inline(html: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.DOTALL)


def test_each_inline_style_and_script_is_allowed_by_its_hash():
    for rendered in (render_page(dashboard()), render_page(roadmap()), render_refusal("t", "m")):
        assert [csp_hash(s) for s in _inline(rendered.html, "style")] == list(rendered.style_hashes)
        assert [csp_hash(s) for s in _inline(rendered.html, "script")] == list(
            rendered.script_hashes
        )
    assert len(render_page(dashboard()).script_hashes) == 1  # the sort script
    assert render_page(roadmap()).script_hashes == ()  # nothing to sort: no script at all


def test_nothing_a_strict_policy_would_block_and_nothing_from_another_host():
    for rendered in (render_page(dashboard()), render_page(roadmap()), render_refusal("t", "m")):
        html = rendered.html
        assert not re.search(r"\sstyle=", html)
        assert not re.search(r"\son[a-z]+=", html)
        assert not re.search(r"<(img|iframe|object|embed)\b", html)
        assert re.findall(r"<link\b[^>]*>", html) == ['<link rel="icon" href="data:,">']
        assert not re.search(r"\ssrc=", html)
        assert "@import" not in html
        assert "url(http" not in html
        assert "unsafe-inline" not in html


def test_what_members_wrote_is_escaped_and_only_web_links_become_links():
    for rendered in (render_page(dashboard()), render_page(roadmap())):
        assert SNEAKY not in rendered.html
        assert "&lt;script&gt;alert(" in rendered.html
    html = render_page(roadmap()).html
    assert 'href="javascript:' not in html
    assert 'href="https://example.org/proof" rel="noopener noreferrer"' in html


class _Outline(HTMLParser):
    """Headings, tables with their captions, and header cells with their scope."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.tables = 0
        self.captions = 0
        self.unscoped_th = 0
        self.svgs = 0
        self.svg_titles = 0
        self.figures = 0
        self.figcaptions = 0
        self.marks: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(tag)
        self.tables += tag == "table"
        self.captions += tag == "caption"
        self.unscoped_th += tag == "th" and "scope" not in found
        if tag == "svg" and found.get("aria-hidden") != "true":  # a legend's swatch is hidden
            self.svgs += 1
            assert found.get("role") == "img"
            assert found.get("aria-labelledby")
        self.svg_titles += tag == "desc"
        self.figures += tag == "figure"
        self.figcaptions += tag == "figcaption"
        if "data-mark" in found:
            kind = found["data-mark"] or ""
            self.marks[kind] = self.marks.get(kind, 0) + 1


def _outline(html: str) -> _Outline:
    outline = _Outline()
    outline.feed(html)
    return outline


def test_one_h1_every_table_captioned_every_header_scoped_every_chart_described():
    for page in (dashboard(), roadmap()):
        outline = _outline(render_page(page).html)
        assert outline.headings.count("h1") == 1
        assert outline.headings[0] == "h1"
        assert outline.tables == outline.captions
        assert outline.unscoped_th == 0
        assert outline.svgs == outline.svg_titles == outline.figures == outline.figcaptions
        assert outline.svgs >= 4


def test_the_charts_draw_one_mark_for_each_figure_behind_them():
    marks = _outline(render_page(dashboard()).html).marks
    # four phases + five pace bands + nine weeks + one phase-1 attempt group
    assert marks == {"bar": 4 + 5 + 9 + 1}
    road = _outline(render_page(roadmap()).html).marks
    assert road["phase"] == 4
    assert road["position"] == 1
    assert road["week"] == 52
    checked = sum(1 for n in range(52) if n % 3)
    assert road["bar"] == checked + 1  # the hours of each check-in, and one gate attempt


def test_the_member_table_carries_sort_values_and_starts_sorted_by_name():
    html = render_page(dashboard()).html
    assert '<th scope="col" aria-sort="ascending">Member</th>' in html
    assert 'data-sort="-2"' in html  # behind by two weeks sorts below on track
    assert 'data-sort="2027-02-22"' in html
    assert "hidden from boards" in html


def test_an_empty_cohort_still_draws_a_page():
    empty = dashboard(members=(), per_phase=(0, 0, 0, 0), weekly=(), recent_rate=None, gates=())
    html = render_page(empty).html
    assert "No gate quiz has been finished yet." in html
    assert "Nobody right now." not in html  # the at-risk list above is not empty


def test_the_refusal_page_says_what_happened_and_what_to_do():
    html = render_refusal(
        "This link no longer works", "Ask the bot for a new one: /pivot roadmap."
    ).html
    assert "<h1>This link no longer works</h1>" in html
    assert "Ask the bot for a new one: /pivot roadmap." in html
    assert "<script>" not in html
