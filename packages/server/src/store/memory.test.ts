import { createMemoryStore } from './memory'
import { describeStoreConformance } from './conformance'

describeStoreConformance('memory store', () => createMemoryStore())
