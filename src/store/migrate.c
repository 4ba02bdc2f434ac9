#include "store/migrate.h"
#include "store/cases.h"
#include "store/partition.h"
#include "store/seed.h"
#include "watch/stats.h"
#include "watch/trend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Tokens in the DDL, expanded per backend:
 *   @PK@     identity primary key
 *   @INT@    64-bit integer
 *   @CTEXT@  text compared bytewise: region paths are range-scanned, and a linguistic
 *            collation (PostgreSQL's default en_US, say) would ignore the '/' separators
 *   @STRICT@ SQLite's STRICT table option: values of the wrong type are refused
 * Timestamps are @INT@ epoch milliseconds computed in C.
 */
struct migration {
    int version;
    const char *name;
    const char *ddl;
    const char *sqlite_extra; /* dialect-only statements (triggers), may be NULL */
    const char *pg_extra;
    store_err (*seed)(struct store_conn *c); /* reference data every installation needs */
};

/* v12: the queue key of a case (see there). Received times have 13 digits from 2001 to
 * 2286, so counted backwards from 9999999999999 they sort newest first as text. */
#define CASE_QUEUE_KEY(RANK)                                                                       \
    "CASE WHEN state IN ('rejected', 'withdrawn', 'closed', 'archived')"                           \
    " THEN '2' || CAST(9999999999999 - received_at AS TEXT)"                                       \
    " WHEN due_date IS NULL THEN '1' || " RANK " || CAST(received_at AS TEXT)"                     \
    " ELSE '0' || due_date || " RANK " END"
#define CASE_RISK_RANK_V12 "CASE risk WHEN 'high' THEN '0' WHEN 'medium' THEN '1' ELSE '2' END"
/* v16: the four levels of issue 10, red first. */
#define CASE_RISK_RANK                                                                             \
    "CASE risk WHEN 'red' THEN '0' WHEN 'orange' THEN '1' WHEN 'yellow' THEN '2'"                  \
    " ELSE '3' END"
static const struct migration migrations[] = {
    {1, "foundation: regions, organizations, users, sessions, tokens, audit log",
     "CREATE TABLE regions (\n"
     "  id @PK@,\n"
     "  code TEXT NOT NULL UNIQUE,\n"
     "  name TEXT NOT NULL,\n"
     "  level TEXT NOT NULL,\n"
     "  parent_id @INT@ REFERENCES regions(id),\n"
     "  path @CTEXT@ NOT NULL UNIQUE,\n"
     "  population @INT@,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  updated_at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE INDEX regions_parent ON regions(parent_id);\n"
     "CREATE TABLE organizations (\n"
     "  id @PK@,\n"
     "  name TEXT NOT NULL,\n"
     "  type TEXT NOT NULL,\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  address TEXT,\n"
     "  phone TEXT,\n"
     "  status TEXT NOT NULL,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  updated_at @INT@ NOT NULL,\n"
     "  UNIQUE (region_id, name)\n"
     ")@STRICT@;\n"
     "CREATE INDEX organizations_region ON organizations(region_id);\n"
     "CREATE TABLE users (\n"
     "  id @PK@,\n"
     "  login TEXT NOT NULL UNIQUE,\n"
     "  name TEXT NOT NULL,\n"
     "  phone TEXT,\n"
     "  password_hash TEXT NOT NULL,\n"
     "  roles @INT@ NOT NULL,\n"
     "  org_id @INT@ NOT NULL REFERENCES organizations(id),\n"
     "  active @INT@ NOT NULL,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  updated_at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE INDEX users_org ON users(org_id);\n"
     "CREATE TABLE sessions (\n"
     "  id @PK@,\n"
     "  token_hash TEXT NOT NULL UNIQUE,\n"
     "  csrf_token TEXT NOT NULL,\n"
     "  user_id @INT@ NOT NULL REFERENCES users(id),\n"
     "  ip TEXT NOT NULL,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  expires_at @INT@ NOT NULL,\n"
     "  ended_at @INT@\n"
     ")@STRICT@;\n"
     "CREATE INDEX sessions_user ON sessions(user_id);\n"
     "CREATE TABLE api_tokens (\n"
     "  id @PK@,\n"
     "  user_id @INT@ NOT NULL REFERENCES users(id),\n"
     "  name TEXT NOT NULL,\n"
     "  token_hash TEXT NOT NULL UNIQUE,\n"
     "  created_by @INT@ REFERENCES users(id),\n"
     "  created_at @INT@ NOT NULL,\n"
     "  last_used_at @INT@,\n"
     "  revoked_at @INT@\n"
     ")@STRICT@;\n"
     "CREATE INDEX api_tokens_user ON api_tokens(user_id);\n"
     "CREATE TABLE login_failures (\n"
     "  id @PK@,\n"
     "  at @INT@ NOT NULL,\n"
     "  login TEXT NOT NULL,\n"
     "  ip TEXT NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE INDEX login_failures_login ON login_failures(login, at);\n"
     "CREATE INDEX login_failures_ip ON login_failures(ip, at);\n"
     "CREATE TABLE audit_log (\n"
     "  id @PK@,\n"
     "  at @INT@ NOT NULL,\n"
     "  actor_id @INT@,\n"
     "  actor_login TEXT,\n"
     "  actor_path @CTEXT@ NOT NULL,\n"
     "  ip TEXT NOT NULL,\n"
     "  action TEXT NOT NULL,\n"
     "  object_type TEXT NOT NULL,\n"
     "  object_id @INT@,\n"
     "  fields TEXT NOT NULL,\n"
     "  detail TEXT\n"
     ")@STRICT@;\n"
     "CREATE INDEX audit_log_at ON audit_log(at);\n"
     "CREATE INDEX audit_log_object ON audit_log(object_type, object_id);\n"
     "CREATE INDEX audit_log_actor_path ON audit_log(actor_path);\n",
     /* The audit log is append-only (issue 2, section 5): the database refuses changes
      * even if a future bug in the application tried one. */
     "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
     "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n"
     "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
     "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n",
     "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$\n"
     "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;\n"
     "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
     "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();\n",
     NULL},
    {2,
     "registry: organization details, mediators, experts, grid workers, routing rules,"
     " service catalogue, calendar, sensitive periods",
     "ALTER TABLE regions ADD COLUMN population_synthetic @INT@ NOT NULL DEFAULT 0;\n"
     "CREATE INDEX regions_level ON regions(level);\n"
     "ALTER TABLE organizations ADD COLUMN industry TEXT;\n"
     "ALTER TABLE organizations ADD COLUMN host TEXT;\n"
     "ALTER TABLE organizations ADD COLUMN field TEXT;\n"
     "ALTER TABLE organizations ADD COLUMN categories TEXT NOT NULL DEFAULT '[]';\n"
     "ALTER TABLE organizations ADD COLUMN contact_person TEXT;\n"
     "ALTER TABLE organizations ADD COLUMN description TEXT;\n"
     "CREATE TABLE mediators (\n"
     "  id @PK@,\n"
     "  name TEXT NOT NULL,\n"
     "  gender TEXT,\n"
     "  phone TEXT,\n"
     "  mediator_type TEXT NOT NULL,\n"
     "  grade TEXT NOT NULL,\n"
     "  specialties TEXT NOT NULL,\n"
     "  user_id @INT@ REFERENCES users(id),\n"
     "  status TEXT NOT NULL,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  updated_at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE TABLE mediator_orgs (\n"
     "  mediator_id @INT@ NOT NULL REFERENCES mediators(id),\n"
     "  org_id @INT@ NOT NULL REFERENCES organizations(id),\n"
     "  position @INT@ NOT NULL,\n"
     "  PRIMARY KEY (mediator_id, org_id)\n"
     ")@STRICT@;\n"
     "CREATE INDEX mediator_orgs_org ON mediator_orgs(org_id);\n"
     "CREATE TABLE experts (\n"
     "  id @PK@,\n"
     "  name TEXT NOT NULL,\n"
     "  specialty TEXT NOT NULL,\n"
     "  industry TEXT,\n"
     "  title TEXT,\n"
     "  phone TEXT,\n"
     "  availability TEXT NOT NULL,\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  note TEXT,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  updated_at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE INDEX experts_region ON experts(region_id);\n"
     "CREATE TABLE grid_workers (\n"
     "  id @PK@,\n"
     "  name TEXT NOT NULL,\n"
     "  phone TEXT,\n"
     "  grid_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  user_id @INT@ REFERENCES users(id),\n"
     "  status TEXT NOT NULL,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  updated_at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE INDEX grid_workers_grid ON grid_workers(grid_id);\n"
     "CREATE TABLE catalogue_items (\n"
     "  id @PK@,\n"
     "  name TEXT NOT NULL UNIQUE,\n"
     "  legal_basis TEXT,\n"
     "  level TEXT,\n"
     "  handling_body TEXT,\n"
     "  conditions TEXT,\n"
     "  procedure TEXT,\n"
     "  documents TEXT NOT NULL,\n"
     "  time_limit TEXT,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  updated_at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE TABLE routing_rules (\n"
     "  id @PK@,\n"
     "  name TEXT NOT NULL,\n"
     "  region_id @INT@ REFERENCES regions(id),\n"
     "  category TEXT,\n"
     "  region_level TEXT,\n"
     "  complexity TEXT,\n"
     "  amount_min @INT@,\n"
     "  amount_max @INT@,\n"
     "  people_min @INT@,\n"
     "  people_max @INT@,\n"
     "  management_level TEXT NOT NULL,\n"
     "  department TEXT NOT NULL,\n"
     "  department_field TEXT,\n"
     "  method TEXT NOT NULL,\n"
     "  time_limit_days @INT@ NOT NULL,\n"
     "  time_limit_kind TEXT NOT NULL,\n"
     "  lead_leader @INT@ NOT NULL,\n"
     "  notice_ids TEXT NOT NULL,\n"
     "  enabled @INT@ NOT NULL,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  updated_at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE INDEX routing_rules_region ON routing_rules(region_id);\n"
     "CREATE TABLE calendar_days (\n"
     "  day TEXT PRIMARY KEY,\n"
     "  kind TEXT NOT NULL,\n"
     "  name TEXT NOT NULL,\n"
     "  provisional @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE TABLE sensitive_periods (\n"
     "  id @PK@,\n"
     "  name TEXT NOT NULL,\n"
     "  start_day TEXT NOT NULL,\n"
     "  end_day TEXT NOT NULL,\n"
     "  region_ids TEXT NOT NULL,\n"
     "  region_names TEXT NOT NULL,\n"
     "  scope_path @CTEXT@ NOT NULL,\n"
     "  note TEXT,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  updated_at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE TABLE sensitive_period_regions (\n"
     "  period_id @INT@ NOT NULL REFERENCES sensitive_periods(id) ON DELETE CASCADE,\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  PRIMARY KEY (period_id, region_id)\n"
     ")@STRICT@;\n",
     NULL, NULL, store_seed_registry},
    {3, "cases: register, parties (sealed personal data), events, sessions, numbering",
     "CREATE TABLE settings (\n"
     "  key TEXT PRIMARY KEY,\n"
     "  value TEXT NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE TABLE case_counters (\n"
     "  county_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  year @INT@ NOT NULL,\n"
     "  last @INT@ NOT NULL,\n"
     "  PRIMARY KEY (county_id, year)\n"
     ")@STRICT@;\n"
     "CREATE TABLE cases (\n"
     "  id @PK@,\n"
     "  number TEXT NOT NULL UNIQUE,\n"
     "  channel TEXT NOT NULL,\n"
     "  state TEXT NOT NULL,\n"
     "  resume_state TEXT,\n"
     "  category TEXT NOT NULL,\n"
     "  complexity TEXT NOT NULL,\n"
     "  facts TEXT NOT NULL,\n"
     "  claims TEXT,\n"
     "  cause TEXT,\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  region_path @CTEXT@ NOT NULL,\n"
     "  occurred_on TEXT,\n"
     "  people @INT@,\n"
     "  amount @INT@,\n"
     "  key_persons @INT@ NOT NULL,\n"
     "  forecast TEXT,\n"
     "  urgent @INT@ NOT NULL,\n"
     "  level TEXT NOT NULL,\n"
     "  routing TEXT,\n"
     "  method TEXT,\n"
     "  time_limit_days @INT@,\n"
     "  time_limit_kind TEXT,\n"
     "  due_date TEXT,\n"
     "  lead_leader TEXT,\n"
     "  resp_org_id @INT@ REFERENCES organizations(id),\n"
     "  resp_user_id @INT@ REFERENCES users(id),\n"
     "  mediator_ids TEXT NOT NULL,\n"
     "  expert_ids TEXT NOT NULL,\n"
     "  sessions_at_level @INT@ NOT NULL,\n"
     "  failure_reviewed @INT@ NOT NULL,\n"
     "  feedback_recorded @INT@ NOT NULL,\n"
     "  related_to @INT@ REFERENCES cases(id),\n"
     "  clerk_id @INT@ REFERENCES users(id),\n"
     "  received_at @INT@ NOT NULL,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  updated_at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE INDEX cases_region_path ON cases(region_path);\n"
     "CREATE INDEX cases_state ON cases(state);\n"
     "CREATE INDEX cases_due ON cases(due_date);\n"
     "CREATE TABLE case_parties (\n"
     "  id @PK@,\n"
     "  case_id @INT@ NOT NULL REFERENCES cases(id),\n"
     "  role TEXT NOT NULL,\n"
     "  kind TEXT NOT NULL,\n"
     "  name TEXT NOT NULL,\n"
     "  id_sealed TEXT,\n"
     "  id_index TEXT,\n"
     "  phone_sealed TEXT,\n"
     "  phone_index TEXT,\n"
     "  address_sealed TEXT,\n"
     "  agent TEXT\n"
     ")@STRICT@;\n"
     "CREATE INDEX case_parties_case ON case_parties(case_id);\n"
     "CREATE INDEX case_parties_id_index ON case_parties(id_index);\n"
     "CREATE INDEX case_parties_phone_index ON case_parties(phone_index);\n"
     "CREATE TABLE case_events (\n"
     "  id @PK@,\n"
     "  case_id @INT@ NOT NULL REFERENCES cases(id),\n"
     "  at @INT@ NOT NULL,\n"
     "  actor_id @INT@,\n"
     "  actor_login TEXT,\n"
     "  action TEXT NOT NULL,\n"
     "  from_state TEXT,\n"
     "  to_state TEXT NOT NULL,\n"
     "  data TEXT NOT NULL,\n"
     "  public @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE INDEX case_events_case ON case_events(case_id, id);\n"
     "CREATE TABLE case_sessions (\n"
     "  id @PK@,\n"
     "  case_id @INT@ NOT NULL REFERENCES cases(id),\n"
     "  level TEXT NOT NULL,\n"
     "  held_at TEXT NOT NULL,\n"
     "  place TEXT,\n"
     "  participants TEXT,\n"
     "  record TEXT NOT NULL,\n"
     "  next_step TEXT,\n"
     "  mediator_user_id @INT@ REFERENCES users(id),\n"
     "  created_at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE INDEX case_sessions_case ON case_sessions(case_id);\n",
     NULL, NULL, NULL},
    /* Full-text search over names, facts and claims: the core turns text into character
     * bigrams (src/text), each backend indexes them its own way. */
    {4, "case search: bigram index (SQLite FTS5, PostgreSQL GIN array)", NULL,
     "CREATE VIRTUAL TABLE case_search USING fts5(terms);\n",
     "ALTER TABLE cases ADD COLUMN search_terms TEXT[];\n"
     "CREATE INDEX cases_search_terms ON cases USING GIN (search_terms);\n",
     NULL},
    {5, "citizens: access codes for tracking, and a record of public requests for rate limits",
     "ALTER TABLE cases ADD COLUMN access_digest TEXT;\n"
     "CREATE TABLE public_requests (\n"
     "  id @PK@,\n"
     "  at @INT@ NOT NULL,\n"
     "  kind TEXT NOT NULL,\n"
     "  ip TEXT NOT NULL,\n"
     "  phone_index TEXT\n"
     ")@STRICT@;\n"
     "CREATE INDEX public_requests_ip ON public_requests(kind, ip, at);\n"
     "CREATE INDEX public_requests_phone ON public_requests(kind, phone_index, at);\n",
     NULL, NULL, NULL},
    /* One warning per case, kind and due date: the unique key makes the scheduler
     * idempotent, so a restart or a second server never warns twice. */
    {6, "deadline warnings raised by the scheduler",
     "CREATE TABLE case_warnings (\n"
     "  id @PK@,\n"
     "  case_id @INT@ NOT NULL REFERENCES cases(id),\n"
     "  kind TEXT NOT NULL,\n"
     "  due_date TEXT NOT NULL,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  UNIQUE (case_id, kind, due_date)\n"
     ")@STRICT@;\n"
     "CREATE INDEX case_warnings_created ON case_warnings(created_at);\n",
     NULL, NULL, NULL},
    /* The files themselves are stored by content (SHA-256) outside the database. */
    {7, "case attachments",
     "CREATE TABLE case_attachments (\n"
     "  id @PK@,\n"
     "  case_id @INT@ NOT NULL REFERENCES cases(id),\n"
     "  sha256 TEXT NOT NULL,\n"
     "  name TEXT NOT NULL,\n"
     "  kind TEXT NOT NULL,\n"
     "  content_type TEXT NOT NULL,\n"
     "  size @INT@ NOT NULL,\n"
     "  uploaded_by @INT@ REFERENCES users(id),\n"
     "  created_at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE INDEX case_attachments_case ON case_attachments(case_id);\n",
     NULL, NULL, NULL},
    {8, "supervision orders (督办, 挂牌督办)",
     "CREATE TABLE supervision_orders (\n"
     "  id @PK@,\n"
     "  case_id @INT@ NOT NULL REFERENCES cases(id),\n"
     "  level TEXT NOT NULL,\n"
     "  content TEXT NOT NULL,\n"
     "  deadline TEXT NOT NULL,\n"
     "  issued_by @INT@ REFERENCES users(id),\n"
     "  issued_at @INT@ NOT NULL,\n"
     "  reply TEXT,\n"
     "  replied_by @INT@ REFERENCES users(id),\n"
     "  replied_at @INT@\n"
     ")@STRICT@;\n"
     "CREATE INDEX supervision_orders_case ON supervision_orders(case_id);\n",
     NULL, NULL, NULL},
    {9, "agreements: instalments and their fulfilment; judicial confirmation",
     "CREATE TABLE agreement_instalments (\n"
     "  id @PK@,\n"
     "  case_id @INT@ NOT NULL REFERENCES cases(id),\n"
     "  seq @INT@ NOT NULL,\n"
     "  due_date TEXT NOT NULL,\n"
     "  amount @INT@ NOT NULL,\n"
     "  status TEXT NOT NULL,\n"
     "  paid_on TEXT,\n"
     "  note TEXT,\n"
     "  UNIQUE (case_id, seq)\n"
     ")@STRICT@;\n"
     "CREATE TABLE judicial_confirmations (\n"
     "  case_id @INT@ PRIMARY KEY REFERENCES cases(id),\n"
     "  applied_on TEXT NOT NULL,\n"
     "  court TEXT NOT NULL,\n"
     "  result TEXT NOT NULL,\n"
     "  decided_on TEXT,\n"
     "  updated_at @INT@ NOT NULL\n"
     ")@STRICT@;\n",
     NULL, NULL, NULL},
    {10, "return visits: when a closed case is due for one",
     "ALTER TABLE cases ADD COLUMN visit_due TEXT;\n"
     "CREATE INDEX cases_visit_due ON cases(visit_due);\n",
     NULL, NULL, NULL},
    {11, "time-limit extensions",
     "ALTER TABLE cases ADD COLUMN extended @INT@ NOT NULL DEFAULT 0;\n", NULL, NULL, NULL},
    /* The workbench queue (工作台) as one indexed key, so that a page of a million-case
     * register is read in order instead of sorted: open cases with a time limit by due
     * date, higher risk first on the same day ('0'); open cases without one, oldest first
     * ('1'); ended cases, newest first ('2'). SQLite can only add a VIRTUAL generated
     * column, PostgreSQL only a STORED one; both index it. */
    {12,
     "risk level at intake; the workbench queue key and the indexes of the register;"
     " who changed a setting when",
     "ALTER TABLE settings ADD COLUMN updated_at @INT@;\n"
     "ALTER TABLE settings ADD COLUMN updated_by TEXT;\n"
     "ALTER TABLE cases ADD COLUMN risk TEXT NOT NULL DEFAULT 'low';\n"
     "ALTER TABLE cases ADD COLUMN risk_reasons TEXT;\n"
     /* A mediator's own cases, by index: the JSON list in cases.mediator_ids stays the
      * case's record, this is its index, kept by the store in the same transaction. */
     "CREATE TABLE case_mediators (\n"
     "  mediator_id @INT@ NOT NULL REFERENCES mediators(id),\n"
     "  case_id @INT@ NOT NULL REFERENCES cases(id),\n"
     "  PRIMARY KEY (mediator_id, case_id)\n"
     ")@STRICT@;\n"
     "CREATE INDEX case_mediators_case ON case_mediators(case_id);\n",
     "ALTER TABLE cases ADD COLUMN queue_key TEXT GENERATED ALWAYS AS (" CASE_QUEUE_KEY(
         CASE_RISK_RANK_V12) ") VIRTUAL;\n"
                             "DROP INDEX cases_state;\n" STORE_CASE_LIST_INDEXES,
     "ALTER TABLE cases ADD COLUMN queue_key TEXT COLLATE \"C\" GENERATED ALWAYS AS "
     "(" CASE_QUEUE_KEY(CASE_RISK_RANK_V12) ") STORED;\n"
                                            "DROP INDEX cases_state;\n" STORE_CASE_LIST_INDEXES,
     store_case_backfill},
    /* Issue 9: a case handed over keeps every routing decision (escalation, re-routing)
     * beside the first; the lead leader (包案领导) is a user, not a typed name; a session
     * may be held online; the links between repeated reports are read by index. */
    {13, "routing history, lead leader as a user, online sessions, related-case index",
     "ALTER TABLE cases ADD COLUMN lead_leader_id @INT@ REFERENCES users(id);\n"
     "CREATE INDEX cases_lead_leader ON cases(lead_leader_id);\n"
     "CREATE INDEX cases_related ON cases(related_to);\n"
     "ALTER TABLE case_sessions ADD COLUMN online @INT@ NOT NULL DEFAULT 0;\n"
     "CREATE TABLE case_routings (\n"
     "  id @PK@,\n"
     "  case_id @INT@ NOT NULL REFERENCES cases(id),\n"
     "  at @INT@ NOT NULL,\n"
     "  action TEXT NOT NULL,\n"
     "  level TEXT,\n"
     "  resp_org_id @INT@ REFERENCES organizations(id),\n"
     "  reason TEXT,\n"
     "  explanation TEXT NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE INDEX case_routings_case ON case_routings(case_id);\n"
     "INSERT INTO case_routings (case_id, at, action, level, resp_org_id, explanation)"
     " SELECT id, received_at, 'accept', level, resp_org_id, routing FROM cases"
     " WHERE routing IS NOT NULL;\n",
     NULL, NULL, NULL},
    /* Each region's basic-level court (基层人民法院), to which a 司法确认申请书 is
     * addressed: 人民调解法 art. 33 (the parties apply to the court together) and
     * 民事诉讼法 art. 205 (the basic-level court where the committee is). */
    {14, "regions: the basic-level court (基层人民法院) of a region",
     "ALTER TABLE regions ADD COLUMN court TEXT;\n", NULL, NULL, NULL},
    /* The register finds a case by its number (text_number_terms: the number's words and
     * every digit run of two or more) through the search index it already had; the
     * workbench counts (store/workbench.h) read unanswered orders and unpaid instalments
     * through partial indexes, and "my cases" through the responsible person. */
    {15, "search by case number; the workbench's to-do indexes",
     "CREATE INDEX supervision_orders_open ON supervision_orders(case_id)"
     " WHERE replied_at IS NULL;\n"
     "CREATE INDEX agreement_instalments_unpaid ON agreement_instalments(due_date, case_id)"
     " WHERE status IN ('pending', 'late');\n"
     "CREATE INDEX cases_resp_user ON cases(resp_user_id);\n",
     NULL, NULL, store_case_number_terms},
    /* Issue 10: four risk levels (red 重大, orange 较大, yellow 一般, blue 低) replace
     * low/medium/high. Old grades map to the nearest new one (high, which took two intake
     * factors, is orange: red now needs what the parties said or a larger group); the case
     * module regrades each case on its next change. The queue key ranks red first, so it
     * is rebuilt with its indexes. */
    {16, "risk levels red/orange/yellow/blue; control plans of red cases",
     "DROP INDEX IF EXISTS cases_queue;\n"
     "DROP INDEX IF EXISTS cases_state_queue;\n"
     "DROP INDEX IF EXISTS cases_category_queue;\n"
     "DROP INDEX IF EXISTS cases_risk_queue;\n"
     "DROP INDEX IF EXISTS cases_org_queue;\n"
     "ALTER TABLE cases DROP COLUMN queue_key;\n"
     "UPDATE cases SET risk = CASE risk WHEN 'high' THEN 'orange' WHEN 'medium' THEN 'yellow'"
     " WHEN 'low' THEN 'blue' ELSE risk END;\n"
     /* 稳控方案: who answers for keeping a red case under control, how, and when it is
      * looked at again. One per case; a new plan replaces the old (the audit keeps both). */
     "CREATE TABLE control_plans (\n"
     "  case_id @INT@ PRIMARY KEY REFERENCES cases(id),\n"
     "  owner_id @INT@ NOT NULL REFERENCES users(id),\n"
     "  measures TEXT NOT NULL,\n"
     "  review_on TEXT NOT NULL,\n"
     "  updated_at @INT@ NOT NULL,\n"
     "  updated_by TEXT\n"
     ")@STRICT@;\n",
     "ALTER TABLE cases ADD COLUMN queue_key TEXT GENERATED ALWAYS AS (" CASE_QUEUE_KEY(
         CASE_RISK_RANK) ") VIRTUAL;\n" STORE_CASE_LIST_INDEXES,
     "ALTER TABLE cases ALTER COLUMN risk SET DEFAULT 'blue';\n"
     "ALTER TABLE cases ADD COLUMN queue_key TEXT COLLATE \"C\" GENERATED ALWAYS AS "
     "(" CASE_QUEUE_KEY(CASE_RISK_RANK) ") STORED;\n" STORE_CASE_LIST_INDEXES,
     NULL},
    /* Issue 10 part 3 (docs/notifications.md): the in-app inbox, one outbox every other
     * channel is delivered from (written in the transaction of the change that causes it),
     * the endpoints an administrator configures (a partner agency's when organization_id is
     * set), staff e-mail addresses, and the agency a case was referred to. The claim query
     * reads outbox_due (state, next_at): pending rows in next_at order, where a lease also
     * sets next_at to its expiry so that an abandoned lease is due again by the same index;
     * the dead-letter list reads it by state. */
    {17, "notifications: inbox, outbox, endpoints; users.email; cases.referred_org_id",
     "CREATE TABLE notify_endpoints (\n"
     "  id @PK@,\n"
     "  name TEXT NOT NULL,\n"
     "  channel TEXT NOT NULL CHECK (channel IN ('webhook', 'sms', 'email')),\n"
     "  url TEXT,\n"
     "  address TEXT,\n"
     "  secret TEXT,\n"
     "  kinds TEXT NOT NULL DEFAULT '',\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  organization_id @INT@ REFERENCES organizations(id),\n"
     "  enabled @INT@ NOT NULL DEFAULT 1,\n"
     "  sms_template TEXT,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  updated_at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE INDEX notify_endpoints_org ON notify_endpoints(organization_id);\n"
     "CREATE TABLE notifications (\n"
     "  id @PK@,\n"
     "  user_id @INT@ NOT NULL REFERENCES users(id),\n"
     "  kind TEXT NOT NULL,\n"
     "  title TEXT NOT NULL,\n"
     "  body TEXT,\n"
     "  link TEXT,\n"
     "  case_id @INT@,\n"
     "  event_id TEXT NOT NULL,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  read_at @INT@\n"
     ")@STRICT@;\n"
     "CREATE INDEX notifications_user ON notifications(user_id, read_at, id);\n"
     /* An acknowledged alert clears its notices for everyone told (watch/alert.c). */
     "CREATE INDEX notifications_case ON notifications(case_id) WHERE case_id IS NOT NULL;\n"
     "CREATE TABLE outbox (\n"
     "  id @PK@,\n"
     "  event_id TEXT NOT NULL,\n"
     "  kind TEXT NOT NULL,\n"
     "  channel TEXT NOT NULL CHECK (channel IN ('webhook', 'sms', 'email')),\n"
     "  endpoint_id @INT@ REFERENCES notify_endpoints(id),\n"
     "  target TEXT NOT NULL,\n"
     "  payload TEXT NOT NULL,\n"
     "  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),\n"
     "  attempts @INT@ NOT NULL DEFAULT 0,\n"
     "  next_at @INT@ NOT NULL,\n"
     "  lease_owner TEXT,\n"
     "  lease_until @INT@,\n"
     "  last_error TEXT,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  delivered_at @INT@,\n"
     "  UNIQUE (event_id, channel, target)\n"
     ")@STRICT@;\n"
     "CREATE INDEX outbox_due ON outbox(state, next_at);\n"
     "ALTER TABLE users ADD COLUMN email TEXT;\n"
     "ALTER TABLE cases ADD COLUMN referred_org_id @INT@ REFERENCES organizations(id);\n"
     "CREATE INDEX cases_referred_org ON cases(referred_org_id) WHERE referred_org_id IS NOT "
     "NULL;\n",
     NULL, NULL, NULL},
    /* Issue 10, part 2: risk alerts (预警) that must be acknowledged (签收). Who is told
     * is configured per region (alert_recipients); each alert keeps whom it told
     * (alert_notified: "mine", and who may acknowledge) and each escalation it made, one
     * row per level (alert_escalations: the unique key that keeps two scheduler passes or
     * two servers from escalating the same alert twice). The region path is copied from
     * the case so that "open alerts of my region subtree" is one range scan. */
    {18, "risk alerts: recipients per region, acknowledgment, escalation",
     "CREATE TABLE alert_recipients (\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  user_id @INT@ NOT NULL REFERENCES users(id),\n"
     "  duty TEXT NOT NULL,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  PRIMARY KEY (region_id, user_id)\n"
     ")@STRICT@;\n"
     "CREATE INDEX alert_recipients_user ON alert_recipients(user_id);\n"
     "CREATE TABLE alerts (\n"
     "  id @PK@,\n"
     "  case_id @INT@ NOT NULL REFERENCES cases(id),\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  region_path @CTEXT@ NOT NULL,\n"
     "  level TEXT NOT NULL,\n"
     "  from_level TEXT NOT NULL,\n"
     "  reasons TEXT,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  ack_due_at @INT@ NOT NULL,\n"
     "  acked_at @INT@,\n"
     "  acked_by @INT@ REFERENCES users(id),\n"
     "  ack_note TEXT,\n"
     "  escalated_at @INT@,\n"
     "  escalation_level @INT@ NOT NULL DEFAULT 0,\n"
     "  target_region_id @INT@ REFERENCES regions(id),\n"
     "  top_reached @INT@ NOT NULL DEFAULT 0,\n"
     "  state TEXT NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE INDEX alerts_region ON alerts(state, region_path);\n"
     "CREATE INDEX alerts_due ON alerts(state, ack_due_at);\n"
     "CREATE INDEX alerts_case ON alerts(case_id);\n"
     "CREATE TABLE alert_notified (\n"
     "  alert_id @INT@ NOT NULL REFERENCES alerts(id),\n"
     "  user_id @INT@ NOT NULL REFERENCES users(id),\n"
     "  escalation_level @INT@ NOT NULL,\n"
     "  duty TEXT NOT NULL,\n"
     "  PRIMARY KEY (alert_id, user_id)\n"
     ")@STRICT@;\n"
     "CREATE INDEX alert_notified_user ON alert_notified(user_id, alert_id);\n"
     "CREATE TABLE alert_escalations (\n"
     "  alert_id @INT@ NOT NULL REFERENCES alerts(id),\n"
     "  level @INT@ NOT NULL,\n"
     "  at @INT@ NOT NULL,\n"
     "  target_region_id @INT@ REFERENCES regions(id),\n"
     "  PRIMARY KEY (alert_id, level)\n"
     ")@STRICT@;\n",
     NULL, NULL, NULL},
    /* Issue 10 parts 4 and 6. Scheduled investigation (定期排查): a schedule per region
     * level, one expected report per unit (a 矛调中心 or 调解委员会) and period, unique so
     * that the scheduler opens it once however often it runs; a miss warning at most once
     * per report. Trend counters: cases a day per region (every ancestor of the case's
     * region) and category, kept in the intake transaction so that a region's series is one
     * indexed read; a trend warning once per region, category and window. docs/risk.md. */
    {19, "scheduled investigation with zero-reports; trend counters and warnings",
     "CREATE TABLE investigation_schedules (\n"
     "  level TEXT PRIMARY KEY,\n"
     "  period TEXT NOT NULL,\n"
     "  grace_days @INT@ NOT NULL,\n"
     "  enabled @INT@ NOT NULL,\n"
     "  updated_at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "INSERT INTO investigation_schedules VALUES ('village', 'week', 0, 1, 0);\n"
     "INSERT INTO investigation_schedules VALUES ('township', 'half_month', 0, 1, 0);\n"
     "INSERT INTO investigation_schedules VALUES ('county', 'month', 0, 1, 0);\n"
     "CREATE TABLE investigation_reports (\n"
     "  id @PK@,\n"
     "  org_id @INT@ NOT NULL REFERENCES organizations(id),\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  region_path @CTEXT@ NOT NULL,\n"
     "  period TEXT NOT NULL,\n"
     "  period_start TEXT NOT NULL,\n"
     "  period_end TEXT NOT NULL,\n"
     "  due_on TEXT NOT NULL,\n"
     "  filed_at @INT@,\n"
     "  filed_on TEXT,\n"
     "  filed_by @INT@ REFERENCES users(id),\n"
     "  zero_report @INT@ NOT NULL DEFAULT 0,\n"
     "  hazards TEXT,\n"
     "  note TEXT,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  UNIQUE (org_id, period_start)\n"
     ")@STRICT@;\n"
     "CREATE INDEX investigation_reports_path ON investigation_reports(region_path, "
     "period_start);\n"
     "CREATE INDEX investigation_reports_unfiled ON investigation_reports(due_on)"
     " WHERE filed_at IS NULL;\n"
     "CREATE TABLE investigation_findings (\n"
     "  report_id @INT@ NOT NULL REFERENCES investigation_reports(id),\n"
     "  case_id @INT@ NOT NULL REFERENCES cases(id),\n"
     "  created @INT@ NOT NULL,\n"
     "  PRIMARY KEY (report_id, case_id)\n"
     ")@STRICT@;\n"
     "CREATE TABLE investigation_misses (\n"
     "  id @PK@,\n"
     "  report_id @INT@ NOT NULL UNIQUE REFERENCES investigation_reports(id),\n"
     "  org_id @INT@ NOT NULL REFERENCES organizations(id),\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  to_region_id @INT@ REFERENCES regions(id),\n"
     "  created_at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE TABLE case_day_counts (\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  day @INT@ NOT NULL,\n"
     "  category TEXT NOT NULL,\n"
     "  n @INT@ NOT NULL,\n"
     "  PRIMARY KEY (region_id, category, day)\n"
     ")@STRICT@;\n"
     "CREATE INDEX case_day_counts_day ON case_day_counts(day);\n"
     "CREATE TABLE trend_warnings (\n"
     "  id @PK@,\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  region_path @CTEXT@ NOT NULL,\n"
     "  category TEXT NOT NULL,\n"
     "  window_end TEXT NOT NULL,\n"
     "  observed @INT@ NOT NULL,\n"
     "  baseline TEXT NOT NULL,\n"
     "  ratio TEXT NOT NULL,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  UNIQUE (region_id, category, window_end)\n"
     ")@STRICT@;\n"
     "CREATE INDEX trend_warnings_path ON trend_warnings(region_path, window_end);\n",
     NULL, NULL, trend_rebuild},
    /* Issue 10, part 5: the key-person registry (重点人员), docs/key-persons.md. Name, ID
     * number and phone are sensitive personal information (个人信息保护法 art. 28): sealed
     * like a party's (src/seal), found only through the blind indexes. A reminder row per
     * person and review day makes the scheduler's reminder happen once, however often or
     * on how many servers the pass runs. */
    {20, "key persons (重点人员): registry, linked cases, reviews, review reminders",
     "CREATE TABLE key_persons (\n"
     "  id @PK@,\n"
     "  name_sealed TEXT NOT NULL,\n"
     "  id_sealed TEXT,\n"
     "  id_index TEXT,\n"
     "  phone_sealed TEXT,\n"
     "  phone_index TEXT,\n"
     "  gender TEXT,\n"
     "  age @INT@,\n"
     "  reason TEXT NOT NULL,\n"
     "  reason_note TEXT,\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  region_path @CTEXT@ NOT NULL,\n"
     "  responsible_user_id @INT@ REFERENCES users(id),\n"
     "  review_every_days @INT@ NOT NULL,\n"
     "  next_review_day TEXT NOT NULL,\n"
     "  status TEXT NOT NULL,\n"
     "  created_by @INT@ REFERENCES users(id),\n"
     "  created_at @INT@ NOT NULL,\n"
     "  updated_at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE INDEX key_persons_region_path ON key_persons(region_path);\n"
     "CREATE INDEX key_persons_id_index ON key_persons(id_index);\n"
     "CREATE INDEX key_persons_phone_index ON key_persons(phone_index);\n"
     "CREATE INDEX key_persons_due ON key_persons(status, next_review_day);\n"
     "CREATE INDEX key_persons_resp ON key_persons(responsible_user_id);\n"
     "CREATE TABLE key_person_cases (\n"
     "  key_person_id @INT@ NOT NULL REFERENCES key_persons(id),\n"
     "  case_id @INT@ NOT NULL REFERENCES cases(id),\n"
     "  linked_at @INT@ NOT NULL,\n"
     "  how TEXT NOT NULL,\n"
     "  PRIMARY KEY (key_person_id, case_id)\n"
     ")@STRICT@;\n"
     "CREATE INDEX key_person_cases_case ON key_person_cases(case_id);\n"
     "CREATE TABLE key_person_reviews (\n"
     "  id @PK@,\n"
     "  key_person_id @INT@ NOT NULL REFERENCES key_persons(id),\n"
     "  day TEXT NOT NULL,\n"
     "  by_user_id @INT@ REFERENCES users(id),\n"
     "  note TEXT NOT NULL,\n"
     "  at @INT@ NOT NULL\n"
     ")@STRICT@;\n"
     "CREATE INDEX key_person_reviews_person ON key_person_reviews(key_person_id);\n"
     "CREATE TABLE key_person_reminders (\n"
     "  key_person_id @INT@ NOT NULL REFERENCES key_persons(id),\n"
     "  day TEXT NOT NULL,\n"
     "  at @INT@ NOT NULL,\n"
     "  PRIMARY KEY (key_person_id, day)\n"
     ")@STRICT@;\n",
     NULL, NULL, NULL},
    /* Issue 11: the statistics counters (docs/metrics.md). stat_counts holds, for every
     * region (each case counts in every region above it, so a subtree is one indexed read),
     * received day, metric, category and channel, the number of cases holding that key;
     * stat_case_keys what each case holds, so that a change moves the counters by the
     * difference. The case module keeps both in the transaction of every change. */
    {21, "statistics counters (统计分析): per region, day, metric, category, channel",
     "CREATE TABLE stat_counts (\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  day @CTEXT@ NOT NULL,\n"
     "  metric TEXT NOT NULL,\n"
     "  category TEXT NOT NULL,\n"
     "  channel TEXT NOT NULL,\n"
     "  n @INT@ NOT NULL,\n"
     "  PRIMARY KEY (region_id, day, metric, category, channel)\n"
     ")@STRICT@;\n"
     "CREATE INDEX stat_counts_metric ON stat_counts(region_id, metric, day);\n"
     "CREATE TABLE stat_case_keys (\n"
     "  case_id @INT@ NOT NULL REFERENCES cases(id),\n"
     "  metric TEXT NOT NULL,\n"
     "  day TEXT NOT NULL,\n"
     "  PRIMARY KEY (case_id, metric)\n"
     ")@STRICT@;\n",
     /* No rebuild here: stats_sync now also keeps migration 24's tables, and 24 rebuilds. */
     NULL, NULL, NULL},
    /* Issue 11 part 3: the monthly 人民调解研判预警专报. A report is a version: `generated`
     * keeps the figures as they were when it was drafted, so that an issued version reads the
     * same forever; a change after issuing is a new version (revise), never an UPDATE of an
     * issued row (the store refuses it: only drafts are written). */
    {22, "reports (研判预警专报): versions of a region's monthly report",
     "CREATE TABLE reports (\n"
     "  id @PK@,\n"
     "  kind TEXT NOT NULL,\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  region_path @CTEXT@ NOT NULL,\n"
     "  period TEXT NOT NULL,\n"
     "  version @INT@ NOT NULL,\n"
     "  state TEXT NOT NULL,\n"
     "  generated TEXT NOT NULL,\n"
     "  analysis TEXT NOT NULL DEFAULT '',\n"
     "  created_at @INT@ NOT NULL,\n"
     "  created_by @INT@ REFERENCES users(id),\n"
     "  issued_at @INT@,\n"
     "  issued_by @INT@ REFERENCES users(id),\n"
     "  UNIQUE (kind, region_id, period, version)\n"
     ")@STRICT@;\n"
     "CREATE INDEX reports_region ON reports(region_path, period);\n",
     NULL, NULL, NULL},
    /* Issue 11 part 3: reminders of the quarterly summary (季度总结) to the units that owe
     * it. The primary key is what makes a reminder once per unit, quarter and kind however
     * often the scheduler runs (watch/quarterly.c). */
    {23, "report_reminders: once per unit, quarter and kind (advance, due)",
     "CREATE TABLE report_reminders (\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  period TEXT NOT NULL,\n"
     "  kind TEXT NOT NULL,\n"
     "  recipients @INT@ NOT NULL,\n"
     "  created_at @INT@ NOT NULL,\n"
     "  PRIMARY KEY (region_id, period, kind)\n"
     ")@STRICT@;\n",
     NULL, NULL, NULL},
    /* Issue 11 parts 1 and 5 (docs/metrics.md). court_filings: the basic-level court's
     * 民商事一审收案数 per region and month, which jiefen does not hold (entered or imported
     * by administrators and leaders), for 万人成讼率; region_path so that a subtree's sum is
     * one indexed range. The rebuild files the days-to-resolve keys for existing cases. */
    {24, "court filings (万人成讼率), days to resolve, the mediators' counters",
     "CREATE TABLE court_filings (\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  region_path @CTEXT@ NOT NULL,\n"
     "  month TEXT NOT NULL,\n"
     "  filings @INT@ NOT NULL CHECK (filings >= 0),\n"
     "  source TEXT NOT NULL DEFAULT '',\n"
     "  updated_at @INT@ NOT NULL,\n"
     "  updated_by @INT@ REFERENCES users(id),\n"
     "  PRIMARY KEY (region_id, month)\n"
     ")@STRICT@;\n"
     "CREATE INDEX court_filings_path ON court_filings(region_path, month);\n"
     /* The mediator dimension of the counters (考核 of mediators): per mediator, day and
      * metric, kept by stats_sync like stat_counts; stat_case_mediators whom each case
      * counts for, so that a reassignment moves its keys. */
     "CREATE TABLE stat_mediator_counts (\n"
     "  mediator_id @INT@ NOT NULL REFERENCES mediators(id),\n"
     "  day @CTEXT@ NOT NULL,\n"
     "  metric TEXT NOT NULL,\n"
     "  n @INT@ NOT NULL,\n"
     "  PRIMARY KEY (mediator_id, day, metric)\n"
     ")@STRICT@;\n"
     "CREATE INDEX stat_mediator_counts_metric ON stat_mediator_counts(mediator_id, metric, day);\n"
     "CREATE TABLE stat_case_mediators (\n"
     "  case_id @INT@ NOT NULL REFERENCES cases(id),\n"
     "  mediator_id @INT@ NOT NULL REFERENCES mediators(id),\n"
     "  PRIMARY KEY (case_id, mediator_id)\n"
     ")@STRICT@;\n",
     NULL, NULL, stats_rebuild_counters},
    /* Issue 12, no request path scans (tests/plans): the alert list reads the alerts of a
     * region range whatever their state (alerts_region leads with the state); the
     * administrators' outbox list reads deliveries by endpoint. */
    {25, "indexes for request paths found by the plan test",
     "CREATE INDEX alerts_region_path ON alerts(region_path);\n"
     "CREATE INDEX outbox_endpoint ON outbox(endpoint_id);\n",
     NULL, NULL, NULL},
    /* Issue 12 part 4: several app instances on one database. A background job (the
     * scheduler's pass) is held by one instance at a time through a lease that expires, so
     * that a dead holder's job is taken over (store/lease.h). A handful of rows: one per job. */
    {27, "job leases: one instance runs each background job",
     "CREATE TABLE job_leases (\n"
     "  job TEXT PRIMARY KEY,\n"
     "  holder TEXT NOT NULL,\n"
     "  until_ms @INT@ NOT NULL\n"
     ")@STRICT@;\n",
     NULL, NULL, NULL},
    /* Issue 13 part 3: staff-side phones sealed like parties' (个人信息保护法 art. 51,
     * store/staffseal.h). Only the columns: the key is not reachable from a migration, so
     * `jiefen serve` seals the existing plain numbers at start (store_staff_phones_seal). */
    {29, "staff-side phones sealed: users, mediators, experts, grid workers",
     "ALTER TABLE users ADD COLUMN phone_sealed TEXT;\n"
     "ALTER TABLE users ADD COLUMN phone_index TEXT;\n"
     "ALTER TABLE mediators ADD COLUMN phone_sealed TEXT;\n"
     "ALTER TABLE mediators ADD COLUMN phone_index TEXT;\n"
     "ALTER TABLE experts ADD COLUMN phone_sealed TEXT;\n"
     "ALTER TABLE experts ADD COLUMN phone_index TEXT;\n"
     "ALTER TABLE grid_workers ADD COLUMN phone_sealed TEXT;\n"
     "ALTER TABLE grid_workers ADD COLUMN phone_index TEXT;\n"
     "CREATE INDEX users_phone_index ON users(phone_index);\n"
     "CREATE INDEX mediators_phone_index ON mediators(phone_index);\n"
     "CREATE INDEX experts_phone_index ON experts(phone_index);\n"
     "CREATE INDEX grid_workers_phone_index ON grid_workers(phone_index);\n",
     NULL, NULL, NULL},
    /* Issue 13 part 3, retention (个人信息保护法 art. 19, 47): a case under a legal hold
     * (诉讼、复查 or an authority's request to keep it) is never anonymised; anonymised_at
     * marks a case whose parties were anonymised, so a rerun skips it (case/retention.c). */
    {30, "retention: legal hold and anonymised_at on cases",
     "ALTER TABLE cases ADD COLUMN legal_hold @INT@ NOT NULL DEFAULT 0;\n"
     "ALTER TABLE cases ADD COLUMN anonymised_at @INT@;\n",
     NULL, NULL, NULL},
    /* Issue 12, statistics summary p99 < 50 ms at 10 M cases (docs/metrics.md "Speed"): the
     * rollups of stat_counts that a summary reads, whose size depends on the period and not
     * on the register. stat_days is stat_counts without the channel, per region, day and
     * metric (category ''), plus the figures per category and the received cases per
     * category and channel as keys "category:<c>", "channel:<c>"; stat_months the same per
     * month. stats_sync keeps them in the transaction of the case change; a period reads
     * its whole months from stat_months and only the days of its partial months from
     * stat_days. The seed fills both from stat_counts. */
    {31, "statistics rollups: per region and day, per region and month",
     "CREATE TABLE stat_days (\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  period @CTEXT@ NOT NULL,\n"
     "  category @CTEXT@ NOT NULL,\n"
     "  metric @CTEXT@ NOT NULL,\n"
     "  n @INT@ NOT NULL,\n"
     "  PRIMARY KEY (region_id, period, category, metric)\n"
     ")@STRICT@;\n"
     "CREATE INDEX stat_days_metric ON stat_days(region_id, metric, category, period);\n"
     "CREATE TABLE stat_months (\n"
     "  region_id @INT@ NOT NULL REFERENCES regions(id),\n"
     "  period @CTEXT@ NOT NULL,\n"
     "  category @CTEXT@ NOT NULL,\n"
     "  metric @CTEXT@ NOT NULL,\n"
     "  n @INT@ NOT NULL,\n"
     "  PRIMARY KEY (region_id, period, category, metric)\n"
     ")@STRICT@;\n",
     NULL, NULL, stats_rollup_rebuild},
    /* Issue 12, lists at scale (bench/results/2026-12-06-lists.md): "my cases" (mine=true,
     * the mediator's workbench) finds the caller's mediator records by user; without this
     * index every such count and page read the whole mediator registry (SCAN m), a table
     * of thousands of rows in a province. cases_queue and cases_state_queue gain the
     * responsible person and the lead leader (store/cases.h). */
    {32, "my cases by index: mediators by user; the queue indexes hold who answers",
     "CREATE INDEX mediators_user ON mediators(user_id);\n"
     "DROP INDEX IF EXISTS cases_queue;\n"
     "DROP INDEX IF EXISTS cases_state_queue;\n" STORE_CASE_QUEUE_INDEXES_V32,
     NULL, NULL, NULL},
    /* Issue 12 part 4: cases and their events partitioned by year on PostgreSQL
     * (docs/postgresql.md "Cases and events partitioned by year"). A case's id carries its
     * registration year, id = year * 10^10 + a global sequence (store_case_create takes the
     * year of its number), so cases are PARTITION BY RANGE (id): the partition key is the
     * primary key and the seventeen foreign keys to cases(id) stay as they are (PostgreSQL
     * 12+ lets a foreign key reference a partitioned table). case_events follow by case_id,
     * so a case's timeline lives in its year. Rows from before stay in *_legacy (ids below
     * 2000 * 10^10); a *_default partition takes an id of a year without a partition, so
     * an insert never fails. A unique index on a partitioned table must hold the partition
     * key, so the number's uniqueness moves to case_numbers, kept by a trigger in the same
     * statement. SQLite keeps its plain rowids: nothing to do there. */
    {33, "cases and case events partitioned by year (PostgreSQL)", NULL, NULL,
     store_case_partitions_pg, NULL},
    /* Issue 12, search bound by (term, scope) (store/cases.c, CASE_SEARCH_WRITE_*): the
     * search row holds a token for the case's region and each region above it, so that a
     * search intersects term and scope in the index and counts without reading cases.
     * SQLite: FTS5 cannot add a column, so the table is rebuilt with a `scope` column;
     * PostgreSQL: the tokens join the search_terms array. Every existing row is filled. */
    {34, "search bound by (term, scope): region tokens in the search index", NULL,
     "ALTER TABLE case_search RENAME TO case_search_v4;\n"
     "CREATE VIRTUAL TABLE case_search USING fts5(terms, scope);\n"
     "INSERT INTO case_search (rowid, terms, scope)"
     " SELECT s.rowid, s.terms, 'r' || replace(trim(k.region_path, '/'), '/', ' r')"
     " FROM case_search_v4 s JOIN cases k ON k.id = s.rowid;\n"
     "DROP TABLE case_search_v4;\n",
     "UPDATE cases k SET search_terms = COALESCE(k.search_terms, '{}')"
     " || string_to_array('r:' || replace(trim(both '/' from k.region_path), '/', ' r:'), ' ');\n",
     NULL},
    /* Issue 13 part 3, retention (个人信息保护法 art. 47 item 2): `jiefen retention run`
     * deletes an anonymised case's attachment files; the row stays, with the time of the
     * deletion, so the case record (卷宗) still says what it held (kind, size, hash). */
    {35, "retention: attachments deleted with the time of the deletion",
     "ALTER TABLE case_attachments ADD COLUMN deleted_at @INT@;\n", NULL, NULL, NULL},
    /* Issue 12, POST create at the raw single-commit rate: every registration and transition
     * upserts some eighty counter rows (stat_*, the trend's case_day_counts) and bumps its
     * county's case_counters. As rowid tables with a composite primary key, each upsert
     * sought the key's index, then the table by rowid, and wrote both; a WITHOUT ROWID table
     * keeps the row in its primary-key b-tree, one seek and one write (SQLite docs
     * "withoutrowid.html": for tables whose primary key is not a single integer). Measured
     * on a copy of a 10,000-case register: ~30 % less CPU per upsert of an existing
     * stat_days row. PostgreSQL has no rowid: nothing to do there. The copy is in key order,
     * so at a million cases (12 M stat_case_keys rows) it takes a minute or two. */
    {36, "counters and per-case keys as WITHOUT ROWID tables (SQLite)", NULL,
     "CREATE TABLE stat_counts_v36 (\n"
     "  region_id INTEGER NOT NULL REFERENCES regions(id),\n"
     "  day TEXT NOT NULL,\n"
     "  metric TEXT NOT NULL,\n"
     "  category TEXT NOT NULL,\n"
     "  channel TEXT NOT NULL,\n"
     "  n INTEGER NOT NULL,\n"
     "  PRIMARY KEY (region_id, day, metric, category, channel)\n"
     ") STRICT, WITHOUT ROWID;\n"
     "INSERT INTO stat_counts_v36 SELECT * FROM stat_counts ORDER BY region_id, day, metric, "
     "category, channel;\n"
     "DROP TABLE stat_counts;\n"
     "ALTER TABLE stat_counts_v36 RENAME TO stat_counts;\n"
     "CREATE INDEX stat_counts_metric ON stat_counts(region_id, metric, day);\n"
     "CREATE TABLE stat_days_v36 (\n"
     "  region_id INTEGER NOT NULL REFERENCES regions(id),\n"
     "  period TEXT NOT NULL,\n"
     "  category TEXT NOT NULL,\n"
     "  metric TEXT NOT NULL,\n"
     "  n INTEGER NOT NULL,\n"
     "  PRIMARY KEY (region_id, period, category, metric)\n"
     ") STRICT, WITHOUT ROWID;\n"
     "INSERT INTO stat_days_v36 SELECT * FROM stat_days ORDER BY region_id, period, category, "
     "metric;\n"
     "DROP TABLE stat_days;\n"
     "ALTER TABLE stat_days_v36 RENAME TO stat_days;\n"
     "CREATE INDEX stat_days_metric ON stat_days(region_id, metric, category, period);\n"
     "CREATE TABLE stat_months_v36 (\n"
     "  region_id INTEGER NOT NULL REFERENCES regions(id),\n"
     "  period TEXT NOT NULL,\n"
     "  category TEXT NOT NULL,\n"
     "  metric TEXT NOT NULL,\n"
     "  n INTEGER NOT NULL,\n"
     "  PRIMARY KEY (region_id, period, category, metric)\n"
     ") STRICT, WITHOUT ROWID;\n"
     "INSERT INTO stat_months_v36 SELECT * FROM stat_months ORDER BY region_id, period, category, "
     "metric;\n"
     "DROP TABLE stat_months;\n"
     "ALTER TABLE stat_months_v36 RENAME TO stat_months;\n"
     "CREATE TABLE stat_mediator_counts_v36 (\n"
     "  mediator_id INTEGER NOT NULL REFERENCES mediators(id),\n"
     "  day TEXT NOT NULL,\n"
     "  metric TEXT NOT NULL,\n"
     "  n INTEGER NOT NULL,\n"
     "  PRIMARY KEY (mediator_id, day, metric)\n"
     ") STRICT, WITHOUT ROWID;\n"
     "INSERT INTO stat_mediator_counts_v36 SELECT * FROM stat_mediator_counts ORDER BY "
     "mediator_id, day, metric;\n"
     "DROP TABLE stat_mediator_counts;\n"
     "ALTER TABLE stat_mediator_counts_v36 RENAME TO stat_mediator_counts;\n"
     "CREATE INDEX stat_mediator_counts_metric ON stat_mediator_counts(mediator_id, metric, day);\n"
     "CREATE TABLE stat_case_keys_v36 (\n"
     "  case_id INTEGER NOT NULL REFERENCES cases(id),\n"
     "  metric TEXT NOT NULL,\n"
     "  day TEXT NOT NULL,\n"
     "  PRIMARY KEY (case_id, metric)\n"
     ") STRICT, WITHOUT ROWID;\n"
     "INSERT INTO stat_case_keys_v36 SELECT * FROM stat_case_keys ORDER BY case_id, metric;\n"
     "DROP TABLE stat_case_keys;\n"
     "ALTER TABLE stat_case_keys_v36 RENAME TO stat_case_keys;\n"
     "CREATE TABLE stat_case_mediators_v36 (\n"
     "  case_id INTEGER NOT NULL REFERENCES cases(id),\n"
     "  mediator_id INTEGER NOT NULL REFERENCES mediators(id),\n"
     "  PRIMARY KEY (case_id, mediator_id)\n"
     ") STRICT, WITHOUT ROWID;\n"
     "INSERT INTO stat_case_mediators_v36 SELECT * FROM stat_case_mediators ORDER BY case_id, "
     "mediator_id;\n"
     "DROP TABLE stat_case_mediators;\n"
     "ALTER TABLE stat_case_mediators_v36 RENAME TO stat_case_mediators;\n"
     "CREATE TABLE case_counters_v36 (\n"
     "  county_id INTEGER NOT NULL REFERENCES regions(id),\n"
     "  year INTEGER NOT NULL,\n"
     "  last INTEGER NOT NULL,\n"
     "  PRIMARY KEY (county_id, year)\n"
     ") STRICT, WITHOUT ROWID;\n"
     "INSERT INTO case_counters_v36 SELECT * FROM case_counters ORDER BY county_id, year;\n"
     "DROP TABLE case_counters;\n"
     "ALTER TABLE case_counters_v36 RENAME TO case_counters;\n"
     "CREATE TABLE case_day_counts_v36 (\n"
     "  region_id INTEGER NOT NULL REFERENCES regions(id),\n"
     "  day INTEGER NOT NULL,\n"
     "  category TEXT NOT NULL,\n"
     "  n INTEGER NOT NULL,\n"
     "  PRIMARY KEY (region_id, category, day)\n"
     ") STRICT, WITHOUT ROWID;\n"
     "INSERT INTO case_day_counts_v36 SELECT * FROM case_day_counts ORDER BY region_id, category, "
     "day;\n"
     "DROP TABLE case_day_counts;\n"
     "ALTER TABLE case_day_counts_v36 RENAME TO case_day_counts;\n"
     "CREATE INDEX case_day_counts_day ON case_day_counts(day);\n",
     NULL, NULL},
    /* Issue 12, the statistics summary at a million cases: the backlog (open cases by due
     * day, cases awaiting feedback) is read by (region_id, metric) over every day. Once
     * migration 36 made stat_days a WITHOUT ROWID table, SQLite preferred its primary key
     * (region_id=?) to the non-covering stat_days_metric index and read all of a region's
     * day rows: 173,000 rows for the city, 84 % of a summary's time (17 ms of ~22 ms).
     * These partial indexes hold only the backlog's rows and carry n, so the read is one
     * covering range (at most one row per due day); the other metrics' rows are not in
     * them, so their upserts do not write them. They replace the metric-first indexes,
     * which only the backlog reads used; stat_mediator_counts likewise for a mediator's
     * open cases by due day. */
    {37, "statistics backlog: partial covering indexes",
     "CREATE INDEX stat_days_backlog ON stat_days(region_id, metric, period, n)"
     " WHERE category = '' AND metric IN ('open_due', 'awaiting_feedback');\n"
     "DROP INDEX stat_days_metric;\n"
     "CREATE INDEX stat_mediator_counts_open ON stat_mediator_counts(mediator_id, day, n)"
     " WHERE metric = 'open_due';\n"
     "DROP INDEX stat_mediator_counts_metric;\n",
     NULL, NULL, NULL},
    /* Issue 12: the 时限预警 and 督办台 boards of a scope were read by the region index of
     * cases, every case of the scope tested for a warning or an order: a county's
     * administrator at 1 M cases read a million cases to list none (140-240 ms warm, 1.5-2 s
     * cold). A warning and an order now carry their case's region path (a case's region
     * never changes once registered, as for alerts), so the scope's own rows are a range. */
    {38, "warnings and supervision orders by scope: their case's region path",
     "ALTER TABLE case_warnings ADD COLUMN region_path @CTEXT@;\n"
     "UPDATE case_warnings SET region_path ="
     " (SELECT k.region_path FROM cases k WHERE k.id = case_warnings.case_id);\n"
     "CREATE INDEX case_warnings_scope ON case_warnings(region_path, id);\n"
     "ALTER TABLE supervision_orders ADD COLUMN region_path @CTEXT@;\n"
     "UPDATE supervision_orders SET region_path ="
     " (SELECT k.region_path FROM cases k WHERE k.id = supervision_orders.case_id);\n"
     "CREATE INDEX supervision_orders_scope ON supervision_orders(region_path, deadline, id);\n",
     NULL, NULL, NULL},
    /* Issue 12: the workbench counted each to-do state over the case index, a count that
     * grows with the register (a city administrator's workbench at 1 M cases: 5 counts of
     * 24,000-75,000 index entries, 39 ms). The counters keep the same numbers per region
     * (state:<s>, kept by the case module in the transaction of every change); this partial
     * index holds only those rows and carries n, so a count is one range of at most one row
     * per month. The list must match the one in watch/stats.c (STATE_METRICS) for the
     * planner to use the index. */
    {39, "workbench to-do states from the counters: partial covering index",
     "CREATE INDEX stat_months_states ON stat_months(region_id, metric, n)"
     " WHERE category = '' AND metric IN ('state:registered', 'state:accepted',"
     " 'state:assigned', 'state:mediating', 'state:failed');\n",
     NULL, NULL, NULL},
    /* Issue 12: a mediator's workbench counts their cases of a state within their scope;
     * cases_state_queue holds the region path after the queue key, so the count read every
     * case of that state in the register (49,000-75,000 at 1 M) to find a village's. The
     * state then the region path makes the scope a range (store/cases.h). */
    {40, "cases of a state by scope: cases_state_scope", STORE_CASE_STATE_SCOPE_INDEX_V40, NULL,
     NULL, NULL},
    /* Issue 12: the alert board (预警信息) of a scope read each alert's row, and joined its
     * case, region and user, before it could count or sort them (store/alerts.c): a county's
     * 39,561 open alerts at 1 M cases, 230 ms a page. This index holds what the board counts
     * and sorts by, so both read it alone; it replaces alerts_region_path (its prefix). */
    {41, "the alert board from one index: alerts_board",
     "CREATE INDEX alerts_board ON alerts(region_path, acked_at, level, ack_due_at, id);\n"
     "DROP INDEX alerts_region_path;\n",
     NULL, NULL, NULL},
    /* Issue 12: "my cases" of a caller whose scope is the smaller side (scope_drives_mine in
     * store/cases.c) reads the scope's cases and tests each for being the caller's: by the
     * region path alone that read every case row of the scope for its responsible person
     * and lead leader (20,846 rows, 42 ms for the count at 1 M). Both are in this index, so
     * only the mediators are probed, by case. It replaces cases_region_path (its prefix). */
    {42, "the scope's cases with who answers for them: cases_region_who",
     "CREATE INDEX cases_region_who ON cases(region_path, resp_user_id, lead_leader_id);\n"
     "DROP INDEX cases_region_path;\n",
     NULL, NULL, NULL},
    /* Issue 12: the 时限预警 board counts the cases warned in a scope; with the kind and the
     * case beside the region path (and the id, for the page) the count reads this index
     * alone instead of each warning's row (store_warning_list). It replaces
     * case_warnings_scope (region_path, id). */
    {43, "the warnings board from one index: case_warnings_board",
     "CREATE INDEX case_warnings_board ON case_warnings(region_path, kind, case_id, id);\n"
     "DROP INDEX case_warnings_scope;\n",
     NULL, NULL, NULL},
    /* Issue 12: the register by channel, as by category, risk and unit (store/cases.h). */
    {44, "the register by channel: cases_channel_queue", STORE_CASE_CHANNEL_INDEX_V44, NULL, NULL,
     NULL},
    /* Issue 12: "my cases" counted through each way a case is the caller's (store/cases.c
     * mine_count): the lead leader's and the responsible person's cases with the queue key and
     * the scope, so that a filter of them (open, a state's queue range) is a range of the
     * index. They replace the single-column indexes of migrations 12 and 13. */
    {45, "my cases by who, queue key and scope: cases_lead_queue, cases_resp_queue",
     "CREATE INDEX cases_lead_queue ON cases(lead_leader_id, queue_key, region_path);\n"
     "DROP INDEX cases_lead_leader;\n"
     "CREATE INDEX cases_resp_queue ON cases(resp_user_id, queue_key, region_path);\n"
     "DROP INDEX cases_resp_user;\n",
     NULL, NULL, NULL},
    /* Issue 12: the register filtered two ways read a case row per entry of the first
     * filter's range to test the second (store/cases.h, STORE_CASE_FILTER_INDEXES_V46). */
    {46, "the register filtered two ways: each filter's index holds the other filters",
     "DROP INDEX cases_state_queue;\n"
     "DROP INDEX cases_state_scope;\n"
     "DROP INDEX cases_category_queue;\n"
     "DROP INDEX cases_channel_queue;\n"
     "DROP INDEX cases_risk_queue;\n"
     "DROP INDEX cases_org_queue;\n" STORE_CASE_FILTER_INDEXES_V46,
     NULL, NULL, NULL},
};

#define NMIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

int store_schema_version(void)
{
    return migrations[NMIGRATIONS - 1].version;
}

/* Returns a malloc'd copy of ddl with the tokens expanded for `kind`, or NULL. */
static char *expand(const char *ddl, enum store_kind kind)
{
    static const char *const tokens[][3] = {
        {"@PK@", "INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
        {"@INT@", "INTEGER", "BIGINT"},
        {"@CTEXT@", "TEXT", "TEXT COLLATE \"C\""},
        {"@STRICT@", " STRICT", ""},
    };
    size_t cap = strlen(ddl) * 3 + 1, n = 0;
    char *out = malloc(cap);

    if (!out)
        return NULL;
    for (const char *p = ddl; *p;) {
        size_t i;
        for (i = 0; i < sizeof tokens / sizeof tokens[0]; i++) {
            size_t tl = strlen(tokens[i][0]);
            if (strncmp(p, tokens[i][0], tl) == 0) {
                const char *rep = tokens[i][kind == STORE_PG ? 2 : 1];
                size_t rl = strlen(rep);
                memcpy(out + n, rep, rl); /* cap: no replacement is over 3x its token */
                n += rl;
                p += tl;
                break;
            }
        }
        if (i == sizeof tokens / sizeof tokens[0])
            out[n++] = *p++;
    }
    out[n] = '\0';
    return out;
}

static store_err apply(struct store_conn *c, const struct migration *m)
{
    enum store_kind kind = store_conn_kind(c);
    const char *extra = kind == STORE_PG ? m->pg_extra : m->sqlite_extra;
    char *ddl = m->ddl ? expand(m->ddl, kind) : NULL;
    store_err e = STORE_OK;

    if (m->ddl && !ddl) {
        store_conn_seterr(c, "out of memory");
        return STORE_ERROR;
    }
    if (ddl)
        e = store_script(c, ddl);
    if (e == STORE_OK && extra)
        e = store_script(c, extra);
    if (e == STORE_OK && m->seed)
        e = m->seed(c);
    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO schema_migrations (version, name, applied_at) "
                       "VALUES ($1, $2, $3)",
                       STORE_PARAMS(SP_INT(m->version), SP_TEXT(m->name), SP_INT(store_now_ms())),
                       NULL);
    free(ddl);
    return e;
}

/* Whether `version` is among the recorded versions in r (one column). */
static int applied_already(const struct store_rows *r, int version)
{
    for (int i = 0; i < r->nrows; i++)
        if (store_rows_int(r, i, 0) == version)
            return 1;
    return 0;
}

store_err store_migrate(struct store_conn *c, int *applied, int *version)
{
    return store_migrate_to(c, store_schema_version(), applied, version);
}

store_err store_migrate_to(struct store_conn *c, int target, int *applied, int *version)
{
    struct store_rows *r = NULL;
    char *ddl = expand("CREATE TABLE IF NOT EXISTS schema_migrations (\n"
                       "  version @INT@ PRIMARY KEY,\n"
                       "  name TEXT NOT NULL,\n"
                       "  applied_at @INT@ NOT NULL\n"
                       ")@STRICT@",
                       store_conn_kind(c));
    int current = 0;
    store_err e;

    *applied = 0;
    if (!ddl) {
        store_conn_seterr(c, "out of memory");
        return STORE_ERROR;
    }
    e = store_script(c, ddl);
    free(ddl);
    if (e != STORE_OK)
        return e;
    e = store_begin(c, 1);
    if (e != STORE_OK)
        return e;
    /* SQLite's BEGIN IMMEDIATE already excludes other writers; PostgreSQL needs a lock
     * so that two servers starting together do not both apply a migration. */
    if (store_conn_kind(c) == STORE_PG)
        e = store_exec(c, "SELECT pg_advisory_xact_lock(731942)", 0, NULL, NULL);
    if (e == STORE_OK)
        e = store_exec(c, "SELECT version FROM schema_migrations ORDER BY version", 0, NULL, &r);
    if (e != STORE_OK)
        goto fail;
    /* Each migration not yet recorded is applied, in order: numbers are handed out to
     * branches in parallel, so a database can be at 35 before 34 is merged (34 then runs
     * on its next start). Migrations with gaps between them do not depend on one another. */
    for (int i = 0; i < NMIGRATIONS; i++) {
        if (applied_already(r, migrations[i].version))
            continue;
        if (migrations[i].version > target)
            break;
        e = apply(c, &migrations[i]);
        if (e != STORE_OK)
            goto fail;
        (*applied)++;
    }
    /* The schema's version: the highest recorded (all below it are, as the loop saw to). */
    store_rows_free(r);
    r = NULL;
    e = store_exec(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", 0, NULL, &r);
    if (e == STORE_OK)
        current = (int)store_rows_int(r, 0, 0);
    /* Next years' partitions of cases and events, at each start (store/partition.h). */
    if (e == STORE_OK && current >= 33)
        e = store_case_partitions_ahead(c, STORE_CASE_YEARS_AHEAD);
    if (e == STORE_OK)
        e = store_commit(c);
    if (e != STORE_OK)
        goto fail;
    store_rows_free(r);
    *version = current;
    return STORE_OK;
fail:
    store_rollback(c);
    store_rows_free(r);
    *applied = 0;
    return e;
}
