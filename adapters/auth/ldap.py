"""Sign-in against the hospital's directory (OpenLDAP, Active Directory) with ldap3.

The user's own password is checked by the directory: Bedside binds as the user, by a DN built from a
template ("uid={username},ou=people,dc=hospital,dc=example", or an Active Directory user principal name
"{username}@hospital.example"), or by the DN a search with Bedside's own search account finds. The
user's printed name and groups are then read as the user; the first group of the site's table the user
belongs to gives the role. A user in none of them is refused, and so is one Bedside has disabled,
whatever the directory says.

What the directory never sees from here: an empty password (an LDAP simple bind with a name and no
password is an unauthenticated bind that many servers accept as success, RFC 4513 5.1.2) and an
unescaped username (filters and DNs are escaped, so "*" matches nobody). What the log never holds: a
password.
"""

from __future__ import annotations

import contextlib
import logging
import re
import ssl
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bedside.i18n import N_
from bedside.users import AuthError, Role, User

with warnings.catch_warnings():
    # ldap3 2.9.1 imports pyasn1's tagMap and typeMap, names pyasn1 0.6.1 deprecated in favour of
    # TAG_MAP and TYPE_MAP (the same objects); the warning is about ldap3's import line only.
    warnings.filterwarnings("ignore", message="(tag|type)Map is deprecated", category=DeprecationWarning)
    import ldap3
    from ldap3.core.exceptions import LDAPException
    from ldap3.utils.conv import escape_filter_chars
    from ldap3.utils.dn import escape_rdn, parse_dn

log = logging.getLogger(__name__)

# LDAP result codes (RFC 4511 appendix A).
SUCCESS = 0
SIZE_LIMIT_EXCEEDED = 4
NO_SUCH_OBJECT = 32
INVALID_CREDENTIALS = 49
"""A wrong password, or a DN the directory does not know."""


class DirectoryUnavailable(AuthError):
    """The directory did not answer (or could not be trusted) in time: nobody can sign in through it
    until it does. Says so, instead of "wrong password", so the user does not retype a good one."""


@dataclass(frozen=True, kw_only=True)
class LdapSettings:
    """The site's directory, as `[auth.ldap]` of bedside.toml gives it."""

    urls: tuple[str, ...]
    """ldap:// or ldaps:// URLs, tried in order until one answers."""
    group_roles: tuple[tuple[str, Role], ...]
    """(group DN, role) in the site's order: the first group the user is a member of gives the role."""
    user_dn_template: str | None = None
    """The name to bind as, with {username}: a DN, or an Active Directory user principal name."""
    bind_dn: str | None = None
    """Bedside's search account, to find the user's DN by `user_filter` (instead of a template)."""
    bind_password: str | None = field(default=None, repr=False)
    user_search_base: str | None = None
    """Where the search account finds the user, or where a principal name's entry is."""
    user_filter: str = "(uid={username})"
    """How the search account finds the user's entry under `user_search_base`."""
    username_attribute: str = "uid"
    """The attribute whose value is the username Bedside records (the directory's spelling of it)."""
    name_attributes: tuple[str, ...] = ("displayName", "cn")
    member_of_attribute: str | None = "memberOf"
    """The user's attribute listing the groups (Active Directory, OpenLDAP's memberof overlay)."""
    group_search_base: str | None = None
    """Where to search for groups naming the user by `group_filter`, besides `member_of_attribute`."""
    group_filter: str = "(&(objectClass=groupOfNames)(member={user_dn}))"
    start_tls: bool = False
    ca_file: Path | None = None
    """The CA certificates to trust for the directory's certificate (the system's when unset)."""
    timeout_s: int = 5
    """Seconds to connect and for each answer: a directory that does not answer refuses after this."""
    allow_plaintext: bool = False
    """Whether an ldap:// URL without StartTLS may carry passwords unencrypted (a test directory)."""

    def __post_init__(self) -> None:
        if not self.urls:
            raise ValueError("[auth.ldap] needs url: the directory's ldap:// or ldaps:// URL")
        for url in self.urls:
            if not url.lower().startswith(("ldap://", "ldaps://")):
                raise ValueError(f"[auth.ldap] url {url!r} is neither ldap:// nor ldaps://")
        plain = [u for u in self.urls if u.lower().startswith("ldap://")]
        if plain and not self.start_tls and not self.allow_plaintext:
            raise ValueError(
                f"[auth.ldap] url {plain[0]} would carry passwords unencrypted: use ldaps://, or "
                "start_tls = true (or allow_plaintext = true for a test directory)"
            )
        if self.bind_dn is None and self.user_dn_template is None:
            raise ValueError("[auth.ldap] needs user_dn_template, or bind_dn with user_search_base")
        if self.bind_dn is not None and (self.user_search_base is None or self.bind_password is None):
            raise ValueError("[auth.ldap] bind_dn needs user_search_base and bind_password_file")
        template = self.user_dn_template
        if template is not None and "{username}" not in template:
            raise ValueError("[auth.ldap] user_dn_template must contain {username}")
        if template is not None and not _is_dn(template) and self.user_search_base is None:
            raise ValueError(
                "[auth.ldap] a user_dn_template that is not a DN (a user principal name) needs "
                "user_search_base, where the entry with that principal name is"
            )
        if not self.group_roles:
            raise ValueError("[auth.ldap] groups maps no group to a role: nobody could sign in")
        for dn, role in self.group_roles:
            if role is Role.SERVICE:
                raise ValueError(f"[auth.ldap] group {dn}: the service role is not for a person's sign-in")
        if self.timeout_s < 1:
            raise ValueError("[auth.ldap] timeout_seconds must be 1 or more")


