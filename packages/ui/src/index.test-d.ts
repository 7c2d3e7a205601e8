import type { ComponentType, ReactNode } from 'react'
import { describe, expectTypeOf, it } from 'vitest'
import type { MfaClient, MfaError, MfaTrigger, User } from '@mfa-kit/hooks'
import {
  getMfaGuardComponents,
  getMfaSettingsComponents,
  LazyFaceChallenge,
  LazyFaceEnrollment,
  MfaGuard,
  MfaSettings,
  useMfaGuard,
} from './index'
import type {
  FaceChallengeSlotProps,
  FaceEnrollmentSlotProps,
  MfaGuardComponents,
  MfaGuardContextValue,
  MfaGuardProps,
  MfaGuardSignInProps,
  MfaSettingsComponents,
  TotpEnrollmentRootProps,
} from './index'

declare const client: MfaClient
declare const trigger: MfaTrigger

describe('MfaGuard', () => {
  it('takes a client, a sign-in slot, a trigger and typed component overrides', () => {
    expectTypeOf<MfaGuardProps['client']>().toEqualTypeOf<MfaClient | undefined>()
    expectTypeOf<MfaGuardProps['mfaTrigger']>().toEqualTypeOf<MfaTrigger | null | undefined>()
    expectTypeOf<MfaGuardProps['onAuthenticated']>().toEqualTypeOf<((user: User) => void) | undefined>()
    expectTypeOf<MfaGuardProps['signIn']>().toEqualTypeOf<ReactNode | ((props: MfaGuardSignInProps) => ReactNode)>()
    expectTypeOf<MfaGuardSignInProps>().toEqualTypeOf<{ onMfaRequired: (trigger: MfaTrigger) => void; notice: string | null }>()
    MfaGuard({ client, mfaTrigger: trigger, children: null })
    // @ts-expect-error no such slot
    MfaGuard({ components: { Nope: () => null } })
  })

  it('accepts the lazy face roots in its face slots, and so does MfaSettings', () => {
    MfaGuard({ client, components: { FaceChallenge: LazyFaceChallenge, FaceEnrollment: LazyFaceEnrollment } })
    MfaSettings({ components: { FaceEnrollment: LazyFaceEnrollment } })
    expectTypeOf<MfaGuardComponents['FaceChallenge']>().toEqualTypeOf<ComponentType<FaceChallengeSlotProps> | null>()
    expectTypeOf<MfaSettingsComponents['FaceEnrollment']>().toEqualTypeOf<ComponentType<FaceEnrollmentSlotProps> | null>()
    expectTypeOf<FaceChallengeSlotProps['onUnavailable']>().toEqualTypeOf<(error: MfaError) => void>()
    expectTypeOf(getMfaGuardComponents().FaceChallenge).toEqualTypeOf<ComponentType<FaceChallengeSlotProps> | null>()
    expectTypeOf(getMfaSettingsComponents({}).TotpEnrollment).toEqualTypeOf<ComponentType<TotpEnrollmentRootProps>>()
  })

  it('gives its user, signOut, requireStepUp and startChallenge through useMfaGuard', () => {
    expectTypeOf(useMfaGuard).returns.toEqualTypeOf<MfaGuardContextValue>()
    expectTypeOf<MfaGuardContextValue['requireStepUp']>().toEqualTypeOf<() => Promise<void>>()
    expectTypeOf<MfaGuardContextValue['user']>().toEqualTypeOf<User | null>()
    expectTypeOf<MfaGuardContextValue['status']>().toEqualTypeOf<'restoring' | 'signed_out' | 'challenge' | 'signed_in'>()
  })
})
