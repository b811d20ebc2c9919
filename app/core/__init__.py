"""Qt-free core of Quay: protocols, caches, secrets. Never imports PySide6."""
