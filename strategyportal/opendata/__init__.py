"""The whole public portal as open data: one table per kind (`tables`), written as CSV files
in a zip, an Excel workbook, one JSON document and a Frictionless data package (`formats`),
built when the data have changed and served from files (`builds`, `views`)."""
