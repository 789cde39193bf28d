"""Every table, imported in one place so the metadata (and Alembic) sees them all."""

from bot.db.models.buttons import ButtonArgs
from bot.db.models.deliveries import Delivery, SendBudget
from bot.db.models.digests import DigestNote
from bot.db.models.members import Member, Pause
from bot.db.models.points import PointAward, Standing
from bot.db.models.progress import Checkin, MilestoneProgress
from bot.db.models.quizzes import QuizAnswer, QuizAttempt
from bot.db.models.records import AuditEntry, HandledRequest
from bot.db.models.tenancy import Cohort, CohortAdmin, Tenant
from bot.db.models.web_links import WebLink, WebLinkSecret

__all__ = [
    "AuditEntry",
    "ButtonArgs",
    "Checkin",
    "Cohort",
    "CohortAdmin",
    "Delivery",
    "DigestNote",
    "HandledRequest",
    "Member",
    "MilestoneProgress",
    "Pause",
    "PointAward",
    "QuizAnswer",
    "QuizAttempt",
    "SendBudget",
    "Standing",
    "Tenant",
    "WebLink",
    "WebLinkSecret",
]
