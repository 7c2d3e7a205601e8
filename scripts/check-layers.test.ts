import { execFileSync, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { checkLayers } from './check-layers.mjs'

const repo = fileURLToPath(new URL('..', import.meta.url))
const broken = fileURLToPath(new URL('./fixtures/layers-broken', import.meta.url))

describe('the layer-rule check', () => {
  it('finds no violation in the repository', () => {
    expect(checkLayers(repo)).toEqual([])
  })

  it('reports every rule the fixture breaks', () => {
    const found = checkLayers(broken).join('\n')
    expect(found).toContain('protocol has no dependencies, but imports zod')
    expect(found).toContain('client may not import React')
    expect(found).toContain('client may not import @mfa-kit/server')
    expect(found).toContain('imports internals @mfa-kit/server/src/internal')
    expect(found).toContain('client touches browser storage')
    expect(found).toContain('hooks may not import @mfa-kit/protocol')
    expect(found).toContain('hooks ships no CSS')
    expect(found).toContain('hooks renders markup')
    expect(found).toContain('ui may not import @mfa-kit/client')
    expect(found).toContain('ui calls fetch')
    expect(found).toContain('server core imports the Node-only module node:fs')
    expect(found).toContain('server core imports the Node-only module better-sqlite3')
    expect(found).toContain('server core uses a Node global')
  })

  it('lets the server Node entry use Node modules', () => {
    expect(checkLayers(broken).filter((v) => v.includes('src/node/'))).toEqual([])
  })

  it('fails the command with a non-zero exit on a violation', () => {
    const run = spawnSync(process.execPath, [fileURLToPath(new URL('./check-layers.mjs', import.meta.url)), broken], { encoding: 'utf8' })
    expect(run.status).toBe(1)
    expect(run.stdout).toMatch(/^layer rule broken: /m)
    expect(
      execFileSync(process.execPath, [fileURLToPath(new URL('./check-layers.mjs', import.meta.url)), repo], { encoding: 'utf8' }),
    ).toContain('layer rules hold')
  })
})
