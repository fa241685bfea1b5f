"""Directory sign-in against a real OpenLDAP server (slapd) these tests start: the password checked by
the directory, the role from the first mapped group, every refusal (wrong password, unknown user, empty
password, no mapped group, disabled in Bedside, a directory that is down, silent or untrusted), and no
password in any log line."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from bedside_adapters.auth.ldap import (
    DirectoryUnavailable,
    LdapAuthenticator,
    LdapSettings,
    normalized_dn,
    principal_filter,
)

from bedside.users import AuthError, Role, User
from tests.ldap_server import (
    GROUPS,
    PEOPLE,
    PEOPLE_ENTRIES,
    SERVICE_DN,
    SERVICE_PASSWORD,
    Slapd,
    group_dn,
    person,
    running_slapd,
)

ROLES = (
    (group_dn("icu-intensivists"), Role.INTENSIVIST),
    (group_dn("icu-nurses"), Role.NURSE),
    (group_dn("trial-investigators"), Role.INVESTIGATOR),
    (group_dn("bedside-admins"), Role.ADMIN),
)
TEMPLATE = f"uid={{username}},{PEOPLE}"


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slapd]:
    with running_slapd(tmp_path_factory.mktemp("slapd")) as server:
        yield server


def by_template(directory: Slapd, **changes) -> LdapAuthenticator:
    settings = LdapSettings(
        urls=(directory.url,), group_roles=ROLES, user_dn_template=TEMPLATE, allow_plaintext=True
    )
    return LdapAuthenticator(replace(settings, **changes))


def by_search(directory: Slapd, **changes) -> LdapAuthenticator:
    settings = LdapSettings(
        urls=(directory.url,),
        group_roles=ROLES,
        bind_dn=SERVICE_DN,
        bind_password=SERVICE_PASSWORD,
        user_search_base=PEOPLE,
        allow_plaintext=True,
    )
    return LdapAuthenticator(replace(settings, **changes))


def refused(authenticator: LdapAuthenticator, username: str, password: str) -> str:
    with pytest.raises(AuthError) as caught:
        authenticator.authenticate(username, password)
    return str(caught.value)


# Signed in


@pytest.mark.parametrize(
    ("username", "role", "full_name"),
    [
        ("ana", Role.NURSE, "Ana Pereira RN"),  # displayName first
        ("luis", Role.INTENSIVIST, "Luis Ortega"),  # no displayName: cn
        ("marta", Role.INVESTIGATOR, "Marta Silva"),
        ("root", Role.ADMIN, "Rosa Admin"),
    ],
)
def test_the_right_password_signs_in_with_the_mapped_role_and_printed_name(
    directory: Slapd, username: str, role: Role, full_name: str
) -> None:
    user = by_template(directory).authenticate(username, person(username).password)
    assert user == User(username=username, full_name=full_name, role=role, source="ldap")


def test_search_account_finds_the_user_and_a_group_search_gives_the_role(directory: Slapd) -> None:
    authenticator = by_search(directory, member_of_attribute=None, group_search_base=GROUPS)
    user = authenticator.authenticate("marta", "marta-directory-pw")
    assert (user.username, user.role, user.full_name) == ("marta", Role.INVESTIGATOR, "Marta Silva")


def test_without_a_group_search_or_memberof_nobody_has_a_role(directory: Slapd) -> None:
    authenticator = by_search(directory, member_of_attribute=None)
    assert "none of the groups" in refused(authenticator, "marta", "marta-directory-pw")


def test_the_username_recorded_is_the_directorys_spelling(directory: Slapd) -> None:
    for authenticator in (by_template(directory), by_search(directory)):
        assert authenticator.authenticate(" ANA ", "ana-directory-pw").username == "ana"


def test_in_several_mapped_groups_the_first_of_the_sites_table_gives_the_role(directory: Slapd) -> None:
    assert by_template(directory).authenticate("bea", "bea-directory-pw").role is Role.INTENSIVIST
    nurses_first = tuple(reversed(ROLES))[2:] + tuple(reversed(ROLES))[:2]
    assert [role for _, role in nurses_first][:2] == [Role.NURSE, Role.INTENSIVIST]
    user = by_template(directory, group_roles=nurses_first).authenticate("bea", "bea-directory-pw")
    assert user.role is Role.NURSE


def test_group_dns_in_the_sites_table_compare_as_the_directory_compares_them(directory: Slapd) -> None:
    shouted = ((group_dn("icu-nurses").upper().replace(",", ", "), Role.NURSE),)
    assert (
        by_template(directory, group_roles=shouted).authenticate("ana", "ana-directory-pw").role is Role.NURSE
    )
    assert normalized_dn("CN=ICU-Nurses, OU=Groups,DC=hospital,DC=test") == group_dn("icu-nurses")


# Refused


@pytest.mark.parametrize("mode", [by_template, by_search])
def test_wrong_password_and_unknown_user_are_refused_alike(directory: Slapd, mode) -> None:
    authenticator = mode(directory)
    wrong = refused(authenticator, "ana", "luis-directory-pw")
    unknown = refused(authenticator, "nobody", "ana-directory-pw")
    assert wrong == unknown == "unknown user or wrong password"


@pytest.mark.parametrize("mode", [by_template, by_search])
@pytest.mark.parametrize(("username", "password"), [("ana", ""), ("", "ana-directory-pw"), ("  ", "x")])
def test_an_empty_password_or_username_is_refused_without_asking(
    directory: Slapd, mode, username: str, password: str
) -> None:
    """An LDAP simple bind with a name and an empty password is an unauthenticated bind, which the
    directory answers with success: it is never sent. (Nor asked: a dead directory refuses it alike.)"""
    assert refused(mode(directory), username, password) == "unknown user or wrong password"
    dead = mode(directory, urls=(f"ldap://127.0.0.1:{_closed_port()}",))
    with pytest.raises(AuthError) as caught:
        dead.authenticate(username, password)
    assert type(caught.value) is AuthError


@pytest.mark.parametrize("mode", [by_template, by_search])
@pytest.mark.parametrize("username", ["*", "ana)(uid=*", "ana,ou=people", "a*"])
def test_a_username_is_never_a_pattern_or_a_dn_fragment(directory: Slapd, mode, username: str) -> None:
    for p in PEOPLE_ENTRIES:
        assert refused(mode(directory), username, p.password) == "unknown user or wrong password"


def test_a_user_in_no_mapped_group_is_refused_saying_so(directory: Slapd) -> None:
    message = refused(by_template(directory), "otto", "otto-directory-pw")
    assert "none of the groups" in message


def test_a_user_disabled_in_bedside_is_refused_though_the_directory_accepts(directory: Slapd) -> None:
    accounts = {
        "dora": User(username="dora", full_name="Dora Left", role=Role.NURSE, active=False),
        "ana": User(username="ana", full_name="Ana Pereira", role=Role.NURSE),
    }
    authenticator = LdapAuthenticator(by_template(directory).settings, accounts=accounts.get)
    assert by_template(directory).authenticate("dora", "dora-directory-pw").role is Role.NURSE
    assert refused(authenticator, "dora", "dora-directory-pw") == "unknown user or wrong password"
    assert authenticator.authenticate("ana", "ana-directory-pw").username == "ana"
    assert authenticator.authenticate("luis", "luis-directory-pw").username == "luis"  # no local record


def test_a_wrong_search_account_password_says_the_sites_account_is_at_fault(directory: Slapd) -> None:
    authenticator = by_search(directory, bind_password="not-the-service-pw")
    with pytest.raises(DirectoryUnavailable, match="Bedside's search account"):
        authenticator.authenticate("ana", "ana-directory-pw")


# The directory down, silent, or not trusted


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_directory_that_is_down_refuses_at_once_naming_it(directory: Slapd) -> None:
    url = f"ldap://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    with pytest.raises(DirectoryUnavailable) as caught:
        by_template(directory, urls=(url,)).authenticate("ana", "ana-directory-pw")
    assert time.monotonic() - started < 2
    assert "could not be reached" in str(caught.value)
    assert url in str(caught.value)


@pytest.fixture
def silent_directory() -> Iterator[str]:
    """A server that accepts connections and never answers (a hung directory)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"ldap://127.0.0.1:{listener.getsockname()[1]}"


