import { type Kysely, sql } from 'kysely'

/**
 * PostgreSQL announces every change to a consent request on `assent_requests`, from the writing
 * transaction itself, so the notice leaves when the change commits and never without it, whatever
 * statement made the change: `[application_name, tenant, id]` for each row updated, and
 * `[application_name]` once for a statement that deleted rows (a purge, an erasure, a client
 * deleted), which instances read as "forget every request". Instances keep requests in memory
 * only while they listen (DESIGN §7). SQLite has one process on the file: nothing to announce.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  // PostgreSQL numbers its parameters; SQLite's are `?`.
  if (sql`${0}`.compile(db).sql !== '$1') return
  await sql`create function assent_request_updated() returns trigger language plpgsql as $$
    begin
      perform pg_notify('assent_requests',
        json_build_array(current_setting('application_name'), new.tenant_id, new.id)::text);
      return null;
    end $$`.execute(db)
  await sql`create function assent_requests_deleted() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from gone) then
        perform pg_notify('assent_requests',
          json_build_array(current_setting('application_name'))::text);
      end if;
      return null;
    end $$`.execute(db)
  await sql`create trigger assent_request_updated after update on consent_requests
    for each row execute function assent_request_updated()`.execute(db)
  await sql`create trigger assent_requests_deleted after delete on consent_requests
    referencing old table as gone
    for each statement execute function assent_requests_deleted()`.execute(db)
}
