// The ceiling: a bare node:http server answering every request with the exact bytes (and
// headers) of an Assent consent page, captured just before. Nothing can serve that page faster.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

const [, , bodyFile, headersFile] = process.argv
const body = readFileSync(bodyFile)
const headers = JSON.parse(readFileSync(headersFile, 'utf8'))
const server = createServer((_req, res) => {
  res.writeHead(200, headers)
  res.end(body)
})
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
