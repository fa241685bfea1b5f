"""The site's sign-in configuration: the `[auth]` table of bedside.toml.

bedside.toml lives in the data dir (or is named by --auth-config). Without it, or without `[auth]`,
accounts are Bedside's own (local). A site with a directory says so:

    [auth]
    source = "ldap"
    idle_lock_minutes = 5

    [auth.ldap]
    url = "ldaps://ldap.hospital.example"
    user_dn_template = "uid={username},ou=people,dc=hospital,dc=example"

    [auth.ldap.groups]
    "cn=icu-intensivists,ou=groups,dc=hospital,dc=example" = "intensivist"
    "cn=icu-nurses,ou=groups,dc=hospital,dc=example" = "nurse"

docs/security.md ("Directory (LDAP / Active Directory) sign-in") describes every setting. A mistake in
the file (an unknown key, a role that does not exist, a readable password file) stops the program with
the key named, rather than signing people in some other way than the site wrote.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from bedside.users import Role

from .ldap import LdapSettings, tls_context

CONFIG_NAME = "bedside.toml"
DEFAULT_IDLE_LOCK_MINUTES = 5.0


class AuthConfigError(ValueError):
    """bedside.toml's [auth] says something Bedside cannot follow; the message names the key."""


@dataclass(frozen=True, kw_only=True)
class AuthConfig:
    source: Literal["local", "ldap"] = "local"
    idle_lock_minutes: float = DEFAULT_IDLE_LOCK_MINUTES
    """Idle time after which a screen locks (its trends and alerts stay visible, read-only)."""
    ldap: LdapSettings | None = None
    path: Path | None = None
    """The file it was read from; None for the defaults."""


_AUTH_KEYS = {"source", "idle_lock_minutes", "ldap"}
_LDAP_KEYS = {
    "url",
    "groups",
    "user_dn_template",
    "bind_dn",
    "bind_password_file",
    "user_search_base",
    "user_filter",
    "username_attribute",
    "name_attributes",
    "member_of_attribute",
    "group_search_base",
    "group_filter",
    "start_tls",
    "allow_plaintext",
    "ca_file",
    "timeout_seconds",
}

_LDAP_TYPES: dict[str, type] = {
    **{
        key: str
        for key in (
            "user_dn_template",
            "bind_dn",
            "bind_password_file",
            "user_search_base",
            "user_filter",
            "username_attribute",
            "member_of_attribute",
            "group_search_base",
            "group_filter",
            "ca_file",
        )
    },
    "start_tls": bool,
    "allow_plaintext": bool,
    "timeout_seconds": int,
}
_KIND_NAMES = {str: "a string", bool: "true or false", int: "a whole number"}


def default_config_path() -> Path:
    from bedside_adapters.db.engine import data_dir

    return data_dir() / CONFIG_NAME


