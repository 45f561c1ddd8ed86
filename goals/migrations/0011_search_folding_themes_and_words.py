"""Search on PostgreSQL that finds what people type (issue 14).

- Diacritics folded: every content language's text search configuration gets a copy that
  runs words through `unaccent` before stemming (Danish "årselever" and "arselever" both
  become 'arselev'; æ becomes "ae", ø "o", ä and ö "a" and "o"), and `content_search_config`
  returns those copies, so the stored vectors, the queries and the highlighted excerpts read
  words the same way. The vectors of the goals app are built again here and the indicators'
  in indicators/migrations/0017_search_folding.py. Stemming an unaccented word can differ
  from stemming it as written (the Danish stemmer takes "-løst" off "hjælpeløst" but not
  "-lost"), the same way for the text and the query, so nothing is lost that matched before
  except such a suffix.
- Themes and working models get stored vectors, triggers and GIN indexes like the other
  kinds (goals/migrations/0008_search_vectors.py says why triggers).
- "Did you mean": `goals_searchword` holds every word of four letters or more that the
  searched texts have held, lower-case as written and folded, with a trigram index (pg_trgm)
  of the folded word, so that the word nearest a misspelling is found through the index
  ("arselevr" is nearer "arselever" than "årselever"). Triggers add the words of each
  row written; words are never taken out, and a draft's words are there too: search.py only
  suggests a word that something the reader may see contains, by its stored vector.
"""

from django.db import migrations, models

from municipalities.postgresql import run_on_postgresql

