"""The chat platforms whose settings are present, as services or as sending alone.

Each platform's modules are imported only when it is configured, so an unused SDK costs
nothing at start.
"""

from __future__ import annotations

from adapters.platform_service import PlatformInputs, PlatformSending, PlatformService


def build_services(inputs: PlatformInputs) -> list[PlatformService]:
    """What ``pivotbot serve`` runs: each configured platform, receiving and sending."""
    services: list[PlatformService] = []
    if inputs.settings.slack_configured:
        from adapters.slack_adapter.service import SlackService

        services.append(SlackService(inputs))
    if inputs.settings.discord_configured:
        from adapters.discord_adapter.service import DiscordService

        services.append(DiscordService(inputs))
    return services


def build_sendings(inputs: PlatformInputs) -> list[PlatformSending]:
    """What ``pivotbot jobs run-due`` needs: each configured platform's outbox, no listeners."""
    sendings: list[PlatformSending] = []
    if inputs.settings.slack_configured:
        from adapters.slack_adapter.sending import SlackSending

        sendings.append(SlackSending(inputs))
    if inputs.settings.discord_configured:
        from adapters.discord_adapter.sending import build_discord_sending

        sendings.append(build_discord_sending(inputs))
    return sendings
