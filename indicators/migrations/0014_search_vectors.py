"""A stored search vector of each indicator on PostgreSQL, with a GIN index: its name, its own
definition and its metric's definition and unit, stemmed in the metric's language.

Kept current by triggers for the reasons goals/migrations/0008_search_vectors.py gives: the
vector reads the metric, another table, which no GENERATED column can, and a trigger sees
every write path. A change to a metric's definition, unit or language vectors its
indicators again.
"""

from django.db import migrations

from municipalities.postgresql import run_on_postgresql

FORWARDS = """
ALTER TABLE indicators_indicator ADD COLUMN search_vector tsvector;

CREATE FUNCTION indicators_indicator_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    metric_definition text;
    metric_unit text;
    metric_language varchar;
    config regconfig;
BEGIN
    -- A metric not there yet (fixtures load with deferred foreign keys) vectors its
    -- indicators again when it arrives.
    SELECT definition, unit, language INTO metric_definition, metric_unit, metric_language
        FROM indicators_metric WHERE id = NEW.metric_id;
    config := content_search_config(metric_language);
    NEW.search_vector := setweight(to_tsvector(config, NEW.name), 'A')
        || to_tsvector(config, concat_ws(' ', NEW.definition, metric_definition, metric_unit));
    RETURN NEW;
END
$$;

-- Setting an indicator's vector to anything runs its own trigger, which computes it.
CREATE FUNCTION indicators_metric_indicators_search_vectors() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (NEW.definition, NEW.unit, NEW.language)
                IS NOT DISTINCT FROM (OLD.definition, OLD.unit, OLD.language) THEN
            RETURN NULL;
        END IF;
    END IF;
    UPDATE indicators_indicator SET search_vector = NULL WHERE metric_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER search_vector BEFORE INSERT OR UPDATE ON indicators_indicator
    FOR EACH ROW EXECUTE FUNCTION indicators_indicator_search_vector();
CREATE TRIGGER indicators_search_vectors
    AFTER INSERT OR UPDATE OF definition, unit, language ON indicators_metric
    FOR EACH ROW EXECUTE FUNCTION indicators_metric_indicators_search_vectors();

-- The indicators there are, in one UPDATE, each row's trigger computing its vector.
UPDATE indicators_indicator SET search_vector = NULL;

CREATE INDEX indicators_indicator_search_vector ON indicators_indicator
    USING gin (search_vector);
"""

BACKWARDS = """
DROP TRIGGER indicators_search_vectors ON indicators_metric;
DROP TRIGGER search_vector ON indicators_indicator;
DROP FUNCTION indicators_metric_indicators_search_vectors();
DROP FUNCTION indicators_indicator_search_vector();
ALTER TABLE indicators_indicator DROP COLUMN search_vector;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0013_target_assessments"),
        ("municipalities", "0004_content_search_config"),
    ]

    operations = [run_on_postgresql(FORWARDS, BACKWARDS)]
