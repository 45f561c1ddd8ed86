"""Values from public statistics: Statistics Denmark's Statistikbank and Sweden's Kolada.

An indicator linked to a table or key figure (`indicators.models.StatisticsLink`) has its
values fetched (`client`, `statbank`, `kolada`), compared with what is stored, and entered
for review like a reporter's (`imports`): by `manage.py import_statistics` or by an editor
on the indicator's admin page."""
