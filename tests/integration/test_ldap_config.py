"""The site's sign-in configuration ([auth] of bedside.toml): read as written, or refused naming the key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bedside_adapters.auth.config import AuthConfig, AuthConfigError, load_auth_config

from bedside.users import Role

OPENLDAP_EXAMPLE = """
[auth]
source = "ldap"
idle_lock_minutes = 3

[auth.ldap]
url = ["ldaps://ldap1.hospital.example", "ldaps://ldap2.hospital.example"]
ca_file = "hospital-ca.pem"
timeout_seconds = 4
user_dn_template = "uid={username},ou=people,dc=hospital,dc=example"

[auth.ldap.groups]
"cn=icu-intensivists,ou=groups,dc=hospital,dc=example" = "intensivist"
"cn=icu-nurses,ou=groups,dc=hospital,dc=example" = "nurse"
"cn=trial-investigators,ou=groups,dc=hospital,dc=example" = "investigator"
"cn=bedside-admins,ou=groups,dc=hospital,dc=example" = "admin"
"""

ACTIVE_DIRECTORY_EXAMPLE = """
[auth]
source = "ldap"

[auth.ldap]
url = "ldaps://dc1.hospital.example"
start_tls = false
bind_dn = "CN=svc-bedside,OU=Service Accounts,DC=hospital,DC=example"
bind_password_file = "ldap-bind.secret"
user_search_base = "OU=Staff,DC=hospital,DC=example"
user_filter = "(&(objectClass=user)(sAMAccountName={username}))"
username_attribute = "sAMAccountName"
name_attributes = ["displayName", "cn"]
member_of_attribute = "memberOf"
groups = { "CN=ICU Nurses,OU=Groups,DC=hospital,DC=example" = "nurse", "CN=ICU Intensivists,OU=Groups,DC=hospital,DC=example" = "intensivist" }
"""


def write(folder: Path, text: str, name: str = "bedside.toml") -> Path:
    path = folder / name
    path.write_text(text)
    return path


def test_no_file_means_local_accounts(data_dir: Path) -> None:
    assert load_auth_config() == AuthConfig()
    assert AuthConfig().source == "local"


def test_the_data_dirs_bedside_toml_is_read(data_dir: Path) -> None:
    write(data_dir, "[auth]\nidle_lock_minutes = 2.5\n")
    config = load_auth_config()
    assert (config.source, config.idle_lock_minutes, config.path) == ("local", 2.5, data_dir / "bedside.toml")


@pytest.fixture
def site_ca(tmp_path: Path) -> Path:
    """The CA file the examples name, beside bedside.toml."""
    import trustme

    path = tmp_path / "hospital-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(path))
    return path


def test_the_openldap_example_reads_as_written(tmp_path: Path, site_ca: Path) -> None:
    config = load_auth_config(write(tmp_path, OPENLDAP_EXAMPLE))
    assert config.source == "ldap" and config.idle_lock_minutes == 3
    ldap = config.ldap
    assert ldap is not None
    assert ldap.urls == ("ldaps://ldap1.hospital.example", "ldaps://ldap2.hospital.example")
    assert ldap.ca_file == tmp_path / "hospital-ca.pem"  # relative to the file
    assert ldap.timeout_s == 4
    assert [role for _, role in ldap.group_roles] == [
        Role.INTENSIVIST,
        Role.NURSE,
        Role.INVESTIGATOR,
        Role.ADMIN,
    ]
    assert ldap.group_roles[0][0] == "cn=icu-intensivists,ou=groups,dc=hospital,dc=example"


def test_the_active_directory_example_reads_its_password_from_a_private_file(tmp_path: Path) -> None:
    secret = tmp_path / "ldap-bind.secret"
    secret.write_text("service-secret\n")
    secret.chmod(0o600)
    ldap = load_auth_config(write(tmp_path, ACTIVE_DIRECTORY_EXAMPLE)).ldap
    assert ldap is not None
    assert ldap.bind_password == "service-secret"
    assert "service-secret" not in repr(ldap)
    assert ldap.username_attribute == "sAMAccountName"
    assert [role for _, role in ldap.group_roles] == [Role.NURSE, Role.INTENSIVIST]


def test_a_password_file_others_can_read_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "ldap-bind.secret"
    secret.write_text("service-secret\n")
    secret.chmod(0o640)
    with pytest.raises(AuthConfigError, match=r"readable by others.*chmod 600"):
        load_auth_config(write(tmp_path, ACTIVE_DIRECTORY_EXAMPLE))
    os.remove(secret)
    with pytest.raises(AuthConfigError, match="bind_password_file"):
        load_auth_config(write(tmp_path, ACTIVE_DIRECTORY_EXAMPLE))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[auth]\nsource = "kerberos"\n', "source must be"),
        ('[auth]\nsource = "ldap"\n', r"needs an \[auth.ldap\] table"),
        ("[auth]\nidle_lock_minutes = 0\n", "idle_lock_minutes"),
        ("[auth]\nidle_lock = 5\n", "unknown keys: idle_lock"),
        (OPENLDAP_EXAMPLE.replace("timeout_seconds", "timeout"), "unknown keys: timeout"),
        (OPENLDAP_EXAMPLE.replace('= "nurse"', '= "charge-nurse"'), "'charge-nurse', which is not a role"),
        (OPENLDAP_EXAMPLE.replace('= "admin"', '= "service"'), "service role"),
        (
            OPENLDAP_EXAMPLE.replace("timeout_seconds = 4", "timeout_seconds = true"),
            "timeout_seconds must be",
        ),
        (OPENLDAP_EXAMPLE.replace("[auth.ldap]\n", "[auth.ldap]\nstart_tls = 1\n"), "start_tls must be"),
        (OPENLDAP_EXAMPLE.replace("user_dn_template", "user_template"), "unknown keys: user_template"),
        (
            OPENLDAP_EXAMPLE.replace("ldaps://ldap2", "ldap://ldap2"),
            "ldap2.hospital.example would carry passwords",
        ),
        ("[auth\n", "bedside.toml"),
    ],
)
def test_a_mistake_stops_with_the_key_named(tmp_path: Path, site_ca: Path, text: str, message: str) -> None:
    with pytest.raises(AuthConfigError, match=message):
        load_auth_config(write(tmp_path, text))


def test_a_test_directory_may_be_unencrypted_when_the_file_says_so(tmp_path: Path, site_ca: Path) -> None:
    text = OPENLDAP_EXAMPLE.replace("ldaps://", "ldap://").replace(
        "[auth.ldap]\n", "[auth.ldap]\nallow_plaintext = true\n"
    )
    ldap = load_auth_config(write(tmp_path, text)).ldap
    assert ldap is not None and ldap.allow_plaintext and ldap.urls[0].startswith("ldap://")
    starttls = OPENLDAP_EXAMPLE.replace("ldaps://", "ldap://").replace(
        "[auth.ldap]\n", "[auth.ldap]\nstart_tls = true\n"
    )
    assert load_auth_config(write(tmp_path, starttls)).ldap.start_tls


def test_a_missing_or_broken_ca_file_stops_naming_it(tmp_path: Path, site_ca: Path) -> None:
    site_ca.write_text("not a certificate\n")
    with pytest.raises(AuthConfigError, match=r"ca_file .*hospital-ca\.pem: not readable as CA certificates"):
        load_auth_config(write(tmp_path, OPENLDAP_EXAMPLE))
    site_ca.unlink()
    with pytest.raises(AuthConfigError, match=r"ca_file .*hospital-ca\.pem: not readable"):
        load_auth_config(write(tmp_path, OPENLDAP_EXAMPLE))


def test_a_named_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(AuthConfigError, match=r"missing\.toml"):
        load_auth_config(tmp_path / "missing.toml")
