"""Demo data for `make run` (`manage.py seed_demo`): on top, so it may use every app."""
