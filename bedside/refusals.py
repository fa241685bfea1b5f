"""The refusal every writer shares: a request the record cannot take, with a message for the person
asking. Kept apart so the commands and the users' roles can both name it without importing each other."""


class Refused(ValueError):
    """A command the record cannot take; the message says what to correct, for the person asking.
    Nothing is written when a command is refused."""