AccountLookup = Callable[[str], "User | None"]
"""Bedside's own record of a username (None when it has none): a disabled one refuses the sign-in."""


class _Unanswered(Exception):
    """A server did not answer in time, or could not prove who it is; the message says which."""


class LdapAuthenticator:
    """An `Authenticator` checking passwords against the directory."""

    def __init__(self, settings: LdapSettings, accounts: AccountLookup | None = None) -> None:
        self.settings = settings
        self._accounts = accounts
        self._roles = [(normalized_dn(dn), role) for dn, role in settings.group_roles]
        self._tls = _VerifiedTls(tls_context(settings.ca_file))

    def authenticate(self, username: str, password: str) -> User:
        username = username.strip()
        if not username or not password:
            # Never sent: an empty password would be an unauthenticated bind, which succeeds.
            raise AuthError()
        reasons = []
        for url in self.settings.urls:
            try:
                user = self._authenticate_at(url, username, password)
                break
            except _Unanswered as exc:
                reasons.append(f"{url}: {exc}")
                log.warning("directory %s did not answer: %s", url, exc)
        else:
            raise DirectoryUnavailable(
                "the directory could not be reached or trusted, so nobody can sign in through it now; "
                f"try again, or call IT ({'; '.join(reasons)})"
            )
        known = self._accounts(user.username) if self._accounts else None
        if known is not None and not known.active:
            log.info("directory sign-in of %s refused: disabled in Bedside", user.username)
            raise AuthError()
        log.info("directory sign-in of %s as %s", user.username, user.role)
        return user

    def _authenticate_at(self, url: str, username: str, password: str) -> User:
        """The user as this server says; `_Unanswered` when it fails to answer in time (or to prove
        who it is), so that the next server may."""
        timeout = self.settings.timeout_s
        conn: ldap3.Connection | None = None
        try:
            server = ldap3.Server(url, connect_timeout=timeout, tls=self._tls, get_info=ldap3.NONE)
            conn = ldap3.Connection(
                server,
                receive_timeout=timeout,
                raise_exceptions=False,
                read_only=True,
                auto_referrals=False,
            )
            conn.open(read_server_info=False)
            if self.settings.start_tls and not server.ssl:
                conn.start_tls(read_server_info=False)
            user_dn = self._bind_as_user(conn, username, password)
            entry = self._read_entry(conn, username, user_dn)
            return self._user(conn, username, entry)
        except (LDAPException, OSError) as exc:
            # Without raise_exceptions, ldap3 raises only when the conversation itself fails.
            raise _Unanswered(_reason(exc)) from None
        finally:
            if conn is not None:
                _close(conn)

    def _bind(self, conn: ldap3.Connection, name: str, password: str) -> bool:
        """Whether the directory accepts this name and password."""
        conn.authentication, conn.user, conn.password = ldap3.SIMPLE, name, password
        if conn.bind(read_server_info=False):
            return True
        code = (conn.result or {}).get("result")
        if code != INVALID_CREDENTIALS:
            log.warning("directory refused the bind of %s: %s", name, (conn.result or {}).get("description"))
        return False

    # The user

    def _bind_as_user(self, conn: ldap3.Connection, username: str, password: str) -> str:
        """Bind as the user; the DN (or principal name) bound as. AuthError when refused."""
        s = self.settings
        if s.bind_dn is not None:
            assert s.bind_password is not None and s.user_search_base is not None
            if not self._bind(conn, s.bind_dn, s.bind_password):
                raise DirectoryUnavailable(
                    N_(
                        "the directory refused Bedside's search account (bind_dn): nobody can sign in "
                        "through it until IT corrects the account or its password"
                    )
                )
            entries = self._search(conn, s.user_search_base, self._user_filter(username), [], size_limit=2)
            if len(entries) != 1:
                if entries:
                    log.warning("directory sign-in of %s refused: %d entries match", username, len(entries))
                raise AuthError()
            name = entries[0]["dn"]
        else:
            assert s.user_dn_template is not None
            value = escape_rdn(username) if _is_dn(s.user_dn_template) else username
            name = s.user_dn_template.format(username=value)
        if not self._bind(conn, name, password):
            log.info("directory sign-in of %s refused by the directory", username)
            raise AuthError()
        return name

    def _read_entry(self, conn: ldap3.Connection, username: str, bound_as: str) -> dict:
        """The entry of the identity bound as, read as the user: at its DN, or (bound by a principal
        name) the one entry that name belongs to. Never found by the typed name again, which could
        lead to another person's entry than the one whose password was checked."""
        s = self.settings
        attributes = [s.username_attribute, *s.name_attributes]
        if s.member_of_attribute:
            attributes.append(s.member_of_attribute)
        if s.bind_dn is not None or _is_dn(s.user_dn_template or ""):
            entries = self._search(conn, bound_as, "(objectClass=*)", attributes, scope=ldap3.BASE)
        else:
            assert s.user_search_base is not None
            entries = self._search(conn, s.user_search_base, principal_filter(bound_as), attributes)
        if len(entries) != 1:
            log.warning("directory sign-in of %s refused: its entry cannot be read", username)
            raise AuthError(
                N_("the directory accepted the password but Bedside cannot read your entry: call IT")
            )
        return entries[0]

    def _user(self, conn: ldap3.Connection, username: str, entry: dict) -> User:
        s = self.settings
        attributes = entry["attributes"]
        canonical = _first(attributes.get(s.username_attribute)) or username
        full_name = next((v for a in s.name_attributes if (v := _first(attributes.get(a)))), canonical)
        groups = {normalized_dn(g) for g in _values(attributes.get(s.member_of_attribute or ""))}
        if s.group_search_base is not None:
            query = s.group_filter.format(user_dn=escape_filter_chars(entry["dn"]))
            groups |= {normalized_dn(g["dn"]) for g in self._search(conn, s.group_search_base, query, [])}
        role = next((role for dn, role in self._roles if dn in groups), None)
        if role is None:
            log.info("directory sign-in of %s refused: in no group mapped to a role", canonical)
            raise AuthError(
                N_(
                    "the directory knows you, but you are in none of the groups this site gives a Bedside "
                    "role to: ask an administrator"
                )
            )
        return User(username=canonical, full_name=full_name, role=role, source="ldap")

    def _user_filter(self, username: str) -> str:
        return self.settings.user_filter.format(username=escape_filter_chars(username))

    def _search(
        self,
        conn: ldap3.Connection,
        base: str,
        query: str,
        attributes: Sequence[str],
        scope: str = ldap3.SUBTREE,
        size_limit: int = 0,
    ) -> list[dict]:
        """The entries found (referrals left out); a refused search is logged and finds none.
        `size_limit` 0: as many as the directory allows."""
        conn.search(
            base,
            query,
            search_scope=scope,
            attributes=list(attributes) or ldap3.NO_ATTRIBUTES,
            size_limit=size_limit,
            time_limit=self.settings.timeout_s,
        )
        result = conn.result or {}
        if result.get("result") not in (SUCCESS, SIZE_LIMIT_EXCEEDED, NO_SUCH_OBJECT):
            log.warning("directory search under %s failed: %s", base, result.get("description"))
        return [r for r in conn.response or [] if r.get("type") == "searchResEntry"]


