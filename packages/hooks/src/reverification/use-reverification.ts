import { useEffect, useRef, useState } from '../peer'
import type { ChangeEvent } from 'react'
import { isMfaError, MfaError } from '@mfa-kit/client'
import type { ReverificationFactor, ReverifyOptions } from '@mfa-kit/client'
import { mfaMutationOptions, reverificationOptionsCall } from '../query-options'
import { useCodeField } from '../utils/code-field'
import type { CodeFieldParts } from '../utils/code-field'
import { mergeProps } from '../utils/compose'
import { useField } from '../utils/field'
import type { FieldInputProps } from '../utils/field'
import { toMfaError } from '../utils/flow'
import { buttonGetter } from '../utils/getters'
import type { ActionButtonProps, PropGetter } from '../utils/getters'
import { useFlow } from '../utils/use-flow'
import type { FlowCallbacks } from '../utils/use-flow'
import { reverificationInitialState, reverificationReducer } from './reverification.reducer'
import type { ReverificationFactorType, ReverificationState, ReverificationStatus } from './reverification.reducer'

export interface UseReverificationOptions<T> extends FlowCallbacks {
  /** Send a code as soon as a phone or email factor is chosen. @default true */
  autoSend?: boolean
  /** Check a code as soon as its last digit is in. @default true */
  autoSubmit?: boolean
  /** Digits in a code. @default 6 */
  codeLength?: number
  /** Called when the server asks for a fresh proof, before the factors load (e.g. to open a dialog). */
  onChallenge?: () => void
  /** Called once the proof is accepted, just before the action runs again. */
  onReverified?: () => void
  /** Called with what the action resolved to. */
  onSuccess?: (result: T) => void
}

export interface ReverificationData {
  /** The factors the user can prove, once the server asked for a proof. */
  factors: ReverificationFactor[]
  /** The factor being proven; `selectFactor` switches. */
  factor: ReverificationFactor | null
  /** A code went to the phone or email of `factor`. */
  codeSent: boolean
}

/** The flow in one status, with `data` narrowed to match: `done` has what the action resolved to. */
export type ReverificationSnapshot<T> =
  | { status: 'done'; error: null; data: ReverificationData & { result: T } }
  | { status: Exclude<ReverificationStatus, 'done'>; error: MfaError | null; data: ReverificationData & { result: null } }

/** Props of the password `<input>`, for an account whose only proof is its password. */
export interface PasswordInputProps extends FieldInputProps {
  type: 'password'
  autoComplete: 'current-password'
  value: string
  disabled: boolean
  onChange: (event: ChangeEvent<HTMLInputElement>) => void
}

/** Props of a button that picks a factor. */
export interface ReverificationFactorButtonProps {
  type: 'button'
  'aria-pressed': boolean
  onClick: () => void
}

export type UseReverificationResult<A extends unknown[], T> = ReverificationSnapshot<T> &
  CodeFieldParts & {
    /**
     * Runs the action. When it fails with `reauthentication_required`, the flow asks for a proof
     * and runs it once more. Resolves when it is over: `done`, `idle` with the error (the action's,
     * or `reauthentication_required` when cancelled), or `expired`.
     */
    run: (...args: A) => Promise<ReverificationSnapshot<T>>
    /**
     * Asks for a fresh proof now, whatever the age of the sign-in: a step-up before a sensitive
     * action of your own. Resolves `done` once the proof was accepted, or `idle` with
     * `reauthentication_required` when the user cancelled. The action does not run.
     */
    challenge: () => Promise<ReverificationSnapshot<undefined>>
    /** Proves another of `data.factors`. */
    selectFactor: (type: ReverificationFactorType) => void
    /** Sends (or resends) a code to the phone or email of `data.factor`. */
    sendCode: () => Promise<ReverificationSnapshot<T>>
    /** Checks the proof: `proof`, or the code or password typed. */
    verify: (proof?: string) => Promise<ReverificationSnapshot<T>>
    /** Gives up the proof; `run` resolves `idle` with `reauthentication_required`. */
    cancel: () => void
    /** Back to `idle`. */
    reset: () => void
    /** True when a code can be sent now (a phone or email factor, no countdown running). */
    canSend: boolean
    /** Seconds until the next send, or until attempts are accepted again while `rate_limited`. */
    secondsLeft: number
    /** The password typed, for the `password` factor. */
    password: string
    setPassword: (value: string) => void
    getPasswordInputProps: PropGetter<PasswordInputProps>
    getFactorButtonProps: <P extends object = Record<never, never>>(
      type: ReverificationFactorType,
      props?: P,
    ) => ReverificationFactorButtonProps & P
    getSendButtonProps: PropGetter<ActionButtonProps>
  }

const snapshotOf = <T>({ status, error, factors, factor, codeSent, result }: ReverificationState) =>
  ({ status, error, data: { factors, factor, codeSent, result } }) as ReverificationSnapshot<T>

const OVER: readonly ReverificationStatus[] = ['idle', 'done', 'expired']

/**
 * Wraps an action that may need a recent sign-in, as Clerk's `useReverification` does: when the
 * server answers `reauthentication_required`, the signed-in user proves a bound factor again
 * (a TOTP code, a code sent to their phone or email, or, for an account with no factor, the
 * password), and the action runs once more.
 */
