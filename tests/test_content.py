"""The roadmap is validated data: every step of the seed is there, and mistakes fail loudly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.content.loader import CONTENT_DIR, ContentError, load_library, load_model
from bot.content.schema import Roadmap

SEED_STEPS = {
    1: [
        "cs-curriculum",
        "web-service",
        "git-workflow",
        "write-tests",
        "contribute-codebase",
        "manager-conversation",
        "explain-service",
    ],
    2: ["docker", "kubernetes-basics", "ci-cd", "orchestration", "cloud-deep", "e2e-pipeline"],
    3: [
        "project-choice",
        "dataset",
        "business-metric",
        "trained-model",
        "api-deployment",
        "monitoring",
        "iteration",
        "public-writeup",
    ],
    4: ["portfolio-polish", "blog-posts", "recruiter-calls", "transition-story", "job-search"],
}


def test_the_roadmap_has_four_phases_with_every_step_of_the_seed() -> None:
    roadmap = load_library().roadmap("standard")
    for phase in roadmap.phases:
        keys = [m.key for m in phase.milestones]
        assert sorted(keys) == sorted(SEED_STEPS[phase.number])
    assert "CS50" in roadmap.phase(1).milestones[3].description
    assert "junior engineer" in roadmap.phase(1).checkpoint


def test_the_manager_conversation_is_due_in_month_3_or_4_with_a_concrete_ask() -> None:
    found = load_library().roadmap("standard").find_milestone("manager-conversation")
    assert found is not None
    _, milestone = found
    assert milestone.plan_months == (3, 4)
    for ask in ("production systems", "stretch project", "rotation"):
        assert ask in milestone.description


def test_tracks_are_24_months_standard_and_18_months_fast() -> None:
    roadmap = load_library().roadmap("standard")
    standard, fast = roadmap.track("standard"), roadmap.track("fast")
    assert standard is not None
    assert fast is not None
    assert standard.phase_months == (6, 6, 6, 6)
    assert fast.months == 18
    assert fast.phase_months[0] < 6  # phase 1 compressed


def test_the_compensation_figures_are_the_seeds() -> None:
    comp = load_library().compensation
    bands = {b.key: (b.base_increase_low, b.base_increase_high) for b in comp.bands}
    assert bands == {
        "mid": (25_000, 45_000),
        "senior": (40_000, 80_000),
        "internal": (15_000, 30_000),
    }
    assert (comp.senior_premium_low_percent, comp.senior_premium_high_percent) == (25, 40)
    assert "three years" in comp.timing_note


def _broken_roadmap(tmp_path: Path, mutate: object) -> Path:
    data = yaml.safe_load((CONTENT_DIR / "roadmap.yaml").read_text())
    mutate(data)  # type: ignore[operator]
    path = tmp_path / "roadmap.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_bad_file_names_the_file_the_field_and_what_was_expected(tmp_path: Path) -> None:
    path = _broken_roadmap(tmp_path, lambda d: d["phases"][0]["milestones"][1].pop("required"))
    with pytest.raises(ContentError) as caught:
        load_model(path, Roadmap)
    message = str(caught.value)
    assert str(path) in message
    assert "phases.0.milestones.1.required: Field required" in message


def test_a_track_shorter_than_18_months_is_refused_with_the_seeds_reason(tmp_path: Path) -> None:
    def shorten(data: dict) -> None:
        data["tracks"][1]["phase_months"] = [1, 4, 4, 3]

    with pytest.raises(ContentError) as caught:
        load_model(_broken_roadmap(tmp_path, shorten), Roadmap)
    assert "lasts 12 months, under the minimum of 18" in str(caught.value)
    assert "rewritten resume" in str(caught.value)


def test_every_milestone_points_to_well_known_places_to_learn_it() -> None:
    roadmap = load_library().roadmap("standard")
    urls = {m.key: [r.url for r in m.resources] for p in roadmap.phases for m in p.milestones}
    assert all(2 <= len(found) <= 4 for found in urls.values())
    assert "https://cs50.harvard.edu/x/" in urls["cs-curriculum"]
    assert "https://bradfieldcs.com/" in urls["cs-curriculum"]
    assert "https://git-scm.com/book/en/v2" in urls["git-workflow"]
    assert "https://docs.pytest.org/" in urls["write-tests"]
    assert {"https://docs.aws.amazon.com/", "https://cloud.google.com/docs"} <= set(
        urls["cloud-deep"]
    )
    for tool in ("mlflow.org", "dvc.org", "evidentlyai.com"):
        assert any(tool in url for url in urls["e2e-pipeline"]), tool


def _first_resources(data: dict) -> list[dict]:
    resources: list[dict] = data["phases"][0]["milestones"][0]["resources"]
    return resources


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: _first_resources(d).__delitem__(slice(1, None)),
            "phases.0.milestones.0.resources: Tuple should have at least 2 items",
        ),
        (
            lambda d: _first_resources(d).extend(
                [{"title": "More", "url": "https://example.org/", "note": "Another one."}] * 2
            ),
            "phases.0.milestones.0.resources: Tuple should have at most 4 items",
        ),
        (
            lambda d: _first_resources(d)[0].update(url="http://git-scm.com/book/en/v2"),
            "phases.0.milestones.0.resources.0.url: Value error, must be an https:// address",
        ),
        (
            lambda d: _first_resources(d)[1].update(note=" "),
            "phases.0.milestones.0.resources.1.note: String should have at least 1 character",
        ),
        (
            lambda d: _first_resources(d)[1].update(title="x" * 76),
            "phases.0.milestones.0.resources.1.title: String should have at most 75 characters",
        ),
        (
            lambda d: d["phases"][1]["milestones"][2].pop("resources"),
            "phases.1.milestones.2.resources: Field required",
        ),
    ],
    ids=["one", "five", "http", "empty-note", "long-title", "missing"],
)
def test_a_bad_resource_list_is_refused_naming_the_file_and_field(
    tmp_path: Path, mutate: object, expected: str
) -> None:
    path = _broken_roadmap(tmp_path, mutate)
    with pytest.raises(ContentError) as caught:
        load_model(path, Roadmap)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_a_file_that_is_not_yaml_fails_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "roadmap.yaml"
    path.write_text("phases: [unclosed")
    with pytest.raises(ContentError, match="not valid YAML"):
        load_model(path, Roadmap)
