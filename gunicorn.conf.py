"""gunicorn's settings for `make serve`, each from the environment with a production default.

`.env` is read first, as Django's settings read it, so one file configures both; a variable set
in the real environment wins. Anything not listed here can be given on the command line or in
GUNICORN_CMD_ARGS, which gunicorn reads itself.
"""

from pathlib import Path

import environ

env = environ.Env()
environ.Env.read_env(Path(__file__).resolve().parent / ".env")

wsgi_app = "strategyportal.wsgi:application"

# All interfaces, so that a load balancer on another machine reaches the server.
bind = [f"{env.str('GUNICORN_HOST', default='0.0.0.0')}:{env.int('PORT', default=8000)}"]  # noqa: S104

# Synchronous workers, one request each. Two suit a small machine; gunicorn's rule of thumb is
# two to four per core.
workers = env.int("WEB_CONCURRENCY", default=2)

# A worker silent for this many seconds is killed and replaced; the heaviest request, applying a
# 10.000-row upload, takes about four seconds.
timeout = env.int("GUNICORN_TIMEOUT", default=30)
# On a restart or shutdown (SIGTERM), the seconds a worker has to finish its requests.
graceful_timeout = env.int("GUNICORN_GRACEFUL_TIMEOUT", default=30)

# Each worker is replaced after about this many requests, so a slow leak cannot grow without
# end; the jitter keeps the workers from restarting all at once.
max_requests = env.int("GUNICORN_MAX_REQUESTS", default=1000)
max_requests_jitter = env.int("GUNICORN_MAX_REQUESTS_JITTER", default=100)

# Both logs to the console, where the service manager or container runtime collects them.
accesslog = "-"
errorlog = "-"
