"""The shape of roadmap and compensation files.

Content is data that organisers edit, so a mistake must stop the bot at start with the file,
the field and what was expected, never surface weeks later as a confusing reply.
"""

from __future__ import annotations

from typing import Annotated, Self
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")]
Line = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Paragraph = Annotated[str, StringConstraints(min_length=1, max_length=1200, strip_whitespace=True)]
# A title fits a chat button (Slack allows 75 characters, Discord 80).
Title = Annotated[str, StringConstraints(min_length=1, max_length=75, strip_whitespace=True)]


def _https_only(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or any(c.isspace() for c in url):
        raise ValueError(f"must be an https:// address, e.g. https://docs.pytest.org/, not {url!r}")
    return url


# Members open these links from chat, so a plain-http or malformed address is refused at load.
HttpsUrl = Annotated[
    str, StringConstraints(max_length=300, strip_whitespace=True), AfterValidator(_https_only)
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Resource(Strict):
    """A well-known course, book or manual for a milestone, and why it helps, in our words.

    Only long-lived addresses belong here (official documentation, established courses and
    books): a member may open one many months after the roadmap was written.
    """

    title: Title
    url: HttpsUrl
    note: Annotated[str, StringConstraints(min_length=1, max_length=150, strip_whitespace=True)]


class Milestone(Strict):
    key: Key
    title: Title
    description: Paragraph
    required: bool
    evidence: Line = Field(description="what proves it: a repo link, a write-up, ...")
    due: float = Field(gt=0, le=1, description="fraction of the phase by which the plan expects it")
    plan_months: tuple[int, int] | None = Field(
        default=None, description="a window of plan months that overrides `due`, e.g. [3, 4]"
    )
    resources: tuple[Resource, ...] = Field(
        min_length=2, max_length=4, description="two to four places to learn it from"
    )

    @model_validator(mode="after")
    def _window_is_ordered(self) -> Self:
        if self.plan_months is not None:
            first, last = self.plan_months
            if not 1 <= first <= last:
                raise ValueError("plan_months must be [first, last] with 1 <= first <= last")
        return self


class Phase(Strict):
    number: int = Field(ge=1, le=4)
    key: Key
    title: Line
    goal: Paragraph
    checkpoint: Paragraph = Field(description="the phase's own test of readiness")
    milestones: tuple[Milestone, ...] = Field(min_length=3)

    @model_validator(mode="after")
    def _has_required_milestone(self) -> Self:
        if not any(m.required for m in self.milestones):
            raise ValueError("a phase needs at least one required milestone for its gate")
        return self


class Track(Strict):
    key: Key
    title: Line
    description: Paragraph
    phase_months: tuple[int, int, int, int] = Field(description="months per phase, in order")
    placement_quiz: bool = False

    @property
    def months(self) -> int:
        return sum(self.phase_months)


class Roadmap(Strict):
    key: Key
    title: Line
    summary: Paragraph
    minimum_months: int = Field(ge=1)
    minimum_reason: Paragraph
    phases: tuple[Phase, Phase, Phase, Phase]
    tracks: tuple[Track, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        numbers = [p.number for p in self.phases]
        if numbers != [1, 2, 3, 4]:
            raise ValueError(f"phases must be numbered 1, 2, 3, 4 in order, got {numbers}")
        keys = [m.key for p in self.phases for m in p.milestones]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"milestone keys must be unique across phases: {duplicates}")
        for track in self.tracks:
            if track.months < self.minimum_months:
                raise ValueError(
                    f"track {track.key!r} lasts {track.months} months, under the minimum of "
                    f"{self.minimum_months}: {self.minimum_reason}"
                )
            if any(m < 1 for m in track.phase_months):
                raise ValueError(f"track {track.key!r}: every phase needs at least one month")
        return self

    def phase(self, number: int) -> Phase:
        return self.phases[min(max(number, 1), 4) - 1]

    def track(self, key: str) -> Track | None:
        return next((t for t in self.tracks if t.key == key), None)

    def find_milestone(self, key: str) -> tuple[Phase, Milestone] | None:
        for phase in self.phases:
            for milestone in phase.milestones:
                if milestone.key == key:
                    return phase, milestone
        return None


class CompensationBand(Strict):
    key: Key
    label: Line
    experience: Line
    base_increase_low: int = Field(ge=0)
    base_increase_high: int = Field(ge=0)
    note: Line

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.base_increase_low > self.base_increase_high:
            raise ValueError("base_increase_low must not exceed base_increase_high")
        return self


class Compensation(Strict):
    year: int
    senior_premium_low_percent: int = Field(ge=0, le=100)
    senior_premium_high_percent: int = Field(ge=0, le=100)
    senior_premium_text: Line
    bands: tuple[CompensationBand, ...] = Field(min_length=1)
    timing_note: Paragraph
