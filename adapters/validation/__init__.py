"""Clinical validation: synthetic courses run through the real pipeline, scored as an alarm system is.

`cases` reads the case library (resources/validation/cases/*.toml), `build` runs one case into a SQLite
file (HL7 messages → ingest → clinician entries → the rule engine on import), `score` compares the
alerts with the case's expected outcome, `report` prints the table and the summary figures
(`make validate`).
"""
