// @vitest-environment node
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import readme from '../README.md?raw'

const entries = ['./index.ts', './binding.ts', './account.ts'].map((path) => fileURLToPath(new URL(path, import.meta.url)))

/**
 * Every option (inherited ones included) of every exported `Use…Options` type and of the
 * provider's props, from the entries `@mfa-kit/hooks`, `@mfa-kit/hooks/binding` and `@mfa-kit/hooks/account`.
 */
function documentedSurface(): Map<string, string[]> {
  const program = ts.createProgram(entries, { strict: true, jsx: ts.JsxEmit.ReactJSX, skipLibCheck: true, noEmit: true })
  const checker = program.getTypeChecker()
  const options = new Map<string, string[]>()
  for (const exported of entries.flatMap((entry) =>
    checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!),
  )) {
    if (!/^Use\w+Options$|^MfaProviderProps$/.test(exported.name) || exported.name === 'UseControllableStateOptions') continue
    const type = checker.getDeclaredTypeOfSymbol(checker.getAliasedSymbol(exported))
    options.set(
      exported.name,
      type
        .getProperties()
        .map((p) => p.name)
        .filter((name) => name !== 'children'),
    )
  }
  return options
}

describe('the README', () => {
  it('lists every option of every hook and of the provider', () => {
    const surface = documentedSurface()
    expect(surface.size).toBeGreaterThanOrEqual(19)
    const missing = [...surface].flatMap(([type, names]) =>
      names.filter((name) => !readme.includes(`\`${name}`)).map((name) => `${type}.${name}`),
    )
    expect(missing).toEqual([])
  })
})
