import { CompactSign, type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import { LRUCache } from 'lru-cache'
import type { Receipt, ReceiptClaims, ReceiptKey, Tenant } from '../../entities.js'
import { randomToken } from '../../ids.js'
import type { Store } from '../../store/port.js'

/** ES256 (RFC 7518 §3.4): small signatures, and every JOSE library verifies it. */
const ALG = 'ES256'
/** How long a signing key stays cached: a rotation on another instance is seen within this. */
const KEY_TTL_MS = 60_000
/** Tenants whose signing key is kept in memory. */
const MAX_TENANTS = 1000

export type ReceiptFacts = Omit<ReceiptClaims, 'receipt_id' | 'tenant' | 'recorded_at'>

/**
 * Consent receipts (DESIGN §3.6): the claims of an answer or a revocation, signed as a compact
 * JWS with the tenant's newest key; every key the tenant ever had stays published, so a receipt
 * signed before a rotation still verifies. The caller stores the receipt in the same transaction
 * as the change it proves.
 */
export interface ReceiptService {
  issue(tenant: Tenant, facts: ReceiptFacts, at: Date): Promise<Receipt>
  /** The tenant's public keys, as a JWK Set (RFC 7517 §5). */
  publicKeys(tenant: Tenant): Promise<{ keys: JWK[] }>
  /** Makes a new signing key; the old ones stay published. */
  rotate(tenant: Tenant, at: Date): Promise<ReceiptKey>
}

async function newKey(at: Date): Promise<ReceiptKey> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true })
  const kid = randomToken(12)
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' },
    createdAt: at,
  }
}

/** A tenant's signing key, with the JWS protected header that names it. */
interface SigningKey {
  readonly key: CryptoKey
  readonly header: { readonly alg: string; readonly kid: string; readonly typ: string }
}

const encoder = new TextEncoder()

/** A compact JWS (RFC 7515 §7.1) of `payload`, by jose; any JOSE library verifies it. */
function compactJws({ key, header }: SigningKey, payload: string): Promise<string> {
  return new CompactSign(encoder.encode(payload)).setProtectedHeader(header).sign(key)
}

export function createReceiptService(store: Store): ReceiptService {
  const signing = new LRUCache<string, SigningKey>({ max: MAX_TENANTS, ttl: KEY_TTL_MS })

  async function signingKey(tenant: Tenant, at: Date) {
    const cached = signing.get(tenant.id)
    if (cached) return cached
    let [newest] = await store.receiptKeys.list(tenant.id)
    if (!newest) {
      newest = await newKey(at)
      await store.receiptKeys.add(tenant.id, newest)
    }
    const key: SigningKey = {
      key: (await importJWK(newest.privateJwk as JWK, ALG)) as CryptoKey,
      header: { alg: ALG, kid: newest.kid, typ: 'assent-receipt+jws' },
    }
    signing.set(tenant.id, key)
    return key
  }

  return {
    async issue(tenant, facts, at) {
      const claims: ReceiptClaims = {
        receipt_id: `rcp_${randomToken(16)}`,
        tenant: tenant.id,
        ...facts,
        recorded_at: at.toISOString(),
      }
      const jws = await compactJws(await signingKey(tenant, at), JSON.stringify(claims))
      return {
        id: claims.receipt_id,
        tenantId: tenant.id,
        userId: claims.user_id,
        clientId: claims.client_id,
        action: claims.action,
        claims,
        jws,
        recordedAt: at,
      }
    },

    async publicKeys(tenant) {
      const keys = await store.receiptKeys.list(tenant.id)
      return { keys: keys.map((key) => key.publicJwk as JWK) }
    },

    async rotate(tenant, at) {
      const key = await newKey(at)
      await store.receiptKeys.add(tenant.id, key)
      signing.delete(tenant.id)
      return key
    },
  }
}
