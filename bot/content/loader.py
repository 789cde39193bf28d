"""Load content files and turn schema errors into one line naming the file and the field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.content.point_rules import PointRules
from bot.content.quiz_schema import PhaseQuiz, QuizBank
from bot.content.schema import Compensation, Roadmap

CONTENT_DIR = Path(__file__).resolve().parent
DEFAULT_ROADMAP = "standard"
DEFAULT_QUIZ_BANK = "standard"

ModelT = TypeVar("ModelT", bound=BaseModel)


class ContentError(Exception):
    """A content file is missing, is not YAML, or does not match its schema."""


def load_model(path: Path, model: type[ModelT]) -> ModelT:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ContentError(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ContentError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ContentError(_describe(path, exc)) from exc


def _describe(path: Path, exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "(top level)"
        problems.append(f"{where}: {error['msg']}")
    return f"{path}: " + "; ".join(problems)


@dataclass(frozen=True)
class ContentLibrary:
    """Every roadmap, quiz bank and rule file, validated once at start."""

    roadmaps: dict[str, Roadmap]
    compensation: Compensation
    quiz_banks: dict[str, QuizBank]
    point_rules: PointRules

    def roadmap(self, key: str | None) -> Roadmap:
        return self.roadmaps.get(key or DEFAULT_ROADMAP) or self.roadmaps[DEFAULT_ROADMAP]

    def quiz_bank(self, key: str | None) -> QuizBank:
        """A cohort's bank; the standard one if its bank was removed from the content."""
        return self.quiz_banks.get(key or DEFAULT_QUIZ_BANK) or self.quiz_banks[DEFAULT_QUIZ_BANK]


def load_library(directory: Path = CONTENT_DIR) -> ContentLibrary:
    roadmaps: dict[str, Roadmap] = {}
    for path in sorted(directory.glob("roadmap*.yaml")):
        roadmap = load_model(path, Roadmap)
        if roadmap.key in roadmaps:
            raise ContentError(f"{path}: key: roadmap {roadmap.key!r} is defined twice")
        roadmaps[roadmap.key] = roadmap
    if DEFAULT_ROADMAP not in roadmaps:
        raise ContentError(f"{directory}: no roadmap with key {DEFAULT_ROADMAP!r}")
    compensation = load_model(directory / "compensation.yaml", Compensation)
    return ContentLibrary(
        roadmaps=roadmaps,
        compensation=compensation,
        quiz_banks=load_quiz_banks(directory / "quizzes"),
        point_rules=load_model(directory / "points.yaml", PointRules),
    )


def load_quiz_banks(directory: Path) -> dict[str, QuizBank]:
    """Each folder under ``quizzes/`` is a bank named by the folder, with one file per phase."""
    banks: dict[str, QuizBank] = {}
    for folder in sorted(p for p in directory.iterdir() if p.is_dir()):
        phases = []
        for number in (1, 2, 3, 4):
            path = folder / f"phase-{number}.yaml"
            quiz = load_model(path, PhaseQuiz)
            if quiz.bank != folder.name:
                raise ContentError(f"{path}: bank: says {quiz.bank!r} but lives in {folder.name!r}")
            if quiz.phase != number:
                raise ContentError(
                    f"{path}: phase: says {quiz.phase} but the file is phase {number}"
                )
            phases.append(quiz)
        try:
            banks[folder.name] = QuizBank.model_validate({"key": folder.name, "phases": phases})
        except ValidationError as exc:
            raise ContentError(_describe(folder, exc)) from exc
    if DEFAULT_QUIZ_BANK not in banks:
        raise ContentError(f"{directory}: no quiz bank folder {DEFAULT_QUIZ_BANK!r}")
    return banks