def tls_context(ca_file: Path | None) -> ssl.SSLContext:
    """The standard library's client context (certificate and host name verified, TLS 1.2 or later),
    trusting `ca_file`'s CAs, or the system's. ValueError naming the file when it cannot be read."""
    try:
        return ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    except (OSError, ssl.SSLError) as exc:
        raise ValueError(f"[auth.ldap] ca_file {ca_file}: not readable as CA certificates ({exc})") from None


class _VerifiedTls(ldap3.Tls):
    """TLS by the standard library's own verification: the certificate chain against the CA file (or
    the system's CAs) and the host name against the certificate, during the handshake. (ldap3's own
    host name check calls ssl.match_hostname, which Python deprecated and then removed.)"""

    def __init__(self, context: ssl.SSLContext) -> None:
        super().__init__(validate=ssl.CERT_REQUIRED)
        self._context = context

    def wrap_socket(self, connection: ldap3.Connection, do_handshake: bool = False) -> None:
        connection.socket = self._context.wrap_socket(
            connection.socket,
            server_side=False,
            do_handshake_on_connect=do_handshake,
            server_hostname=connection.server.host,
        )


def normalized_dn(dn: str) -> str:
    """A DN compared as the directory compares it: attribute names and values without case, spaces
    around separators ignored ("CN=ICU-Nurses, OU=Groups" is "cn=icu-nurses,ou=groups")."""
    try:
        parts = parse_dn(dn, escape=True, strip=True)
    except LDAPException:
        return dn.strip().lower()
    return ",".join(f"{attr.lower()}={value.lower()}" for attr, value, _ in parts)


