#include "store/partition.h"

#include <time.h>

/*
 * Migration 33. jiefen_partition_by_year turns table t into one partitioned by range of
 * column k: the new table is built LIKE the old (columns, defaults, checks, generated
 * columns), rows copied, the old one dropped and the new one renamed in its place. Indexes
 * and foreign keys are kept as their definitions, read before the swap, and created again
 * on the partitioned table (an index on the parent is created on every partition, present
 * and future). Foreign keys that reference t are dropped first and added again after the
 * swap: their text says "REFERENCES cases(id)", which then names the new table (only the
 * top-level constraints: one referencing a partitioned table has a clone per partition). A unique
 * index other than the primary key cannot be kept (it would have to hold k): the caller
 * replaces it (case_numbers below).
 */
const char store_case_partitions_pg[] =
    "CREATE SEQUENCE case_ids;\n"
    "SELECT setval('case_ids', (SELECT COALESCE(MAX(id), 0) + 1 FROM cases), false);\n"
    "CREATE SEQUENCE case_event_ids;\n"
    "SELECT setval('case_event_ids', (SELECT COALESCE(MAX(id), 0) + 1 FROM case_events),"
    " false);\n"
    "CREATE FUNCTION jiefen_partition_by_year(t text, k text, pk text, id_default text)"
    " RETURNS void LANGUAGE plpgsql AS $f$\n"
    "DECLARE cols text; idx text[]; fks text[]; fk record; s text;\n"
    "BEGIN\n"
    "  SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols"
    "   FROM pg_attribute WHERE attrelid = t::regclass AND attnum > 0 AND NOT attisdropped"
    "   AND attgenerated = '';\n"
    "  SELECT COALESCE(array_agg(pg_get_indexdef(indexrelid)), '{}') INTO idx FROM pg_index"
    "   WHERE indrelid = t::regclass AND NOT indisunique;\n"
    "  SELECT COALESCE(array_agg(format('ALTER TABLE %s ADD CONSTRAINT %I %s',"
    "   conrelid::regclass, conname, pg_get_constraintdef(oid))), '{}') INTO fks"
    "   FROM pg_constraint WHERE contype = 'f' AND conparentid = 0"
    "   AND (confrelid = t::regclass OR conrelid = t::regclass);\n"
    "  FOR fk IN SELECT conrelid::regclass AS r, conname FROM pg_constraint"
    "   WHERE contype = 'f' AND conparentid = 0 AND confrelid = t::regclass LOOP\n"
    "    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.r, fk.conname);\n"
    "  END LOOP;\n"
    "  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
    " INCLUDING GENERATED) PARTITION BY RANGE (%I)', t || '_p', t, k);\n"
    "  EXECUTE format('ALTER TABLE %I ALTER COLUMN id SET DEFAULT %s', t || '_p', id_default);\n"
    "  EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (MINVALUE)"
    " TO (20000000000000)', t || '_legacy', t || '_p');\n"
    "  EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', t || '_default', t || '_p');\n"
    "  EXECUTE format('INSERT INTO %I (%s) SELECT %s FROM %I', t || '_p', cols, cols, t);\n"
    "  EXECUTE format('DROP TABLE %I', t);\n"
    "  EXECUTE format('ALTER TABLE %I RENAME TO %I', t || '_p', t);\n"
    "  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (%s)', t, t || '_pkey', pk);\n"
    "  FOREACH s IN ARRAY idx LOOP EXECUTE s; END LOOP;\n"
    "  FOREACH s IN ARRAY fks LOOP EXECUTE s; END LOOP;\n"
    "END $f$;\n"
    /* The number's uniqueness, global again (it was cases_number_key). */
    "CREATE TABLE case_numbers (number TEXT PRIMARY KEY, case_id BIGINT NOT NULL);\n"
    "INSERT INTO case_numbers (number, case_id) SELECT number, id FROM cases"
    " WHERE number IS NOT NULL;\n"
    "SELECT jiefen_partition_by_year('cases', 'id', 'id',"
    " '(EXTRACT(YEAR FROM now() AT TIME ZONE ''Asia/Shanghai''))::bigint * 10000000000"
    " + nextval(''case_ids'')');\n"
    "SELECT jiefen_partition_by_year('case_events', 'case_id', 'id, case_id',"
    " 'nextval(''case_event_ids'')');\n"
    "ALTER SEQUENCE case_ids OWNED BY cases.id;\n"
    "ALTER SEQUENCE case_event_ids OWNED BY case_events.id;\n"
    "DROP FUNCTION jiefen_partition_by_year(text, text, text, text);\n"
    /* Lookups by number (search, the tracking page) had the unique index. */
    "CREATE INDEX cases_number ON cases(number);\n"
    "CREATE FUNCTION case_numbers_keep() RETURNS trigger LANGUAGE plpgsql AS $f$\n"
    "BEGIN\n"
    "  IF TG_OP <> 'INSERT' AND OLD.number IS NOT NULL THEN\n"
    "    DELETE FROM case_numbers WHERE number = OLD.number;\n"
    "  END IF;\n"
    "  IF TG_OP <> 'DELETE' AND NEW.number IS NOT NULL THEN\n"
    "    INSERT INTO case_numbers (number, case_id) VALUES (NEW.number, NEW.id);\n"
    "  END IF;\n"
    "  RETURN NULL;\n"
    "END $f$;\n"
    "CREATE TRIGGER cases_number_unique AFTER INSERT OR DELETE OR UPDATE OF number ON cases"
    " FOR EACH ROW EXECUTE FUNCTION case_numbers_keep();\n"
    /* The yearly partitions: those missing from year y0 to y1. A year whose rows already
     * went to the default partition keeps them there (a new partition would be refused). */
    "CREATE FUNCTION jiefen_year_partitions(y0 int, y1 int) RETURNS void LANGUAGE plpgsql"
    " AS $f$\n"
    "DECLARE y int; t text; k text; lo bigint; hi bigint; busy boolean;\n"
    "BEGIN\n"
    "  FOR y IN y0 .. y1 LOOP\n"
    "    lo := y::bigint * 10000000000; hi := (y + 1)::bigint * 10000000000;\n"
    "    FOREACH t IN ARRAY ARRAY['cases', 'case_events'] LOOP\n"
    "      CONTINUE WHEN to_regclass(t || '_y' || y) IS NOT NULL;\n"
    "      k := CASE t WHEN 'cases' THEN 'id' ELSE 'case_id' END;\n"
    "      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= %s AND %I < %s)',"
    "       t || '_default', k, lo, k, hi) INTO busy;\n"
    "      CONTINUE WHEN busy;\n"
    "      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)',"
    "       t || '_y' || y, t, lo, hi);\n"
    "    END LOOP;\n"
    "  END LOOP;\n"
    "END $f$;\n"
    /* The bulk generator (jiefen demo) loads a few years back. */
    "SELECT jiefen_year_partitions("
    "(EXTRACT(YEAR FROM now() AT TIME ZONE 'Asia/Shanghai'))::int - 3,"
    " (EXTRACT(YEAR FROM now() AT TIME ZONE 'Asia/Shanghai'))::int + 5);\n";

int store_case_year_of(int64_t ms)
{
    time_t t = (time_t)((ms + 8LL * 3600 * 1000) / 1000); /* China: UTC+8, no DST */
    struct tm tm;

    if (!gmtime_r(&t, &tm))
        return 1970;
    return tm.tm_year + 1900;
}

store_err store_case_partitions_ahead(struct store_conn *c, int ahead)
{
    int y = store_case_year_of(store_now_ms());

    if (store_conn_kind(c) != STORE_PG)
        return STORE_OK;
    return store_exec(c, "SELECT jiefen_year_partitions($1::int, $2::int)",
                      STORE_PARAMS(SP_INT(y), SP_INT(y + ahead)), NULL);
}
