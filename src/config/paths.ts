import { fileURLToPath } from 'node:url'

/** The project's folders, found from this file whether it runs from `src/` or `dist/`. */
const root = new URL('../../', import.meta.url)

export const paths = {
  views: fileURLToPath(new URL('views/', root)),
  locales: fileURLToPath(new URL('locales/', root)),
  assets: fileURLToPath(new URL('views/assets/', root)),
}
