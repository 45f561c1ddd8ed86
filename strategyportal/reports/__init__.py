"""Status reports for a strategy's politicians: what changed between two periods
(`changes`), the report as of a period as a print-ready page and a PDF (`content`, `pdf`),
and the reports that editors generated and published, kept as versions (`archive`)."""
