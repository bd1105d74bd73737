interface DocumentOperation {
  summary: string
  tags: string[]
  'x-scopes': string[]
  parameters?: { name: string; in: string; required: boolean; schema: unknown }[]
  requestBody?: { content: { 'application/json': { schema: unknown } } }
  responses: Record<string, { content?: { 'application/json': { schema: unknown } } }>
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2)

/** The view-model of `views/api-docs.eta`: the OpenAPI document, grouped by tag, for people. */
export function apiDocsModel(document: { paths?: Record<string, object> }) {
  const groups = new Map<string, { tag: string; id: string; operations: unknown[] }>()
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, raw] of Object.entries(operations)) {
      const op = raw as DocumentOperation
      const tag = op.tags[0] ?? 'Other'
      const group = groups.get(tag) ?? {
        tag,
        id: tag.toLowerCase().replace(/\W+/g, '-'),
        operations: [],
      }
      groups.set(tag, group)
      const success = Object.keys(op.responses).find((status) => status.startsWith('2')) ?? '200'
      const query = (op.parameters ?? []).filter((p) => p.in === 'query')
      group.operations.push({
        method,
        path,
        summary: op.summary,
        scopes: op['x-scopes'],
        success,
        query:
          query.length > 0
            ? pretty(Object.fromEntries(query.map((p) => [p.name, p.schema])))
            : null,
        body: op.requestBody ? pretty(op.requestBody.content['application/json'].schema) : null,
        response: op.responses[success]?.content
          ? pretty(op.responses[success]?.content?.['application/json'].schema)
          : null,
      })
    }
  }
  return {
    title: 'Assent Management API',
    specUrl: '/api/v2/openapi.json',
    groups: [...groups.values()],
  }
}