FORWARDS = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TEXT SEARCH CONFIGURATION danish_folded (COPY = danish);
ALTER TEXT SEARCH CONFIGURATION danish_folded
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, danish_stem;
CREATE TEXT SEARCH CONFIGURATION swedish_folded (COPY = swedish);
ALTER TEXT SEARCH CONFIGURATION swedish_folded
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, swedish_stem;
CREATE TEXT SEARCH CONFIGURATION english_folded (COPY = english);
ALTER TEXT SEARCH CONFIGURATION english_folded
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION simple_folded (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION simple_folded
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
CREATE OR REPLACE FUNCTION content_search_config(language varchar) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE language
        WHEN 'da' THEN 'danish_folded'::regconfig
        WHEN 'sv' THEN 'swedish_folded'::regconfig
        WHEN 'en' THEN 'english_folded'::regconfig
        ELSE 'simple_folded'::regconfig
    END
$$;

ALTER TABLE goals_theme ADD COLUMN search_vector tsvector;
ALTER TABLE goals_workingmodel ADD COLUMN search_vector tsvector;

CREATE FUNCTION goals_theme_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    config regconfig := content_search_config(NEW.language);
BEGIN
    NEW.search_vector := setweight(to_tsvector(config, NEW.name), 'A')
        || to_tsvector(config, NEW.description);
    RETURN NEW;
END
$$;

CREATE FUNCTION goals_workingmodel_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    config regconfig := content_search_config(NEW.language);
BEGIN
    NEW.search_vector := setweight(to_tsvector(config, NEW.name), 'A')
        || to_tsvector(config, concat_ws(' ', NEW.description, NEW.results));
    RETURN NEW;
END
$$;

CREATE TRIGGER search_vector BEFORE INSERT OR UPDATE ON goals_theme
    FOR EACH ROW EXECUTE FUNCTION goals_theme_search_vector();
CREATE TRIGGER search_vector BEFORE INSERT OR UPDATE ON goals_workingmodel
    FOR EACH ROW EXECUTE FUNCTION goals_workingmodel_search_vector();

CREATE TABLE goals_searchword (word text PRIMARY KEY, folded text NOT NULL);
CREATE INDEX goals_searchword_trigram ON goals_searchword USING gin (folded gin_trgm_ops);

-- The words of the columns the trigger names, from the row written.
CREATE FUNCTION goals_searchword_add() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written jsonb := to_jsonb(NEW);
BEGIN
    INSERT INTO goals_searchword (word, folded)
        SELECT DISTINCT word, unaccent(word)
        FROM unnest(TG_ARGV) AS col,
            regexp_split_to_table(lower(written ->> col), '[^[:alpha:]]+') AS word
        WHERE length(word) BETWEEN 4 AND 40
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER search_words AFTER INSERT OR UPDATE OF
    title, subtitle, introduction, purpose, mission, vision, "values" ON goals_strategy
    FOR EACH ROW EXECUTE FUNCTION goals_searchword_add(
        'title', 'subtitle', 'introduction', 'purpose', 'mission', 'vision', 'values');
CREATE TRIGGER search_words AFTER INSERT OR UPDATE OF
    label, title, headline, ambition, description ON goals_focusarea
    FOR EACH ROW EXECUTE FUNCTION goals_searchword_add(
        'label', 'title', 'headline', 'ambition', 'description');
CREATE TRIGGER search_words AFTER INSERT OR UPDATE OF text, description ON goals_goal
    FOR EACH ROW EXECUTE FUNCTION goals_searchword_add('text', 'description');
CREATE TRIGGER search_words AFTER INSERT OR UPDATE OF name, description ON goals_theme
    FOR EACH ROW EXECUTE FUNCTION goals_searchword_add('name', 'description');
CREATE TRIGGER search_words AFTER INSERT OR UPDATE OF name, description, results
    ON goals_workingmodel
    FOR EACH ROW EXECUTE FUNCTION goals_searchword_add('name', 'description', 'results');

-- The rows there are: their vectors in the folded configurations, and their words.
UPDATE goals_strategy SET search_vector = NULL;
UPDATE goals_focusarea SET search_vector = NULL;
UPDATE goals_goal SET search_vector = NULL;
UPDATE goals_theme SET search_vector = NULL;
UPDATE goals_workingmodel SET search_vector = NULL;
INSERT INTO goals_searchword (word, folded)
    SELECT DISTINCT word, unaccent(word)
    FROM (
        SELECT concat_ws(' ', title, subtitle, introduction, purpose, mission, vision, "values")
            FROM goals_strategy
        UNION ALL SELECT concat_ws(' ', label, title, headline, ambition, description)
            FROM goals_focusarea
        UNION ALL SELECT concat_ws(' ', text, description) FROM goals_goal
        UNION ALL SELECT concat_ws(' ', name, description) FROM goals_theme
        UNION ALL SELECT concat_ws(' ', name, description, results) FROM goals_workingmodel
    ) AS texts (text),
        regexp_split_to_table(lower(text), '[^[:alpha:]]+') AS word
    WHERE length(word) BETWEEN 4 AND 40
    ON CONFLICT DO NOTHING;

CREATE INDEX goals_theme_search_vector ON goals_theme USING gin (search_vector);
CREATE INDEX goals_workingmodel_search_vector ON goals_workingmodel USING gin (search_vector);
"""

BACKWARDS = """
DROP TRIGGER search_words ON goals_strategy;
DROP TRIGGER search_words ON goals_focusarea;
DROP TRIGGER search_words ON goals_goal;
DROP TRIGGER search_words ON goals_theme;
DROP TRIGGER search_words ON goals_workingmodel;
DROP FUNCTION goals_searchword_add();
DROP TABLE goals_searchword;
DROP TRIGGER search_vector ON goals_theme;
DROP TRIGGER search_vector ON goals_workingmodel;
DROP FUNCTION goals_theme_search_vector();
DROP FUNCTION goals_workingmodel_search_vector();
ALTER TABLE goals_theme DROP COLUMN search_vector;
ALTER TABLE goals_workingmodel DROP COLUMN search_vector;
CREATE OR REPLACE FUNCTION content_search_config(language varchar) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE language
        WHEN 'da' THEN 'danish'::regconfig
        WHEN 'sv' THEN 'swedish'::regconfig
        WHEN 'en' THEN 'english'::regconfig
        ELSE 'simple'::regconfig
    END
$$;
UPDATE goals_strategy SET search_vector = NULL;
UPDATE goals_focusarea SET search_vector = NULL;
UPDATE goals_goal SET search_vector = NULL;
DROP TEXT SEARCH CONFIGURATION danish_folded;
DROP TEXT SEARCH CONFIGURATION swedish_folded;
DROP TEXT SEARCH CONFIGURATION english_folded;
DROP TEXT SEARCH CONFIGURATION simple_folded;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0010_working_model_drafts"),
    ]

    operations = [
        run_on_postgresql(FORWARDS, BACKWARDS),
        # The word list, which only PostgreSQL has and only search.py reads.
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.TextField(primary_key=True, serialize=False)),
                ("folded", models.TextField()),
            ],
            options={"managed": False, "db_table": "goals_searchword"},
        ),
    ]
