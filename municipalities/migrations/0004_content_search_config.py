"""The text search configuration of each content language, which the search vectors of goals
and indicators are built with: Danish and Swedish stemming, and 'simple' (words as written)
for a language PostgreSQL has no configuration for. A language added to `ContentLanguage`
needs its configuration here, in a migration that replaces the function."""

from django.db import migrations

from municipalities.postgresql import run_on_postgresql


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0003_user_language"),
    ]

    operations = [
        run_on_postgresql(
            """
            CREATE FUNCTION content_search_config(language varchar) RETURNS regconfig
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                SELECT CASE language
                    WHEN 'da' THEN 'danish'::regconfig
                    WHEN 'sv' THEN 'swedish'::regconfig
                    WHEN 'en' THEN 'english'::regconfig
                    ELSE 'simple'::regconfig
                END
            $$;
            """,
            "DROP FUNCTION content_search_config(varchar);",
        ),
    ]
