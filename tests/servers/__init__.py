"""Real-server fixtures: each module starts one real server on loopback in a temp dir.

Every server is a plain class (usable by the demo, ``scripts/demo``) with a
pytest fixture wrapper; see ``tests/conftest.py`` for how they are registered.
"""
