import { lazy } from 'react'
import type { ComponentType } from 'react'
import type { MfaError, MfaTrigger, User } from '@mfa-kit/hooks'
import type { EmailChallengeRootProps, SmsChallengeRootProps } from '../code-challenge/code-challenge'
import { EmailChallengeRoot, SmsChallengeRoot } from '../code-challenge/code-challenge'
import { FactorPickerRoot } from '../factor-picker/factor-picker'
import type { FactorPickerRootProps } from '../factor-picker/factor-picker'
import { PasswordSignInRoot } from '../password-sign-in/password-sign-in'
import { TotpChallengeRoot } from '../totp-challenge/totp-challenge'
import type { TotpChallengeRootProps } from '../totp-challenge/totp-challenge'
import type { TotpEnrollmentRootProps } from '../totp-enrollment/totp-enrollment'

/** What the sign-in slot of `<MfaGuard>` gets. */
export interface MfaGuardSignInProps {
  /** Call with the trigger when the server asks for a second factor (`mfa_required`). */
  onMfaRequired: (trigger: MfaTrigger) => void
  /** Why the user is back here (their sign-in expired or used up its attempts), to show above the form; else `null`. */
  notice: string | null
}

/**
 * What a face sign-in slot gets: the props of `@mfa-kit/ui/face`'s `FaceChallenge.Root` (its
 * lazy `LazyFaceChallenge` fits as it is).
 */
export interface FaceChallengeSlotProps {
  /** The mfaToken of the sign-in in progress. */
  mfaToken: string
  /** Ends the challenge with the signed-in user. */
  onVerified: (user: User) => void
  /** The mfaToken died: the guard goes back to sign-in. */
  onExpired: (error: MfaError) => void
  /** Face cannot finish this sign-in: the guard offers the other factors. */
  onUnavailable: (error: MfaError) => void
  /** Back to sign-in. */
  onRestart: () => void
}

/**
 * What a face binding slot gets: the props of `@mfa-kit/ui/face`'s `FaceEnrollment.Root` (its
 * lazy `LazyFaceEnrollment` fits as it is). With an `mfaToken` it binds during a sign-in (only where
 * the server lets an account bind then); without, for the signed-in user (settings).
 */
export interface FaceEnrollmentSlotProps {
  /** The mfaToken, when binding during a sign-in; without it the signed-in user binds. */
  mfaToken?: string
  /** Bound; `user` is set when the binding finished a sign-in. */
  onDone: (user: User | null) => void
  /** Bound during a sign-in, with the signed-in user. */
  onVerified?: (user: User) => void
  /** The mfaToken or the session died. */
  onExpired: (error: MfaError) => void
  /** This account cannot bind a face now (another factor first, already bound, turned off). */
  onUnavailable: (error: MfaError) => void
  /** Back to sign-in. */
  onRestart?: () => void
}

/** What the step-up slot gets: the dialog that re-verifies the signed-in user for `requireStepUp()`. */
export interface MfaStepUpProps {
  /** The proof was accepted: `requireStepUp()` resolves. */
  onDone: () => void
  /** The user gave up (or the proof failed for good): `requireStepUp()` rejects with `error`. */
  onCancel: (error: MfaError | null) => void
}

/**
 * Every part `<MfaGuard>` renders, by slot. Override any of them with `components` (or
 * `getMfaGuardComponents`); what you leave out keeps the default.
 */
export interface MfaGuardComponents {
  /** Signed out: the sign-in form. Default: `PasswordSignIn.Root` (with sign-up). The `signIn` prop takes precedence. */
  SignIn: ComponentType<MfaGuardSignInProps>
  /** Beside each factor, the other factors of the sign-in. Default: `FactorPicker.Root`. */
  FactorPicker: ComponentType<FactorPickerRootProps>
  /** A bound authenticator app, with the recovery code as its fallback. Default: `TotpChallenge.Root`. */
  TotpChallenge: ComponentType<TotpChallengeRootProps>
  /**
   * Binding an authenticator app while signing in (an account with no factor yet). Default:
   * `TotpEnrollment.Root`, fetched the first time it shows (most sign-ins never bind).
   */
  TotpEnrollment: ComponentType<TotpEnrollmentRootProps>
  /** A code by text message, adding the phone first when none is bound. Default: `SmsChallenge.Root`. */
  SmsChallenge: ComponentType<SmsChallengeRootProps>
  /** A code by email, adding the address first when none is bound. Default: `EmailChallenge.Root`. */
  EmailChallenge: ComponentType<EmailChallengeRootProps>
  /**
   * A bound face. Default: `null`, and face is not offered. Pass `LazyFaceChallenge` from
   * `@mfa-kit/ui` (or your own) to offer it; it renders inside a `<Suspense>`.
   */
  FaceChallenge: ComponentType<FaceChallengeSlotProps> | null
  /** Binding a face (during a sign-in only where the server allows it; in `MfaSettings` from a session). Default: `null`. */
  FaceEnrollment: ComponentType<FaceEnrollmentSlotProps> | null
  /** The dialog of `useMfaGuard().requireStepUp()`. Default: `StepUpDialog`, fetched the first time it opens. */
  StepUp: ComponentType<MfaStepUpProps>
}

/** Replacements for any slot of {@link MfaGuardComponents}. */
export type MfaGuardComponentOverrides = Partial<MfaGuardComponents>

function DefaultSignIn({ onMfaRequired, notice }: MfaGuardSignInProps) {
  return <PasswordSignInRoot onMfaRequired={onMfaRequired} notice={notice} />
}

// Shown rarely, so fetched when first shown: binding during a sign-in, and the step-up dialog with
// the re-verification hooks and parts.
const LazyTotpEnrollment = lazy(() => import('../totp-enrollment/totp-enrollment').then((m) => ({ default: m.TotpEnrollmentRoot })))
const LazyStepUp = lazy(() => import('./step-up').then((m) => ({ default: m.StepUpDialog })))

const defaults: MfaGuardComponents = {
  SignIn: DefaultSignIn,
  FactorPicker: FactorPickerRoot,
  TotpChallenge: TotpChallengeRoot,
  TotpEnrollment: LazyTotpEnrollment,
  SmsChallenge: SmsChallengeRoot,
  EmailChallenge: EmailChallengeRoot,
  FaceChallenge: null,
  FaceEnrollment: null,
  StepUp: LazyStepUp,
}

/**
 * The default components with `overrides` laid over them, slot by slot (explicitly: a slot you
 * set to `undefined` keeps its default).
 */
export function getMfaGuardComponents(overrides: MfaGuardComponentOverrides = {}): MfaGuardComponents {
  const merged = { ...defaults }
  for (const key of Object.keys(overrides) as (keyof MfaGuardComponents)[]) {
    const value = overrides[key]
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value
  }
  return merged
}
