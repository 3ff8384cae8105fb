#!/usr/bin/env node
// The `canopy` command. TypeScript sources run through tsx's loader, so `npx canopy` works right
// after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../main/cli/index.ts');