BACKSLASH = "\\"


def principal_filter(bind_name: str) -> str:
    """The search filter for the entry an Active Directory bind name belongs to: a user principal
    name ("ana@hospital.example") or a down-level logon name ("HOSPITAL\\ana")."""
    if BACKSLASH in bind_name and "@" not in bind_name:
        return f"(sAMAccountName={escape_filter_chars(bind_name.rsplit(BACKSLASH, 1)[1])})"
    return f"(userPrincipalName={escape_filter_chars(bind_name)})"


def _is_dn(template: str) -> bool:
    return "=" in template


def _first(values: object) -> str:
    listed = _values(values)
    return str(listed[0]).strip() if listed else ""


def _values(values: object) -> list[str]:
    if values is None or values == []:
        return []
    if isinstance(values, list | tuple):
        return [str(v) for v in values]
    return [str(values)]


def _reason(exc: BaseException) -> str:
    """What went wrong, in a few words (ldap3 wraps the socket's error in tuples of text)."""
    text: object = exc.args[0] if exc.args else exc
    while isinstance(text, tuple | list) and text:
        text = text[0]
    text = str(text)
    if isinstance(exc, ssl.SSLCertVerificationError):
        found = re.search(r"certificate verify failed: ([^(]+)", text)
        return f"its certificate could not be verified ({found[1].strip() if found else text})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({text})"
    if isinstance(exc, TimeoutError) or "timed out" in text:
        return "no answer in time"
    return text or type(exc).__name__


def _close(conn: ldap3.Connection) -> None:
    """Unbind and close the socket, whatever state the connection was left in."""
    with contextlib.suppress(LDAPException, OSError):
        if not conn.closed:
            conn.unbind()
    if conn.socket is not None:
        with contextlib.suppress(OSError):
            conn.socket.close()
