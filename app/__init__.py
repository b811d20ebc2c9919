"""Quay: a desktop mail and file-transfer client."""

__version__ = "0.1.0"
APP_NAME = "Quay"
APP_ID = "io.github.quay.Quay"
