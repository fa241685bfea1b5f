"""A throwaway OpenLDAP server (Debian's slapd) for the directory sign-in tests.

`running_slapd(workdir)` writes a cn=config of its own (the mdb backend, the memberof overlay, TLS with
a certificate from a test CA), loads the people with slapadd, starts slapd as the current user on free
loopback ports (ldap:// with StartTLS, and ldaps://), waits until it answers a bind, adds the groups over
LDAP (so the memberof overlay writes each person's memberOf) and stops the server afterwards.

Without slapd the tests skip, unless BEDSIDE_REQUIRE_LDAP=1 (CI), which makes them fail.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

# ldap3 by way of the adapter, which imports it without pyasn1's deprecation warning about ldap3's
# own import line (an error in the tests).
from bedside_adapters.auth.ldap import ldap3

SLAPD = Path("/usr/sbin/slapd")
SLAPADD = Path("/usr/sbin/slapadd")
SCHEMAS = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")

BASE_DN = "dc=hospital,dc=test"
PEOPLE = f"ou=people,{BASE_DN}"
GROUPS = f"ou=groups,{BASE_DN}"
SERVICES = f"ou=services,{BASE_DN}"
ROOT_DN = f"cn=admin,{BASE_DN}"

STARTUP_DEADLINE_S = 30.0


@dataclass(frozen=True)
class Person:
    uid: str
    cn: str
    password: str
    display_name: str = ""

    @property
    def dn(self) -> str:
        return f"uid={self.uid},{PEOPLE}"


PEOPLE_ENTRIES: tuple[Person, ...] = (
    Person("ana", "Ana Pereira", "ana-directory-pw", display_name="Ana Pereira RN"),
    Person("luis", "Luis Ortega", "luis-directory-pw"),
    Person("marta", "Marta Silva", "marta-directory-pw"),
    Person("root", "Rosa Admin", "rosa-directory-pw"),
    Person("bea", "Bea Both", "bea-directory-pw"),
    Person("otto", "Otto Kitchen", "otto-directory-pw"),
    Person("dora", "Dora Left", "dora-directory-pw"),
)
"""The directory's people. bea is in two mapped groups, otto in none; dora is one Bedside disables."""

GROUP_MEMBERS: Mapping[str, Sequence[str]] = {
    "icu-nurses": ("ana", "bea", "dora"),
    "icu-intensivists": ("luis", "bea"),
    "trial-investigators": ("marta",),
    "bedside-admins": ("root",),
    "kitchen": ("otto",),
}

SERVICE_DN = f"cn=bedside-search,{SERVICES}"
SERVICE_PASSWORD = "service-directory-pw"


def group_dn(name: str) -> str:
    return f"cn={name},{GROUPS}"


def person(uid: str) -> Person:
    return next(p for p in PEOPLE_ENTRIES if p.uid == uid)


@dataclass(frozen=True)
class Slapd:
    """A running server: its URLs, the CA that signed its certificate, and its administrator."""

    url: str
    """ldap:// on 127.0.0.1 (StartTLS offered)."""
    ldaps_url: str
    ldaps_url_other_name: str
    """The same server by an address its certificate does not name."""
    ca_file: Path
    root_dn: str
    root_password: str
    process: subprocess.Popen[bytes]


def require_slapd() -> None:
    """Skip (or fail in CI) when this machine has no slapd."""
    if SLAPD.exists() and SLAPADD.exists():
        return
    message = f"no OpenLDAP server ({SLAPD}): install Debian's slapd and ldap-utils (make system-deps)"
    if os.environ.get("BEDSIDE_REQUIRE_LDAP") == "1":
        pytest.fail(f"BEDSIDE_REQUIRE_LDAP=1 but {message}")
    pytest.skip(message)


