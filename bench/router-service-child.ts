// A child process of `npm run bench router`: either serve-router on a policy file (argv: router
// POLICY [MAPPING]) or a stub upstream that answers every POST with a fixed chat completion
// (argv: stub). Prints its port on stdout; runs until killed. Loopback only.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readPolicy } from '../src/main/engine/policy/verify';
import { parseDeployment, resolveDeployment } from '../src/main/engine/policy/gateways/deployment';
import { startRouterService } from '../src/main/server/router-service';

const [mode, policyFile, mappingFile] = process.argv.slice(2);
if (mode === 'stub') {
  const answer = JSON.stringify({ id: 'stub', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] });
  const server = createServer({ keepAlive: true }, (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(answer.length) }).end(answer));
  });
  server.listen(0, '127.0.0.1', () => console.log((server.address() as AddressInfo).port));
} else {
  const policy = readPolicy(readFileSync(policyFile, 'utf8'));
  const deployment = mappingFile ? resolveDeployment(policy, parseDeployment(readFileSync(mappingFile, 'utf8'))) : null;
  const s = await startRouterService({ policy, deployment, log: () => {}, env: { STUB_KEY: 'bench' } });
  console.log(s.port);
}
