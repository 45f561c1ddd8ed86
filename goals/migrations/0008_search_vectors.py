"""Stored search vectors of strategies, focus areas and goals on PostgreSQL, with GIN indexes,
so that search reads an index instead of building a vector of every row on every request.

Triggers keep them current, rather than Python: they see every write path the same way –
a save in the admin or a service, bulk_create (generate_national_data), fixtures loaded raw
(load_seed), QuerySet.update() and SQL by hand – so no path can forget them. A GENERATED
column cannot do it: it reads only its own row, and a focus area's or a goal's texts are
stemmed in the language of its strategy, another table. The ORM neither reads nor writes
these columns (search.py names them in its query), so SQLite, which searches by plain
matching, has none, and no page loads a vector it does not use.

The texts each vector holds are those `strategyportal.search.kinds()` lists: a field added
there needs a migration that replaces the function here. The title weighs most in ranking.
"""

from django.db import migrations

from municipalities.postgresql import run_on_postgresql

FORWARDS = """
ALTER TABLE goals_strategy ADD COLUMN search_vector tsvector;
ALTER TABLE goals_focusarea ADD COLUMN search_vector tsvector;
ALTER TABLE goals_goal ADD COLUMN search_vector tsvector;

CREATE FUNCTION goals_strategy_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    config regconfig := content_search_config(NEW.language);
BEGIN
    NEW.search_vector := setweight(to_tsvector(config, NEW.title), 'A') || to_tsvector(
        config,
        concat_ws(' ', NEW.subtitle, NEW.introduction, NEW.purpose, NEW.mission, NEW.vision,
                  NEW."values")
    );
    RETURN NEW;
END
$$;

-- A focus area's and a goal's texts are written in their strategy's language. A part whose
-- strategy is not there yet (fixtures load with deferred foreign keys) gets 'simple' until
-- the strategy arrives and vectors it again.
CREATE FUNCTION goals_strategy_part_search_config(strategy_id bigint) RETURNS regconfig
LANGUAGE sql STABLE AS $$
    SELECT content_search_config((SELECT language FROM goals_strategy WHERE id = $1))
$$;

CREATE FUNCTION goals_focusarea_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    config regconfig := goals_strategy_part_search_config(NEW.strategy_id);
BEGIN
    NEW.search_vector := setweight(to_tsvector(config, concat_ws(' ', NEW.label, NEW.title)), 'A')
        || to_tsvector(config, concat_ws(' ', NEW.headline, NEW.ambition, NEW.description));
    RETURN NEW;
END
$$;

CREATE FUNCTION goals_goal_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    config regconfig := goals_strategy_part_search_config(NEW.strategy_id);
BEGIN
    NEW.search_vector := setweight(to_tsvector(config, NEW.text), 'A')
        || to_tsvector(config, NEW.description);
    RETURN NEW;
END
$$;

-- Setting a part's vector to anything runs the part's own trigger, which computes it.
CREATE FUNCTION goals_strategy_parts_search_vectors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.language IS NOT DISTINCT FROM OLD.language THEN
            RETURN NULL;
        END IF;
    END IF;
    UPDATE goals_focusarea SET search_vector = NULL WHERE strategy_id = NEW.id;
    UPDATE goals_goal SET search_vector = NULL WHERE strategy_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER search_vector BEFORE INSERT OR UPDATE ON goals_strategy
    FOR EACH ROW EXECUTE FUNCTION goals_strategy_search_vector();
CREATE TRIGGER search_vector BEFORE INSERT OR UPDATE ON goals_focusarea
    FOR EACH ROW EXECUTE FUNCTION goals_focusarea_search_vector();
CREATE TRIGGER search_vector BEFORE INSERT OR UPDATE ON goals_goal
    FOR EACH ROW EXECUTE FUNCTION goals_goal_search_vector();
CREATE TRIGGER parts_search_vectors AFTER INSERT OR UPDATE OF language ON goals_strategy
    FOR EACH ROW EXECUTE FUNCTION goals_strategy_parts_search_vectors();

-- The rows there are, one UPDATE per table, each row's trigger computing its vector.
UPDATE goals_strategy SET search_vector = NULL;
UPDATE goals_focusarea SET search_vector = NULL;
UPDATE goals_goal SET search_vector = NULL;

CREATE INDEX goals_strategy_search_vector ON goals_strategy USING gin (search_vector);
CREATE INDEX goals_focusarea_search_vector ON goals_focusarea USING gin (search_vector);
CREATE INDEX goals_goal_search_vector ON goals_goal USING gin (search_vector);
"""

BACKWARDS = """
DROP TRIGGER parts_search_vectors ON goals_strategy;
DROP TRIGGER search_vector ON goals_strategy;
DROP TRIGGER search_vector ON goals_focusarea;
DROP TRIGGER search_vector ON goals_goal;
DROP FUNCTION goals_strategy_parts_search_vectors();
DROP FUNCTION goals_goal_search_vector();
DROP FUNCTION goals_focusarea_search_vector();
DROP FUNCTION goals_strategy_part_search_config(bigint);
DROP FUNCTION goals_strategy_search_vector();
ALTER TABLE goals_goal DROP COLUMN search_vector;
ALTER TABLE goals_focusarea DROP COLUMN search_vector;
ALTER TABLE goals_strategy DROP COLUMN search_vector;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0007_source_file_help"),
        ("municipalities", "0004_content_search_config"),
    ]

    operations = [run_on_postgresql(FORWARDS, BACKWARDS)]
