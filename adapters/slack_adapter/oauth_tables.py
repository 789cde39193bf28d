"""The tables slack-sdk's SQLAlchemy OAuth stores read and write, declared for our migrations.

The stores could create them themselves (``create_tables()``), but then the schema would live
outside Alembic and ``alembic check`` would report them. Instead the migrations create them and
the stores are only told their names.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import MetaData

BOTS_TABLE = "slack_bots"
INSTALLATIONS_TABLE = "slack_installations"
STATES_TABLE = "slack_oauth_states"


def oauth_metadata() -> MetaData:
    metadata = MetaData()
    AsyncSQLAlchemyInstallationStore.build_bots_table(metadata, BOTS_TABLE)
    AsyncSQLAlchemyInstallationStore.build_installations_table(metadata, INSTALLATIONS_TABLE)
    AsyncSQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, STATES_TABLE)
    return metadata