def test_a_silent_directory_refuses_within_the_timeout(directory: Slapd, silent_directory: str) -> None:
    started = time.monotonic()
    with pytest.raises(DirectoryUnavailable, match="no answer in time"):
        by_template(directory, urls=(silent_directory,), timeout_s=1).authenticate("ana", "ana-directory-pw")
    assert time.monotonic() - started < 4


def test_the_next_directory_answers_when_the_first_does_not(directory: Slapd, silent_directory: str) -> None:
    urls = (f"ldap://127.0.0.1:{_closed_port()}", silent_directory, directory.url)
    user = by_template(directory, urls=urls, timeout_s=1).authenticate("ana", "ana-directory-pw")
    assert user.role is Role.NURSE


def test_ldaps_and_starttls_with_the_sites_ca_sign_in(directory: Slapd) -> None:
    over_ldaps = by_template(directory, urls=(directory.ldaps_url,), ca_file=directory.ca_file)
    assert over_ldaps.authenticate("luis", "luis-directory-pw").role is Role.INTENSIVIST
    over_starttls = by_template(directory, start_tls=True, ca_file=directory.ca_file)
    assert over_starttls.authenticate("luis", "luis-directory-pw").role is Role.INTENSIVIST


@pytest.mark.parametrize("how", ["ldaps", "starttls"])
def test_a_certificate_from_an_unknown_ca_is_refused(directory: Slapd, how: str) -> None:
    """The system's CAs do not include the test CA: the directory is not trusted, no password sent."""
    changes = {"urls": (directory.ldaps_url,)} if how == "ldaps" else {"start_tls": True}
    with pytest.raises(DirectoryUnavailable, match="certificate could not be verified"):
        by_template(directory, **changes).authenticate("luis", "luis-directory-pw")


