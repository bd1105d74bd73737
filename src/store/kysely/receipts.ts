import type { Kysely } from 'kysely'
import type { Receipt, ReceiptKey } from '../../entities.js'
import type { Page, Paged } from '../port.js'
import type { Database } from '../schema.js'
import { mapPage, paged } from './paging.js'
import { iso, json, toReceipt } from './rows.js'

export async function findReceipt(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<Receipt | undefined> {
  const row = await db
    .selectFrom('consent_receipts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toReceipt(row) : undefined
}

/** Newest first, by user and client when given. */
export async function listReceipts(
  db: Kysely<Database>,
  tenantId: string,
  filter: { userId?: string | undefined; clientId?: string | undefined },
  page: Page,
): Promise<Paged<Receipt>> {
  let query = db.selectFrom('consent_receipts').selectAll().where('tenant_id', '=', tenantId)
  if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId)
  if (filter.clientId !== undefined) query = query.where('client_id', '=', filter.clientId)
  return mapPage(await paged(query.orderBy('recorded_at', 'desc').orderBy('id'), page), toReceipt)
}

export async function listReceiptKeys(
  db: Kysely<Database>,
  tenantId: string,
): Promise<ReceiptKey[]> {
  const rows = await db
    .selectFrom('receipt_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('kid', 'desc')
    .execute()
  return rows.map((row) => ({
    kid: row.kid,
    privateJwk: JSON.parse(row.private_jwk) as Record<string, unknown>,
    publicJwk: JSON.parse(row.public_jwk) as Record<string, unknown>,
    createdAt: new Date(row.created_at),
  }))
}

export async function addReceiptKey(
  db: Kysely<Database>,
  tenantId: string,
  key: ReceiptKey,
): Promise<void> {
  await db
    .insertInto('receipt_keys')
    .values({
      tenant_id: tenantId,
      kid: key.kid,
      private_jwk: json(key.privateJwk),
      public_jwk: json(key.publicJwk),
      created_at: iso(key.createdAt),
    })
    .execute()
}
