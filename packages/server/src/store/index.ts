export { createMemoryStore } from './memory'
export { lockDelay } from './policy'
export type * from './types'
