"""Mail: IMAP, POP3, SMTP, MIME, the local SQLite cache and the outbox."""
