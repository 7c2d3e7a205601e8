import type { CameraHint } from '@mfa-kit/hooks/face'
import type { MfaMessages } from '../i18n/types'

/**
 * What to tell a user whose camera does not work: for a refusal, where the browser or the
 * system keeps the camera permission; otherwise what is wrong.
 */
export function cameraHintText(hint: CameraHint, m: MfaMessages['faceCapture']): string {
  const { problem, browser, os } = hint
  switch (problem) {
    case 'blocked':
      if (os === 'ios') return m.blockedIos
      if (os === 'android') return m.blockedAndroid
      if (browser === 'firefox') return m.blockedFirefox
      if (browser === 'safari') return m.blockedSafari
      return m.blockedChromium
    case 'blocked_by_system':
      return os === 'macos' ? m.systemMacos : os === 'windows' ? m.systemWindows : m.systemOther
    case 'blocked_by_policy':
      return m.policy
    case 'no_camera':
      return m.noCamera
    case 'in_use':
      return m.inUse
    case 'interrupted':
      return m.interrupted
    case 'insecure_context':
      return m.insecure
    case 'not_supported':
      return m.notSupported
    default:
      return m.unknownProblem
  }
}
