// Module resolution hook (runs in Node's loader thread): `electron` is the stand-in.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: process.env.CANOPY_ELECTRON_STAND_IN, shortCircuit: true };
  return nextResolve(specifier, context);
}
