"""The demo's accounts (`bedside --demo`), with passwords the README publishes: synthetic data only,
never a real installation. Each also gets a credentials file (mode 0600) in the demo's folder, for
the scripts that drive the demo (the screenshots' report)."""

from __future__ import annotations

from pathlib import Path

from bedside_adapters.auth import accounts
from bedside_adapters.db import user_store
from bedside_adapters.db.engine import Engine
from bedside_adapters.private_files import PRIVATE_FILE, make_private_dir

from bedside.log_entries import ENGINE_ACTOR
from bedside.users import Role, User

DEMO_ACCOUNTS: tuple[tuple[str, str, Role, str], ...] = (
    ("admin", "Demo Admin", Role.ADMIN, "demo-admin"),
    ("ana", "Ana Ruiz", Role.NURSE, "demo-nurse"),
    ("luis", "Luis Pereira", Role.INTENSIVIST, "demo-doctor"),
    ("marta", "Marta Silva", Role.INVESTIGATOR, "demo-investigator"),
    (ENGINE_ACTOR, "Bedside ingest and alerting", Role.SERVICE, "demo-service"),
)
"""(username, printed name, role, password). The service account is the one the alerting engine's
entries name. A printed name carries no title ("RN", "Dr" are English abbreviations a Spanish
screen would show as written): the role is shown beside the name wherever a signature is."""


def create_demo_accounts(engine: Engine, credentials_dir: Path | None = None) -> list[User]:
    """The demo accounts, in a database that has none yet (the demo starts from a fresh one); the
    admin first, who then adds the others. `credentials_dir`: where to write a credentials file per
    account."""
    if user_store.account_count(engine):
        return user_store.users(engine)
    (admin_name, admin_full, _, admin_password), *others = DEMO_ACCOUNTS
    admin = accounts.add_user(
        engine, None, username=admin_name, full_name=admin_full, role=Role.ADMIN, password=admin_password
    )
    made = [admin]
    for username, full_name, role, password in others:
        made.append(
            accounts.add_user(
                engine, admin, username=username, full_name=full_name, role=role, password=password
            )
        )
    if credentials_dir is not None:
        make_private_dir(credentials_dir)
        for username, _, _, password in DEMO_ACCOUNTS:
            path = credentials_dir / username
            path.touch(mode=PRIVATE_FILE)
            path.chmod(PRIVATE_FILE)
            path.write_text(f"username = {username}\npassword = {password}\n", encoding="utf-8")
    return made
