// Entry of a face worker thread. The worker is written in TypeScript, and a thread does not
// inherit the loader of the process that starts it (tsx, vitest), so tsx loads it here.
import { tsImport } from 'tsx/esm/api'

await tsImport('./worker.ts', import.meta.url)
