"""The trial's datasets in the shape of CDISC SDTM (SDTMIG v3.3): DM, EX, AE, LB, VS, DS, CM, PR and CE,
built from the record through the database's read functions and written as CSV and as SAS transport
(XPT version 5) files with a define-style description of every variable (`bedside-cli export sdtm`)."""
