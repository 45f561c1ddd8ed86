"""The open-data API, /api/v1/: read-only, anonymous, the public view of the portal.

Every endpoint reads through the one publication rule (`public()`, `visible_to(None)`), as
the pages do; a small pupil count is withheld as on the pages. Answers carry an ETag made
from the content version, so a client that asks again with If-None-Match gets 304 before any
query runs (views.PublicViewSet)."""
