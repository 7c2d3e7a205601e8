import { createMemoryStore } from './memory'
import { describeStoreConformance } from './conformance.testing'

describeStoreConformance('memory store', () => createMemoryStore())
