"""The served benchmark: `bench/run.py` serves the national data set the production way and
measures each page type under load (README, `make bench`)."""
