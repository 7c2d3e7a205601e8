import { describe, expect, it } from 'vitest'
import { browserOf, cameraHint, osOf } from './camera-hint'
import { cameraFailureOf, cameraInitialState, cameraReducer, cameraSupportFailure } from './camera.reducer'
import type { CameraEvent, CameraState } from './camera.reducer'

const stream = { id: 's' } as unknown as MediaStream
const error = new Error('x')
const at = (patch: Partial<CameraState>): CameraState => ({ ...cameraInitialState, ...patch })
const failed = (status: 'denied' | 'unavailable' | 'error', problem: Extract<CameraEvent, { type: 'failed' }>['problem']): CameraEvent => ({
  type: 'failed',
  error,
  status,
  problem,
})

describe('cameraReducer', () => {
  it.each<[string, CameraState, CameraEvent, Partial<CameraState> | 'same']>([
    ['a request from prompt', at({}), { type: 'request' }, { status: 'prompt', requesting: true }],
    ['a second request while one runs', at({ requesting: true }), { type: 'request' }, 'same'],
    ['a request while streaming', at({ status: 'streaming', stream }), { type: 'request' }, 'same'],
    [
      'a request after a refusal (the user may have changed the setting)',
      at({ status: 'denied', problem: 'blocked', error }),
      { type: 'request' },
      { status: 'prompt', requesting: true, problem: null, error: null },
    ],
    ['a request on an insecure page', at({ status: 'unavailable', problem: 'insecure_context' }), { type: 'request' }, 'same'],
    ['a request without a camera API', at({ status: 'unavailable', problem: 'not_supported' }), { type: 'request' }, 'same'],
    [
      'a request in a frame that may not use the camera',
      at({ status: 'unavailable', problem: 'blocked_by_policy' }),
      { type: 'request' },
      'same',
    ],
    [
      'a request once a camera may have been plugged in',
      at({ status: 'unavailable', problem: 'no_camera' }),
      { type: 'request' },
      { status: 'prompt', requesting: true, problem: null },
    ],
    [
      'the stream',
      at({ requesting: true }),
      { type: 'started', stream },
      { status: 'streaming', requesting: false, stream, permission: 'granted' },
    ],
    [
      'a stream from a component that opened the camera itself',
      at({}),
      { type: 'started', stream },
      { status: 'streaming', stream, permission: 'granted' },
    ],
    ['a stream after a refusal', at({ status: 'denied', problem: 'blocked' }), { type: 'started', stream }, 'same'],
    [
      'a refusal',
      at({ requesting: true }),
      failed('denied', 'blocked'),
      { status: 'denied', requesting: false, problem: 'blocked', permission: 'denied', error },
    ],
    [
      'a refusal by the system keeps what the browser says',
      at({ requesting: true, permission: 'granted' }),
      failed('denied', 'blocked_by_system'),
      { status: 'denied', requesting: false, problem: 'blocked_by_system', permission: 'granted', error },
    ],
    [
      'no camera',
      at({ requesting: true }),
      failed('unavailable', 'no_camera'),
      { status: 'unavailable', requesting: false, problem: 'no_camera', error },
    ],
    [
      'the camera ending while streaming',
      at({ status: 'streaming', stream }),
      failed('error', 'interrupted'),
      { status: 'error', problem: 'interrupted', stream: null, error },
    ],
    ['a failure after a refusal', at({ status: 'denied', problem: 'blocked' }), failed('error', 'in_use'), 'same'],
    ['stopping', at({ status: 'streaming', stream }), { type: 'stopped' }, { status: 'prompt', stream: null }],
    ['stopping a request', at({ requesting: true }), { type: 'stopped' }, { status: 'prompt', requesting: false }],
    ['stopping when off', at({}), { type: 'stopped' }, 'same'],
    [
      'a camera blocked before anyone asked',
      at({}),
      { type: 'permission', permission: 'denied' },
      { status: 'denied', problem: 'blocked', permission: 'denied' },
    ],
    [
      'a permission allowed in the settings after a refusal',
      at({ status: 'denied', problem: 'blocked', permission: 'denied', error }),
      { type: 'permission', permission: 'prompt' },
      { status: 'prompt', problem: null, error: null, permission: 'prompt' },
    ],
    [
      'a permission revoked while streaming',
      at({ status: 'streaming', stream, permission: 'granted' }),
      { type: 'permission', permission: 'denied' },
      { status: 'denied', problem: 'blocked', stream: null, permission: 'denied' },
    ],
    [
      'a permission denied while the browser asks (the request fails by itself)',
      at({ requesting: true }),
      { type: 'permission', permission: 'denied' },
      { status: 'prompt', requesting: true, permission: 'denied' },
    ],
    ['the same permission again', at({ permission: 'granted' }), { type: 'permission', permission: 'granted' }, 'same'],
    ['a granted permission', at({}), { type: 'permission', permission: 'granted' }, { status: 'prompt', permission: 'granted' }],
  ])('%s', (_, state, event, expected) => {
    const next = cameraReducer(state, event)
    if (expected === 'same') expect(next).toBe(state)
    else expect(next).toEqual({ ...state, ...expected })
  })
})

