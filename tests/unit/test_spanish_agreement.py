"""Spanish words that agree: the relatedness choices all feminine (they qualify "relación"), and the
roles named without a gender (an account records none)."""

from __future__ import annotations

from bedside import i18n
from bedside.adverse_events import ASSESSED_RELATEDNESS, RELATEDNESS
from bedside.users import Role, role_name


def test_relatedness_choices_are_one_gender_and_roles_name_no_gender() -> None:
    i18n.set_language("es")
    try:
        choices = [i18n._(RELATEDNESS[r]) for r in ASSESSED_RELATEDNESS]
        roles = {r: role_name(r) for r in (Role.NURSE, Role.INTENSIVIST, Role.INVESTIGATOR, Role.ADMIN)}
    finally:
        i18n.set_language("en")
    # An adjective that changes with gender ends in -o or -a; every one that does is feminine.
    gendered = [c for c in choices if c.endswith(("o", "a")) and c not in ("posible", "probable")]
    assert gendered and all(c.endswith("a") for c in gendered), choices
    assert not any(name.endswith(("or", "ora", "ero", "era")) for name in roles.values()), roles
