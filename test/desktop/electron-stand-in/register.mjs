// `node --import ./register.mjs dist/desktop/main.js`: the bundle's `electron` imports (and
// electron-store's) resolve to the stand-in named by CANOPY_ELECTRON_STAND_IN (a file URL).
import { register } from 'node:module';

register('./resolve-electron.mjs', import.meta.url);
