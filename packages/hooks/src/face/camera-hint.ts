import type { CameraProblem } from './camera.reducer'

/** The browser, as far as it matters for where its camera setting is. */
export type CameraBrowser = 'chrome' | 'edge' | 'firefox' | 'safari' | 'samsung' | 'opera' | 'other'

/** The operating system, as far as it matters for where its camera privacy setting is. */
export type CameraOs = 'windows' | 'macos' | 'ios' | 'android' | 'chromeos' | 'linux' | 'other'

/**
 * What to tell a user whose camera does not work: the problem, and the browser and system whose
 * settings to check. Words are the UI's job; this says which words. Worked out from the user
 * agent when asked; nothing is stored.
 */
export interface CameraHint {
  problem: CameraProblem
  /**
   * Which setting to check: the site's camera permission in the browser, the system's camera
   * privacy setting (which lets the browser itself use the camera), or neither.
   */
  setting: 'browser' | 'system' | null
  browser: CameraBrowser
  os: CameraOs
}

export function browserOf(userAgent: string): CameraBrowser {
  if (/SamsungBrowser\//.test(userAgent)) return 'samsung'
  if (/Edg(e|A|iOS)?\//.test(userAgent)) return 'edge'
  if (/OPR\/|Opera/.test(userAgent)) return 'opera'
  if (/Firefox\/|FxiOS\//.test(userAgent)) return 'firefox'
  if (/Chrome\/|CriOS\//.test(userAgent)) return 'chrome'
  if (/Version\/[\d.]+.*Safari\//.test(userAgent)) return 'safari'
  return 'other'
}

export function osOf(userAgent: string): CameraOs {
  if (/iPhone|iPad|iPod/.test(userAgent)) return 'ios'
  if (/Android/.test(userAgent)) return 'android'
  if (/CrOS/.test(userAgent)) return 'chromeos'
  if (/Windows/.test(userAgent)) return 'windows'
  if (/Macintosh|Mac OS X/.test(userAgent)) return 'macos'
  if (/Linux/.test(userAgent)) return 'linux'
  return 'other'
}

const SETTING: Record<CameraProblem, CameraHint['setting']> = {
  blocked: 'browser',
  blocked_by_system: 'system',
  blocked_by_policy: null,
  no_camera: null,
  in_use: null,
  interrupted: null,
  insecure_context: null,
  not_supported: null,
  unknown: null,
}

/** The hint for `problem` in the browser that `userAgent` names. */
export function cameraHint(problem: CameraProblem, userAgent: string): CameraHint {
  return { problem, setting: SETTING[problem], browser: browserOf(userAgent), os: osOf(userAgent) }
}
