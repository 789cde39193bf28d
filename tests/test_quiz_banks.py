"""Every question bank is valid data, and a broken one stops the bot naming file and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.loader import CONTENT_DIR, ContentError, ContentLibrary, load_library
from bot.content.quiz_schema import MAX_OPTION_CHARS, MIN_QUESTIONS_PER_PHASE, normalised
from bot.domain.quiz import retakes_without_repeats
from bot.messages import Button

DISCORD_CUSTOM_ID = 100
DEFAULT_QUESTIONS = 8  # a new cohort's questions per attempt
ANSWER_COMMAND = "quiz answer"


def test_every_bank_has_four_phases_of_at_least_fifteen_questions(content: ContentLibrary):
    assert "standard" in content.quiz_banks
    for bank in content.quiz_banks.values():
        assert [p.phase for p in bank.phases] == [1, 2, 3, 4]
        for phase in bank.phases:
            assert len(phase.questions) >= MIN_QUESTIONS_PER_PHASE, (bank.key, phase.phase)


def test_the_standard_bank_covers_a_retake_without_a_repeat_at_the_default_size(
    content: ContentLibrary,
):
    """A failed attempt shows its explanations, so a retake must not ask those questions."""
    bank = content.quiz_bank("standard")
    assert retakes_without_repeats(bank.smallest_phase, DEFAULT_QUESTIONS) >= 1
    for phase in bank.phases:
        assert len(phase.questions) >= 2 * DEFAULT_QUESTIONS, phase.phase


def test_every_question_has_three_to_five_options_and_exactly_one_correct(
    content: ContentLibrary,
):
    for bank in content.quiz_banks.values():
        for phase in bank.phases:
            for question in phase.questions:
                assert 3 <= len(question.options) <= 5, question.id
                assert sum(o.correct for o in question.options) == 1, question.id
                assert all(len(o.text) <= MAX_OPTION_CHARS for o in question.options)
                assert question.explanation.strip(), question.id


def test_no_question_is_asked_twice_in_a_bank(content: ContentLibrary):
    for bank in content.quiz_banks.values():
        texts = [normalised(q.question) for p in bank.phases for q in p.questions]
        ids = [q.id for p in bank.phases for q in p.questions]
        assert len(set(texts)) == len(texts)
        assert len(set(ids)) == len(ids)


def test_every_answer_button_fits_discord_and_slack_limits(content: ContentLibrary):
    """A ten-digit attempt id, the last position and option, plus a prefix and a guild id as
    an adapter may add them: still far inside Discord's 100-character custom id."""
    for bank in content.quiz_banks.values():
        for phase in bank.phases:
            for question in phase.questions:
                for number, option in enumerate(question.options, start=1):
                    button = Button(
                        option.text,
                        ANSWER_COMMAND,
                        (("a", 9_999_999_999), ("q", 14), ("n", number)),
                    )
                    query = "&".join(f"{k}={v}" for k, v in button.args)
                    custom_id = f"pivot:{button.command}:{query}&_g={'9' * 20}"
                    assert len(custom_id) <= DISCORD_CUSTOM_ID
                    assert len(button.label) <= MAX_OPTION_CHARS


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_question_with_two_correct_options_fails_at_load_naming_file_and_field(
    content_copy: Path,
):
    phase_1 = content_copy / "quizzes" / "standard" / "phase-1.yaml"
    _edit(
        phase_1,
        '      - text: "Merge your branch into main locally, then push main"\n',
        '      - text: "Merge your branch into main locally, then push main"\n'
        "        correct: true\n",
    )
    with pytest.raises(ContentError) as error:
        load_library(content_copy)
    message = str(error.value)
    assert "phase-1.yaml" in message
    assert "questions.0" in message
    assert "exactly one option must be `correct: true`, found 2" in message


def test_an_option_too_long_for_a_button_fails_at_load(content_copy: Path):
    phase_2 = content_copy / "quizzes" / "standard" / "phase-2.yaml"
    text = phase_2.read_text(encoding="utf-8")
    first_option = text.split('- text: "', 1)[1].split('"', 1)[0]
    _edit(phase_2, first_option, "x" * (MAX_OPTION_CHARS + 1))
    with pytest.raises(ContentError, match=r"phase-2\.yaml: questions\.0\.options\.0\.text"):
        load_library(content_copy)


def test_a_question_copied_word_for_word_fails_at_load(content_copy: Path):
    phase_3 = content_copy / "quizzes" / "standard" / "phase-3.yaml"
    text = phase_3.read_text(encoding="utf-8")
    first = text.index("  - id: ")
    second = text.index("  - id: ", first + 1)
    duplicate = text[first:second].replace("  - id: ", "  - id: copy-", 1)
    phase_3.write_text(text + "\n" + duplicate, encoding="utf-8")
    with pytest.raises(ContentError, match="ask the same thing word for word"):
        load_library(content_copy)


def test_a_cohort_bank_missing_a_phase_fails_at_load(content_copy: Path):
    own = content_copy / "quizzes" / "acme"
    shutil.copytree(content_copy / "quizzes" / "standard", own)
    for path in own.glob("*.yaml"):
        _edit(path, "bank: standard", "bank: acme")
    (own / "phase-4.yaml").unlink()
    with pytest.raises(ContentError, match=r"acme/phase-4\.yaml: cannot read"):
        load_library(content_copy)


def test_a_cohort_bank_is_loaded_beside_the_standard_one(content_copy: Path):
    own = content_copy / "quizzes" / "acme"
    shutil.copytree(content_copy / "quizzes" / "standard", own)
    for path in own.glob("*.yaml"):
        _edit(path, "bank: standard", "bank: acme")
    library = load_library(content_copy)
    assert set(library.quiz_banks) == {"acme", "standard"}
    assert library.quiz_bank("gone").key == "standard"


def test_a_file_in_the_wrong_bank_folder_fails_at_load(content_copy: Path):
    own = content_copy / "quizzes" / "acme"
    shutil.copytree(content_copy / "quizzes" / "standard", own)
    with pytest.raises(ContentError, match=r"acme/phase-1\.yaml: bank: says 'standard'"):
        load_library(content_copy)
