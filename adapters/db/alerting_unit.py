"""The alerting process's writes, one transaction at a time: what one evaluation reconciles and
stores (the episode's alerts, their changes and safety-log entries, its baselines), an escalation
sweep, and the acceptance of device starts nobody confirmed. The process decides what changes
(`bedside.alerts`, `bedside.alert_changes`); this opens and commits the transaction it is written in."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Self

from bedside_adapters.db import alert_store, device_episodes, episode_store
from bedside_adapters.db.alert_store import Applied
from sqlalchemy import Connection, Engine, RootTransaction

from bedside.alert_changes import AlertChange
from bedside.alerts import Alert


class AlertingUnit:
    """`with AlertingUnit(engine) as unit:` opens a connection and its transaction; leaving the block
    normally commits it, leaving it by an exception rolls it back (nothing of a failed evaluation is
    kept). Entered once."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None
        self._transaction: RootTransaction | None = None

    def __enter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("an alerting unit is entered once")
        self._conn = self._engine.connect()
        self._transaction = self._conn.begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, transaction = self._conn, self._transaction
        self._transaction = None
        try:
            if transaction is not None and transaction.is_active:
                if exc_type is None:
                    transaction.commit()
                else:
                    transaction.rollback()
        finally:
            if conn is not None:
                conn.close()

    @property
    def _open(self) -> Connection:
        if self._conn is None or self._transaction is None:
            raise RuntimeError("use an alerting unit inside its with block")
        return self._conn

    def alerts_of(self, episode_id: int) -> list[Alert]:
        """The episode's stored alerts, as reconciliation reads them."""
        return alert_store.load_alerts(self._open, episode_id)

    def awaiting_acknowledgement(self) -> list[Alert]:
        """Raised alerts nobody acknowledged yet (the escalation sweep's input)."""
        return alert_store.awaiting_acknowledgement(self._open)

    def persist(self, changes: Sequence[AlertChange]) -> Applied:
        """Write each change and its safety-log entries, in order."""
        return alert_store.persist(self._open, changes)

    def count_open(self, episode_id: int) -> int:
        """The episode's alerts not yet resolved."""
        return alert_store.count_open(self._open, episode_id)

    def store_baselines(self, episode_id: int, baselines: str) -> None:
        """The baselines the rules use for the dose, as the screens show them."""
        episode_store.store_baselines(self._open, episode_id, baselines)

    def accept_overdue_candidates(self, now: float, confirm_minutes: float) -> int:
        """Accept every device start left unconfirmed for `confirm_minutes`, each with its safety-log
        entry; how many."""
        return device_episodes.accept_overdue_candidates(self._open, now, confirm_minutes)
