"""Dialogs shared by the Mail and Files tabs."""