def test_a_certificate_for_another_name_is_refused(directory: Slapd) -> None:
    authenticator = by_template(directory, urls=(directory.ldaps_url_other_name,), ca_file=directory.ca_file)
    with pytest.raises(
        DirectoryUnavailable, match=r"certificate could not be verified \(IP address mismatch"
    ):
        authenticator.authenticate("luis", "luis-directory-pw")


# No password in the logs


def test_no_password_appears_in_any_log_line_or_message(
    directory: Slapd, caplog: pytest.LogCaptureFixture
) -> None:
    from ldap3.utils.log import EXTENDED, OFF, set_library_log_detail_level

    caplog.set_level(logging.DEBUG)
    set_library_log_detail_level(EXTENDED)
    messages = []
    try:
        by_template(directory).authenticate("ana", "ana-directory-pw")
        by_search(directory, group_search_base=GROUPS).authenticate("marta", "marta-directory-pw")
        for authenticator, username, password in [
            (by_template(directory), "ana", "wrong-secret-pw"),
            (by_search(directory), "otto", "otto-directory-pw"),
            (by_search(directory, bind_password="wrong-service-pw"), "luis", "luis-directory-pw"),
            (by_template(directory, start_tls=True), "luis", "luis-directory-pw"),
        ]:
            messages.append(refused(authenticator, username, password))
    finally:
        set_library_log_detail_level(OFF)
    assert any("directory sign-in of ana" in r.getMessage() for r in caplog.records)
    text = "\n".join([r.getMessage() for r in caplog.records] + messages)
    secrets = [p.password for p in PEOPLE_ENTRIES] + [SERVICE_PASSWORD, "wrong-secret-pw", "wrong-service-pw"]
    assert [s for s in secrets if s in text] == []


def test_a_principal_names_entry_is_the_one_holding_that_name_exactly() -> None:
    """Bound as an Active Directory principal, the entry read is the one with that principal name, not
    one found by the typed name (another person's sAMAccountName could be what someone typed)."""
    assert principal_filter("ana@hospital.example") == "(userPrincipalName=ana@hospital.example)"
    assert principal_filter("HOSPITAL\\ana") == "(sAMAccountName=ana)"
    assert (
        principal_filter("*)(cn=*@hospital.example")
        == r"(userPrincipalName=\2a\29\28cn=\2a@hospital.example)"
    )


def test_with_a_dn_template_the_entry_read_is_the_dn_bound_as(directory: Slapd) -> None:
    """A search base given too does not make Bedside look the typed name up again."""
    authenticator = by_template(directory, user_search_base=PEOPLE, user_filter="(uid=luis)")
    assert authenticator.authenticate("ana", "ana-directory-pw").username == "ana"


def test_settings_refuse_what_cannot_work(tmp_path: Path) -> None:
    base = {"urls": ("ldaps://x",), "group_roles": ROLES, "user_dn_template": TEMPLATE}
    LdapSettings(**base)
    LdapSettings(**{**base, "urls": ("ldap://x",), "start_tls": True})
    LdapSettings(**{**base, "urls": ("ldap://x",), "allow_plaintext": True})
    for changes, message in [
        ({"urls": ("ldaps://x", "LDAP://y")}, "LDAP://y would carry passwords unencrypted"),
        ({"urls": ()}, "needs url"),
        ({"urls": ("http://x",)}, "neither ldap"),
        ({"user_dn_template": None}, "needs user_dn_template"),
        ({"user_dn_template": "uid=x,ou=people"}, "{username}"),
        ({"user_dn_template": "{username}@hospital.test"}, "user_search_base"),
        ({"bind_dn": SERVICE_DN}, "bind_password_file"),
        ({"group_roles": ()}, "nobody could sign in"),
        ({"group_roles": ((group_dn("x"), Role.SERVICE),)}, "service role"),
        ({"timeout_s": 0}, "timeout_seconds"),
    ]:
        with pytest.raises(ValueError, match=message.replace("{", r"\{").replace("}", r"\}")):
            LdapSettings(**{**base, **changes})
