"""IMAP session, sync, fast FETCH parsing, IDLE and folders."""
