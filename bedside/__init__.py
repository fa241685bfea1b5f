"""Bedside core: domain types, ports and rules. Qt-free, database-free, socket-free.

Everything here works on float64 epoch seconds UTC and canonical UCUM units; the adapters convert at
the edges. Import-linter (pyproject.toml) keeps it that way.
"""

__version__ = "0.1.0"
