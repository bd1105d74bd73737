import type { SelectQueryBuilder } from 'kysely'
import type { Page, Paged } from '../port.js'
import type { Database } from '../schema.js'

/** Runs a list query for one page and its total count. */
export async function paged<TB extends keyof Database, O>(
  query: SelectQueryBuilder<Database, TB, O>,
  { page, perPage }: Page,
): Promise<Paged<O>> {
  const [items, total] = await Promise.all([
    query
      .limit(perPage)
      .offset(page * perPage)
      .execute(),
    query
      .clearSelect()
      .clearOrderBy()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow() as Promise<{ n: number }>,
  ])
  return { items, total: Number(total.n) }
}

/** One page of a list already in memory. */
export function pageOf<T>(all: T[], { page, perPage }: Page): Paged<T> {
  return { items: all.slice(page * perPage, page * perPage + perPage), total: all.length }
}

/** A page with each item mapped (rows to entities). */
export function mapPage<T, U>(result: Paged<T>, map: (item: T) => U): Paged<U> {
  return { items: result.items.map(map), total: result.total }
}
