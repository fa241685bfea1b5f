"""The demo deletes its database and creates it anew under the same path at every start: the anchors
the run before wrote for it go with it (verify-log would otherwise report the fresh log broken at
the anchor file's first line), while another database's anchors in the same file stay."""

from __future__ import annotations

from pathlib import Path

from bedside_adapters import anchors
from bedside_adapters.db.log_verify import database_identity
from bedside_ui.app import forget_demo_anchors


def test_a_fresh_demo_start_forgets_only_the_demo_databases_anchors(data_dir: Path) -> None:
    demo = f"sqlite:///{data_dir / 'demo' / 'bedside-demo.sqlite3'}"
    other = f"sqlite:///{data_dir / 'bedside.sqlite3'}"
    path = anchors.anchor_path(data_dir)
    anchors.write_anchor(path, database_identity(other), (3, "a" * 64), "periodic")
    anchors.write_anchor(path, database_identity(demo), (7, "b" * 64), "periodic")
    anchors.write_anchor(path, database_identity(other), (5, "c" * 64), "periodic")
    forget_demo_anchors(demo)
    assert anchors.read_anchors(path, database_identity(demo)) == []
    assert [(a.seq, a.hash) for a in anchors.read_anchors(path)] == [(3, "a" * 64), (5, "c" * 64)]
    assert path.stat().st_mode & 0o777 == 0o600
    forget_demo_anchors(demo)  # nothing of it left: the file stays as it is
    assert len(anchors.read_anchors(path)) == 2
