import { describe, expect, it } from 'vitest'
import { modelFields, readDeclarations, sdkModels } from '../../scripts/auth0-fields.js'
import { AUTH0_MODELS } from '../../src/routes/management/auth0-fields/index.generated.js'
import { nestedWithin } from '../../src/routes/management/auth0-fields.js'

/** Text as the SDK's generator writes it (auth0 7.x `.d.ts`). */
const SDK = `
export interface CreateThingRequestContent {
    /** Name. Can not contain \`<\` or \`>\` characters. */
    name: string;
    count?: number;
    enabled?: boolean | undefined;
    alg?: Management.AlgEnum;
    dialect?: (Management.DialectEnum | null) | undefined;
    tags?: string[];
    details?: unknown[] | null;
    metadata?: Management.Metadata;
    nested?: Management.Nested | null;
    inline?: {
        deep: string;
    };
    either?: string | number;
    mode?: Management.ModeAlias;
}
export declare const AlgEnum: {
    readonly Hs256: "HS256";
    readonly Rs512: "RS512";
};
export type AlgEnum = (typeof AlgEnum)[keyof typeof AlgEnum];
export declare const DialectEnum: {
    readonly A: "a";
};
export type DialectEnum = (typeof DialectEnum)[keyof typeof DialectEnum];
export type Metadata = Record<string, unknown>;
export interface Nested {
    x: string;
}
export type ModeAlias = ("one" | "two") | null;
`

describe('reading the auth0 SDK’s model types (scripts/auth0-fields.ts)', () => {
  const fields = modelFields('CreateThingRequestContent', readDeclarations([SDK]))

  it('reads every top-level member, not the members of an inline object', () => {
    expect(Object.keys(fields)).toEqual([
      'name',
      'count',
      'enabled',
      'alg',
      'dialect',
      'tags',
      'details',
      'metadata',
      'nested',
      'inline',
      'either',
      'mode',
    ])
  })

  it('reads simple types, enums through their const, aliases, and where null is allowed', () => {
    expect(fields).toEqual({
      name: { type: { kind: 'string' }, nullable: false },
      count: { type: { kind: 'number' }, nullable: false },
      enabled: { type: { kind: 'boolean' }, nullable: false },
      alg: { type: { kind: 'enum', values: ['HS256', 'RS512'] }, nullable: false },
      dialect: { type: { kind: 'enum', values: ['a'] }, nullable: true },
      tags: { type: { kind: 'array' }, nullable: false },
      details: { type: { kind: 'array' }, nullable: true },
      metadata: { type: { kind: 'object' }, nullable: false },
      nested: { type: { kind: 'object' }, nullable: true },
      inline: { type: { kind: 'object' }, nullable: false },
      either: { type: { kind: 'unknown' }, nullable: false },
      mode: { type: { kind: 'enum', values: ['one', 'two'] }, nullable: true },
    })
  })

  it('names a model the SDK does not have', () => {
    expect(() => modelFields('Missing', readDeclarations([SDK]))).toThrow(/Missing/)
  })
})

describe('the generated fields', () => {
  it('are those of the installed SDK: re-run the script after an upgrade', () => {
    expect(sdkModels().models).toEqual(AUTH0_MODELS)
  })

  it('hold what Auth0 sends: every app_type and signing_alg, nulls, read-only fields', () => {
    const appType = AUTH0_MODELS.ClientCreate.app_type.type
    expect(appType.kind === 'enum' && appType.values).toHaveLength(25)
    expect(AUTH0_MODELS.ResourceServerCreate.signing_alg.type).toEqual({
      kind: 'enum',
      values: ['HS256', 'RS256', 'RS512', 'PS256'],
    })
    expect(AUTH0_MODELS.ResourceServerUpdate.consent_policy.nullable).toBe(true)
    expect(AUTH0_MODELS.ResourceServer.is_system).toBeDefined()
    expect(AUTH0_MODELS.Client.client_secret).toBeDefined()
  })
})

describe('nestedWithin', () => {
  const nest = (levels: number): unknown => {
    let value: unknown = 1
    for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value }
    return value
  }

  it('counts levels of objects and arrays, scalars at any level free', () => {
    expect(nestedWithin('text', 0)).toBe(true)
    expect(nestedWithin(null, 0)).toBe(true)
    expect(nestedWithin({}, 0)).toBe(false)
    expect(nestedWithin(nest(3), 3)).toBe(true)
    expect(nestedWithin(nest(4), 3)).toBe(false)
    expect(nestedWithin({ a: 1, b: [1, { c: 2 }] }, 3)).toBe(true)
    expect(nestedWithin({ a: 1, b: [1, { c: {} }] }, 3)).toBe(false)
  })

  it('answers for a value far deeper than the stack would take', () => {
    expect(nestedWithin(nest(500_000), 32)).toBe(false)
  })
})
