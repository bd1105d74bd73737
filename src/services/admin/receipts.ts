import type { Page, Paged, Receipt } from '../../entities.js'
import { AppError } from '../../errors.js'
import type { Store } from '../../store/port.js'

/** Consent receipts for the Management API (DESIGN §3.6): listed and read, never changed. */
export function createReceiptLog(store: Store) {
  return {
    list: (
      tenantId: string,
      filter: { userId?: string | undefined; clientId?: string | undefined },
      page: Page,
    ): Promise<Paged<Receipt>> => store.receipts.list(tenantId, filter, page),

    /** One receipt; 404 `inexistent_receipt` when the tenant has none by that id. */
    async get(tenantId: string, id: string): Promise<Receipt> {
      const receipt = await store.receipts.get(tenantId, id)
      if (!receipt) throw new AppError(404, 'inexistent_receipt', 'The receipt does not exist')
      return receipt
    },
  }
}

export type ReceiptLog = ReturnType<typeof createReceiptLog>
