"""The indicators' part of goals/migrations/0011_search_folding_themes_and_words.py: their
vectors built again in the folded configurations that `content_search_config` now returns,
and the words of indicators and metrics added to the word list of "did you mean"."""

from django.db import migrations

from municipalities.postgresql import run_on_postgresql

FORWARDS = """
CREATE TRIGGER search_words AFTER INSERT OR UPDATE OF name, definition ON indicators_indicator
    FOR EACH ROW EXECUTE FUNCTION goals_searchword_add('name', 'definition');
CREATE TRIGGER search_words AFTER INSERT OR UPDATE OF definition, unit ON indicators_metric
    FOR EACH ROW EXECUTE FUNCTION goals_searchword_add('definition', 'unit');

UPDATE indicators_indicator SET search_vector = NULL;
INSERT INTO goals_searchword (word, folded)
    SELECT DISTINCT word, unaccent(word)
    FROM (
        SELECT concat_ws(' ', name, definition) FROM indicators_indicator
        UNION ALL SELECT concat_ws(' ', definition, unit) FROM indicators_metric
    ) AS texts (text),
        regexp_split_to_table(lower(text), '[^[:alpha:]]+') AS word
    WHERE length(word) BETWEEN 4 AND 40
    ON CONFLICT DO NOTHING;
"""

# Undone before goals' 0011 brings the unfolded configurations back, so the vectors are
# built again there only for the goals app; these stay folded until an indicator is saved.
BACKWARDS = """
DROP TRIGGER search_words ON indicators_metric;
DROP TRIGGER search_words ON indicators_indicator;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0016_verdict_missed"),
        ("goals", "0011_search_folding_themes_and_words"),
    ]

    operations = [run_on_postgresql(FORWARDS, BACKWARDS)]