def load_auth_config(path: Path | None = None) -> AuthConfig:
    """The [auth] of `path` (which must exist), or of bedside.toml in the data dir when there is one;
    local accounts otherwise."""
    if path is None:
        path = default_config_path()
        if not path.exists():
            return AuthConfig()
    try:
        with path.open("rb") as f:
            document = tomllib.load(f)
    except OSError as exc:
        raise AuthConfigError(f"{path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise AuthConfigError(f"{path}: {exc}") from None
    return auth_config(document.get("auth", {}), path)


def auth_config(table: dict[str, Any], path: Path | None = None) -> AuthConfig:
    """An [auth] table, read (`path` names the file in messages and anchors relative file names)."""
    where = f"{path}: " if path else ""
    _no_unknown(table, _AUTH_KEYS, f"{where}[auth]")
    source = table.get("source", "local")
    if source not in ("local", "ldap"):
        raise AuthConfigError(f'{where}[auth] source must be "local" or "ldap", not {source!r}')
    idle = table.get("idle_lock_minutes", DEFAULT_IDLE_LOCK_MINUTES)
    if isinstance(idle, bool) or not isinstance(idle, int | float) or idle <= 0:
        raise AuthConfigError(f"{where}[auth] idle_lock_minutes must be a positive number of minutes")
    ldap_table = table.get("ldap")
    if source == "ldap" and ldap_table is None:
        raise AuthConfigError(f'{where}[auth] source = "ldap" needs an [auth.ldap] table')
    ldap = None
    if source == "ldap":
        try:
            ldap = ldap_settings(ldap_table, path.parent if path else Path.cwd())
        except ValueError as exc:
            raise AuthConfigError(f"{where}{exc}") from None
    return AuthConfig(source=source, idle_lock_minutes=float(idle), ldap=ldap, path=path)


def ldap_settings(table: dict[str, Any], base: Path) -> LdapSettings:
    """[auth.ldap], read; file names relative to `base` (the configuration file's folder)."""
    _no_unknown(table, _LDAP_KEYS, "[auth.ldap]")
    for key, kind in _LDAP_TYPES.items():
        value = table.get(key, kind())
        # A TOML boolean is a Python int: start_tls = 1 or timeout_seconds = true are mistakes.
        if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
            raise ValueError(f"[auth.ldap] {key} must be {_KIND_NAMES[kind]}")
    urls = table.get("url")
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise ValueError("[auth.ldap] url must be a URL or a list of URLs")
    groups = table.get("groups", {})
    if not isinstance(groups, dict):
        raise ValueError("[auth.ldap] groups must be a table of group DN = role")
    group_roles = []
    for dn, role in groups.items():
        if role not in {r.value for r in Role}:
            raise ValueError(f"[auth.ldap] groups: {dn} maps to {role!r}, which is not a role")
        group_roles.append((dn, Role(role)))
    password_file = table.get("bind_password_file")
    ca_file = table.get("ca_file")
    names = table.get("name_attributes", ["displayName", "cn"])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValueError("[auth.ldap] name_attributes must be a list of attribute names")
    optional = {
        key: table[key]
        for key in ("user_filter", "username_attribute", "group_filter", "start_tls", "allow_plaintext")
        if key in table
    }
    return LdapSettings(
        urls=tuple(urls),
        group_roles=tuple(group_roles),
        user_dn_template=table.get("user_dn_template"),
        bind_dn=table.get("bind_dn"),
        bind_password=read_secret(base / password_file) if password_file else None,
        user_search_base=table.get("user_search_base"),
        name_attributes=tuple(names),
        member_of_attribute=table.get("member_of_attribute", "memberOf") or None,
        group_search_base=table.get("group_search_base"),
        ca_file=_ca_file(base / ca_file) if ca_file else None,
        timeout_s=int(table.get("timeout_seconds", 5)),
        **optional,
    )


def _ca_file(path: Path) -> Path:
    tls_context(path)  # read now, so a missing or broken file stops the program with its name
    return path


def read_secret(path: Path) -> str:
    """The first line of a password file that only its owner may read (mode 0600 or stricter)."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise ValueError(f"[auth.ldap] bind_password_file {path} is not a file")
        if st.st_mode & 0o077:
            raise ValueError(
                f"[auth.ldap] bind_password_file {path} is readable by others "
                f"(mode {stat.S_IMODE(st.st_mode):04o}): chmod 600 it"
            )
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise ValueError(f"[auth.ldap] bind_password_file {path} belongs to another account")
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ValueError(f"[auth.ldap] bind_password_file {path}: {exc.strerror or exc}") from None
    if not lines or not lines[0]:
        raise ValueError(f"[auth.ldap] bind_password_file {path} is empty")
    return lines[0]


def _no_unknown(table: object, known: set[str], where: str) -> None:
    if not isinstance(table, dict):
        raise AuthConfigError(f"{where} must be a table")
    unknown = sorted(set(table) - known)
    if unknown:
        raise AuthConfigError(
            f"{where} has unknown keys: {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
