"""The site's authenticator: Bedside's own accounts, or the directory when bedside.toml says so."""

from __future__ import annotations

from pathlib import Path

from bedside_adapters.auth.config import load_auth_config
from bedside_adapters.auth.local import LocalAuthenticator
from bedside_adapters.db import user_store
from bedside_adapters.db.engine import Engine

from bedside.users import Authenticator


def site_authenticator(engine: Engine, config_path: Path | None = None) -> Authenticator:
    """`config_path`: bedside.toml (default: the data dir's, if any; local accounts without one)."""
    config = load_auth_config(config_path)
    if config.source == "ldap" and config.ldap is not None:
        from bedside_adapters.auth.ldap import LdapAuthenticator

        return LdapAuthenticator(config.ldap, accounts=user_store.lookup(engine))
    return LocalAuthenticator(engine)
