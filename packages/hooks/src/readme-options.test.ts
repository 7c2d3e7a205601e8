// @vitest-environment node
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import readme from '../README.md?raw'

const entry = fileURLToPath(new URL('./index.ts', import.meta.url))

/** Every option (inherited ones included) of every exported `Use…Options` type and of the provider's props. */
function documentedSurface(): Map<string, string[]> {
  const program = ts.createProgram([entry], { strict: true, jsx: ts.JsxEmit.ReactJSX, skipLibCheck: true, noEmit: true })
  const checker = program.getTypeChecker()
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!
  const options = new Map<string, string[]>()
  for (const exported of checker.getExportsOfModule(module)) {
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
    expect(surface.size).toBeGreaterThanOrEqual(15)
    const missing = [...surface].flatMap(([type, names]) =>
      names.filter((name) => !readme.includes(`\`${name}`)).map((name) => `${type}.${name}`),
    )
    expect(missing).toEqual([])
  })
})
