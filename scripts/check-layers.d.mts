/** Returns one message per broken import rule under `root` (a checkout of the repo). */
export function checkLayers(root: string): string[]
