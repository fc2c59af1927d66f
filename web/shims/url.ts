// node:url in the browser bundle: only fileURLToPath is reached (node-host.ts's entry paths,
// computed when the module loads and never used in a page).

export const fileURLToPath = (url: URL | string): string => String(url);