export function useReverification<A extends unknown[], T>(
  action: (...args: A) => Promise<T>,
  options: UseReverificationOptions<T> = {},
): UseReverificationResult<A, T> {
  const { autoSend = true } = options
  const flow = useFlow(reverificationReducer, () => reverificationInitialState, options)
  const { state, send, client, countdown } = flow
  const latest = useRef({ action, options })
  latest.current = { action, options }
  const pending = useRef<{
    /** The action, or `null` for a proof asked for by `challenge()`. */
    args: A | null
    settle: (snapshot: ReverificationSnapshot<T>) => void
    challenge: MfaError | null
  } | null>(null)
  const [password, setPassword] = useState('')
  const field = useField(state.error)
  const isCode = state.factor !== null && state.factor.type !== 'password'
  const codeField = useCodeField(
    {
      length: options.codeLength,
      onComplete: (code) => void (options.autoSubmit !== false && verify(code)),
      disabled: !isCode || (state.status !== 'awaiting_proof' && state.status !== 'verifying'),
    },
    field,
  )

  const snapshot = () => snapshotOf<T>(flow.ref.current)
  /** Resolves `run` once the flow is over. */
  const settleIfOver = () => {
    if (!OVER.includes(flow.ref.current.status)) return
    pending.current?.settle(snapshot())
    pending.current = null
  }

  async function attempt(): Promise<void> {
    const run = pending.current
    if (!run) return
    try {
      if (!run.args) {
        // A step-up: the first attempt asks for the proof, the one after it succeeds.
        if (!flow.ref.current.retried) throw new MfaError('reauthentication_required', 'A fresh proof is required')
        send({ type: 'succeeded', result: undefined })
      } else {
        const result = await latest.current.action(...run.args)
        if (send({ type: 'succeeded', result })) latest.current.options.onSuccess?.(result)
      }
    } catch (e) {
      const error = toMfaError(e)
      if (isMfaError(error, 'reauthentication_required') && !flow.ref.current.retried) {
        run.challenge = error
        latest.current.options.onChallenge?.()
        const loaded = await flow.call({ type: 'challenged' }, reverificationOptionsCall(client), {})
        if (loaded) send({ type: 'factors_loaded', factors: loaded.factors })
      } else {
        send({ type: 'action_failed', error })
      }
    }
    settleIfOver()
  }

  function run(...args: A): Promise<ReverificationSnapshot<T>> {
    return start(args)
  }

  async function start(args: A | null): Promise<ReverificationSnapshot<T>> {
    if (!send({ type: 'run' })) return snapshot()
    codeField.code.clear()
    setPassword('')
    const outcome = new Promise<ReverificationSnapshot<T>>((settle) => (pending.current = { args, settle, challenge: null }))
    void attempt()
    return outcome
  }

  async function sendCode(): Promise<ReverificationSnapshot<T>> {
    const { factor } = flow.ref.current
    if (factor?.type !== 'sms' && factor?.type !== 'email') return snapshot()
    const sent = await flow.call({ type: 'send' }, mfaMutationOptions(client, 'sendReverificationCode'), { channel: factor.type })
    if (sent && send({ type: 'sent' })) countdown.start(sent.resendAfterMs)
    settleIfOver()
    return snapshot()
  }

  async function verify(proof?: string): Promise<ReverificationSnapshot<T>> {
    const { factor } = flow.ref.current
    if (!factor) return snapshot()
    const secret = proof ?? (factor.type === 'password' ? password : codeField.code.value)
    const body: ReverifyOptions = factor.type === 'password' ? { type: 'password', password: secret } : { type: factor.type, code: secret }
    const done = await flow.call({ type: 'verify' }, mfaMutationOptions(client, 'reverify'), body, codeField.code.clear)
    if (done && send({ type: 'verified' })) {
      setPassword('')
      countdown.stop()
      latest.current.options.onReverified?.()
      await attempt()
    }
    settleIfOver()
    return snapshot()
  }

  function selectFactor(type: ReverificationFactorType) {
    if (send({ type: 'select', factor: type })) {
      codeField.code.clear()
      setPassword('')
    }
  }

  function cancel() {
    const challenge = pending.current?.challenge
    if (challenge && send({ type: 'cancel', error: challenge })) {
      countdown.stop()
      settleIfOver()
    }
  }

  // A phone or email factor gets its code without a click, once per factor chosen.
  const autoSentFor = useRef<ReverificationFactor | null>(null)
  useEffect(() => {
    const { status, factor, codeSent } = state
    if (!autoSend || status !== 'awaiting_proof' || codeSent || autoSentFor.current === factor) return
    if (factor?.type !== 'sms' && factor?.type !== 'email') return
    autoSentFor.current = factor
    void sendCode()
  })

  const { status, factor } = state
  const canSend = (factor?.type === 'sms' || factor?.type === 'email') && status === 'awaiting_proof' && !countdown.isActive
  return {
    ...snapshotOf<T>(state),
    ...codeField,
    run,
    challenge: () => start(null) as Promise<ReverificationSnapshot<never>>,
    selectFactor,
    sendCode,
    verify,
    cancel,
    reset: () =>
      flow.reset(() => {
        codeField.code.clear()
        setPassword('')
        pending.current?.settle(snapshot())
        pending.current = null
      }),
    canSend,
    secondsLeft: countdown.secondsLeft,
    password,
    setPassword,
    getPasswordInputProps: (props) =>
      mergeProps(
        {
          ...field.inputProps,
          type: 'password',
          autoComplete: 'current-password',
          value: password,
          disabled: factor?.type !== 'password' || status !== 'awaiting_proof',
          onChange: (event: ChangeEvent<HTMLInputElement>) => setPassword(event.currentTarget.value),
        } satisfies PasswordInputProps,
        props,
      ),
    getFactorButtonProps: (type, props) =>
      mergeProps<ReverificationFactorButtonProps, NonNullable<typeof props>>(
        { type: 'button', 'aria-pressed': factor?.type === type, onClick: () => selectFactor(type) },
        props,
      ),
    getSendButtonProps: buttonGetter(!canSend, sendCode),
  }
}
