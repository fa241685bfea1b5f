"""Who acts in a test's command: the keywords `by` and `role`, and for a signed action the signature
(the signer's own, with the implied meaning or a stated one)."""

from __future__ import annotations

from typing import Any

from bedside.users import IMPLIED_MEANING, Action, Role, Signature

STATED = "Recorded: as documented"
"""The meaning a test states where the action implies none."""


def acts(by: str, role: Role = Role.INTENSIVIST) -> dict[str, Any]:
    """An intensivist unless told: the role that may take every clinical action."""
    return {"by": by, "role": role}


def signs(by: str, action: Action, role: Role = Role.INTENSIVIST, at: float = 0.0) -> dict[str, Any]:
    signature = Signature(
        username=by,
        full_name=by,
        role=role,
        meaning=IMPLIED_MEANING.get(action, STATED),
        signed_at=at,
    )
    return {**acts(by, role), "signature": signature}