describe('cameraFailureOf', () => {
  it.each<[string, unknown, string, string]>([
    ['NotAllowedError (the user said no)', new DOMException('Permission denied', 'NotAllowedError'), 'denied', 'blocked'],
    ["Chrome's system refusal", new DOMException('Permission denied by system', 'NotAllowedError'), 'denied', 'blocked_by_system'],
    ['the old PermissionDeniedError', { name: 'PermissionDeniedError', message: '' }, 'denied', 'blocked'],
    ['SecurityError (a permissions policy)', new DOMException('', 'SecurityError'), 'unavailable', 'blocked_by_policy'],
    ['NotFoundError', new DOMException('Requested device not found', 'NotFoundError'), 'unavailable', 'no_camera'],
    ['OverconstrainedError', { name: 'OverconstrainedError', message: '' }, 'unavailable', 'no_camera'],
    ['NotReadableError (in use)', new DOMException('Could not start video source', 'NotReadableError'), 'error', 'in_use'],
    ["Firefox's AbortError", new DOMException('Starting videoinput failed', 'AbortError'), 'error', 'in_use'],
    ["react-webcam's string", 'getUserMedia not supported', 'unavailable', 'not_supported'],
    ["react-webcam's polyfill", new Error('getUserMedia is not implemented in this browser'), 'unavailable', 'not_supported'],
    ['anything else', new TypeError('boom'), 'error', 'unknown'],
  ])('%s', (_, thrown, status, problem) => {
    const event = cameraFailureOf(thrown)
    expect(event).toMatchObject({ type: 'failed', status, problem })
    expect(event.error).toHaveProperty('name')
  })

  it('keeps the error the browser threw', () => {
    const thrown = new DOMException('no', 'NotAllowedError')
    expect(cameraFailureOf(thrown).error).toBe(thrown)
  })
})

describe('cameraSupportFailure', () => {
  it.each<[string, { getUserMedia?: unknown } | null | undefined, boolean | undefined, string | null]>([
    ['a camera API', { getUserMedia: () => {} }, true, null],
    ['no API on an http page', undefined, false, 'insecure_context'],
    ['no API on a secure page', undefined, true, 'not_supported'],
    ['an object without getUserMedia', {}, undefined, 'not_supported'],
    ['a camera API turned off', null, true, 'not_supported'],
  ])('%s', (_, devices, secure, problem) => {
    const failure = cameraSupportFailure(devices, secure)
    if (problem === null) expect(failure).toBeNull()
    else expect(failure).toMatchObject({ status: 'unavailable', problem })
  })
})

describe('camera hints', () => {
  const agents = {
    chromeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    edgeWindows:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
    firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
    safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    safariIphone:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    chromeIphone:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
    samsungAndroid:
      'Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
    operaWindows:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 OPR/111.0.0.0',
    chromebook: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    jsdom: 'Mozilla/5.0 (linux) AppleWebKit/537.36 (KHTML, like Gecko) jsdom/26.1.0',
  }

  it.each<[keyof typeof agents, string, string]>([
    ['chromeMac', 'chrome', 'macos'],
    ['edgeWindows', 'edge', 'windows'],
    ['firefoxLinux', 'firefox', 'linux'],
    ['safariMac', 'safari', 'macos'],
    ['safariIphone', 'safari', 'ios'],
    ['chromeIphone', 'chrome', 'ios'],
    ['samsungAndroid', 'samsung', 'android'],
    ['operaWindows', 'opera', 'windows'],
    ['chromebook', 'chrome', 'chromeos'],
    ['jsdom', 'other', 'other'],
  ])('%s is %s on %s', (agent, browser, os) => {
    expect(browserOf(agents[agent])).toBe(browser)
    expect(osOf(agents[agent])).toBe(os)
  })

  it('points at the browser for a refusal, at the system for a system refusal, and at neither otherwise', () => {
    expect(cameraHint('blocked', agents.chromeMac)).toEqual({ problem: 'blocked', setting: 'browser', browser: 'chrome', os: 'macos' })
    expect(cameraHint('blocked_by_system', agents.edgeWindows)).toEqual({
      problem: 'blocked_by_system',
      setting: 'system',
      browser: 'edge',
      os: 'windows',
    })
    for (const problem of [
      'no_camera',
      'in_use',
      'interrupted',
      'insecure_context',
      'not_supported',
      'blocked_by_policy',
      'unknown',
    ] as const)
      expect(cameraHint(problem, agents.firefoxLinux).setting).toBeNull()
  })
})
