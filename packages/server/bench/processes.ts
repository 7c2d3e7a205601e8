/**
 * The benchmark's child processes (the measured servers), and their memory as Linux reports it.
 */

import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_DIR = dirname(dirname(fileURLToPath(import.meta.url)))

export interface Child {
  process: ChildProcess
  url: string
  pid: number
  stderr: () => string
  stop(): Promise<void>
}

export function spawnChild(script: string, args: readonly string[]): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PACKAGE_DIR, 'bench', script), ...args], {
    cwd: PACKAGE_DIR,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  })
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000)
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  return new Promise((resolve, reject) => {
    let stdout = ''
    const onData = (chunk: string) => {
      stdout += chunk
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{'))
      if (!line) return
      child.stdout!.off('data', onData)
      const { url } = JSON.parse(line) as { url: string }
      resolve({
        process: child,
        url,
        pid: child.pid!,
        stderr: () => stderr,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM')
          await exited
        },
      })
    }
    child.stdout!.setEncoding('utf8').on('data', onData)
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening:\n${stderr}`)))
  })
}

export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) / 1024
  return { rssMb: field('VmRSS'), peakMb: field('VmHWM') }
}

/** Resets the peak-RSS mark of a process (Linux `clear_refs` 5), so each scenario reports its own peak. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

/** Tracks the peak RSS of a process during a scenario: VmHWM when it can be reset, else sampling. */
export function trackMemory(pid: number): () => number {
  const resettable = resetPeak(pid)
  let sampled = memoryOf(pid).rssMb
  const timer = setInterval(() => {
    sampled = Math.max(sampled, memoryOf(pid).rssMb)
  }, 50)
  return () => {
    clearInterval(timer)
    const { rssMb, peakMb } = memoryOf(pid)
    return resettable ? peakMb : Math.max(sampled, rssMb)
  }
}