def ssha(password: str) -> str:
    """An RFC 2307 {SSHA} userPassword value, computed here so no password is on a command line."""
    salt = secrets.token_bytes(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _config_ldif(workdir: Path, root_password: str, tls: tuple[Path, Path, Path]) -> str:
    ca, cert, key = tls
    schemas = "".join(
        f"include: file://{SCHEMAS / name}.ldif\n\n" for name in ("core", "cosine", "inetorgperson")
    )
    return f"""dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: {workdir / "slapd.pid"}
olcArgsFile: {workdir / "slapd.args"}
olcTLSCACertificateFile: {ca}
olcTLSCertificateFile: {cert}
olcTLSCertificateKeyFile: {key}

dn: cn=module{{0}},cn=config
objectClass: olcModuleList
cn: module{{0}}
olcModulePath: {MODULES}
olcModuleLoad: back_mdb
olcModuleLoad: memberof

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

{schemas}dn: olcDatabase={{-1}}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {{-1}}frontend

dn: olcDatabase={{0}}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {{0}}config
olcAccess: {{0}}to * by * none

dn: olcDatabase={{1}}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {{1}}mdb
olcSuffix: {BASE_DN}
olcDbDirectory: {workdir / "db"}
olcRootDN: {ROOT_DN}
olcRootPW: {ssha(root_password)}
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcDbIndex: member eq
olcAccess: {{0}}to attrs=userPassword by anonymous auth by * none
olcAccess: {{1}}to * by users read by * none

dn: olcOverlay={{0}}memberof,olcDatabase={{1}}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcMemberOf
olcOverlay: {{0}}memberof
olcMemberOfRefInt: TRUE
olcMemberOfGroupOC: groupOfNames
olcMemberOfMemberAD: member
olcMemberOfMemberOfAD: memberOf
"""


def _tree_ldif() -> str:
    entries = [
        f"dn: {BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: hospital\no: Test Hospital\n",
        *(
            f"dn: ou={ou},{BASE_DN}\nobjectClass: organizationalUnit\nou: {ou}\n"
            for ou in ("people", "groups", "services")
        ),
        f"dn: {SERVICE_DN}\nobjectClass: applicationProcess\nobjectClass: simpleSecurityObject\n"
        f"cn: bedside-search\nuserPassword: {ssha(SERVICE_PASSWORD)}\n",
    ]
    for p in PEOPLE_ENTRIES:
        entry = (
            f"dn: {p.dn}\nobjectClass: inetOrgPerson\nuid: {p.uid}\ncn: {p.cn}\n"
            f"sn: {p.cn.split()[-1]}\nuserPassword: {ssha(p.password)}\n"
        )
        if p.display_name:
            entry += f"displayName: {p.display_name}\n"
        entries.append(entry)
    return "\n".join(entries)


def _run(args: list[str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}")


def _tls_files(workdir: Path) -> tuple[Path, Path, Path]:
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "ldap.hospital.test")
    paths = (workdir / "ca.pem", workdir / "server.pem", workdir / "server.key")
    ca.cert_pem.write_to_path(str(paths[0]))
    cert.cert_chain_pems[0].write_to_path(str(paths[1]))
    cert.private_key_pem.write_to_path(str(paths[2]))
    return paths


def _wait_until_answering(server: Slapd, log: Path) -> None:
    """A bind as the administrator succeeds, or the deadline passes, or slapd exits: then fail."""
    deadline = time.monotonic() + STARTUP_DEADLINE_S
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"slapd exited ({server.process.returncode}): {log.read_text()[-2000:]}")
        conn = ldap3.Connection(
            ldap3.Server(server.url, connect_timeout=1),
            server.root_dn,
            server.root_password,
            receive_timeout=2,
        )
        try:
            if conn.bind():
                conn.unbind()
                return
        except ldap3.core.exceptions.LDAPException:
            if conn.socket is not None:
                conn.socket.close()  # ldap3 leaves a socket that failed to connect open
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"slapd did not answer within {STARTUP_DEADLINE_S:.0f} s: {log.read_text()[-2000:]}"
            )
        time.sleep(0.05)


def _add_groups(server: Slapd) -> None:
    conn = ldap3.Connection(ldap3.Server(server.url), server.root_dn, server.root_password, auto_bind=True)
    try:
        for name, members in GROUP_MEMBERS.items():
            attributes = {"cn": name, "member": [person(uid).dn for uid in members]}
            if not conn.add(group_dn(name), ["groupOfNames"], attributes):
                raise RuntimeError(f"adding {group_dn(name)}: {conn.result}")
    finally:
        conn.unbind()


@contextlib.contextmanager
def running_slapd(workdir: Path) -> Iterator[Slapd]:
    """A slapd with the test hospital's directory, stopped (and its files left in workdir) afterwards."""
    require_slapd()
    workdir.mkdir(parents=True, exist_ok=True)
    confdir, dbdir = workdir / "slapd.d", workdir / "db"
    confdir.mkdir()
    dbdir.mkdir()
    root_password = secrets.token_urlsafe(12)
    (workdir / "config.ldif").write_text(_config_ldif(workdir, root_password, _tls_files(workdir)))
    (workdir / "tree.ldif").write_text(_tree_ldif())
    _run([str(SLAPADD), "-n", "0", "-F", str(confdir), "-l", str(workdir / "config.ldif")])
    _run([str(SLAPADD), "-n", "1", "-F", str(confdir), "-l", str(workdir / "tree.ldif")])

    for _ in range(3):  # a free port can be taken between asking and binding it: try others
        port, tls_port = free_port(), free_port()
        # ldaps also on 127.0.0.2, a name the certificate does not carry.
        urls = f"ldap://127.0.0.1:{port}/ ldaps://127.0.0.1:{tls_port}/ ldaps://127.0.0.2:{tls_port}/"
        log = workdir / "slapd.log"
        with log.open("wb") as out:
            # -d 0: in the foreground (a child this test can stop), without debugging output.
            process = subprocess.Popen(
                [str(SLAPD), "-d", "0", "-h", urls, "-F", str(confdir)], stdout=out, stderr=subprocess.STDOUT
            )
        server = Slapd(
            url=f"ldap://127.0.0.1:{port}",
            ldaps_url=f"ldaps://127.0.0.1:{tls_port}",
            ldaps_url_other_name=f"ldaps://127.0.0.2:{tls_port}",
            ca_file=workdir / "ca.pem",
            root_dn=ROOT_DN,
            root_password=root_password,
            process=process,
        )
        try:
            _wait_until_answering(server, log)
            break
        except RuntimeError:
            _stop(process)
            if "bind" not in log.read_text() and "in use" not in log.read_text():
                raise
    else:
        raise RuntimeError(f"slapd found no free port: {log.read_text()[-2000:]}")
    try:
        _add_groups(server)
        yield server
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
