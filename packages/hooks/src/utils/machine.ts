import type { MfaError } from '@mfa-kit/client'

/**
 * The events every server-backed flow understands, whatever else it does:
 * - `fail`: a call failed with `error`;
 * - `retry_ready`: the wait the server asked for (`rate_limited`) is over;
 * - `reset`: start over.
 */
export type SharedFlowEvent = { type: 'fail'; error: MfaError } | { type: 'retry_ready' } | { type: 'reset' }

/**
 * Errors after which an mfaToken is of no more use: it timed out or was used
 * (`mfa_token_expired`), or it used up its attempts (`too_many_attempts`). Only a new sign-in helps.
 */
export const endsSignIn = (error: MfaError): boolean => error.code === 'mfa_token_expired' || error.code === 'too_many_attempts'

/** Authing's "sign-in expired": a token the server no longer knows, whichever kind it was. */
const LOGIN_EXPIRED = 2206

/**
 * {@link endsSignIn}, or a token the server no longer knows at all (2206). For flows that send
 * an mfaToken or a session to an endpoint that cannot tell them apart (the photo upload, the
 * binding calls of a signed-in user): either way, only a new sign-in helps.
 */
export const endsSignInOrSession = (error: MfaError): boolean => endsSignIn(error) || error.authingCode === LOGIN_EXPIRED

/** What every flow reducer keeps besides its own data. */
export interface FlowState<Status extends string = string, Resume extends Status = Status> {
  status: Status
  /** The last failure; cleared by the next transition. */
  error: MfaError | null
  /** Where `rate_limited` returns once the wait is over. */
  resume: Resume
}

/** What a transition changes besides the status, or `false` to refuse the event. */
export type TransitionUpdate<S extends { status: string }, E> = (state: S, event: E) => Partial<Omit<S, 'status'>> | false

/**
 * One transition of a flow: the statuses an event applies in, where it leads, and what it changes.
 * Without `update`, the event's own fields (without `type`) are merged into the state, so they
 * must be fields of the state.
 */
export type Transition<S extends { status: string }, E> = {
  /** The statuses the event applies in; in any other, the event is ignored. */
  from: readonly S['status'][]
  /** The next status, or how to pick it from the event. Left out, the status stays. */
  to?: S['status'] | ((state: S, event: E) => S['status'])
} & (Omit<E, 'type'> extends Partial<Omit<S, 'status'>> ? { update?: TransitionUpdate<S, E> } : { update: TransitionUpdate<S, E> })

/** A transition for each of the events in `E` (shared events aside), keyed by event type. */
export type Transitions<S extends { status: string }, E extends { type: string }> = {
  [K in Exclude<E, SharedFlowEvent>['type']]: Transition<S, Extract<E, { type: K }>>
}

/**
 * A transition, compactly: the event applies in `from` (one status or several), leads `to` a
 * status (or one picked from the event), and `update` says what else changes (`false` refuses the
 * event). Statuses are checked against the flow's, so an impossible one is a compile error.
 */
export function on<S extends { status: string }, E>(
  from: S['status'] | readonly S['status'][],
  to?: Transition<S, E>['to'],
  ...update: Omit<E, 'type'> extends Partial<Omit<S, 'status'>> ? [update?: TransitionUpdate<S, E>] : [update: TransitionUpdate<S, E>]
): Transition<S, E> {
  return { from: typeof from === 'string' ? [from] : from, to, update: update[0] } as Transition<S, E>
}

/**
 * Applies `transitions` to `state`. Returns the same object when the event does not apply, so a
 * caller can tell a refused event apart. A transition clears `error` unless its update sets one.
 */
export function transition<S extends { status: string; error: MfaError | null }, E extends { type: string }>(
  transitions: Transitions<S, E>,
  state: S,
  event: E,
): S {
  const rule = (transitions as unknown as Record<string, Transition<S, E> | undefined>)[event.type]
  if (!rule?.from.includes(state.status)) return state
  const { type: _, ...fields } = event
  const changes = rule.update ? rule.update(state, event) : (fields as unknown as Partial<S>)
  if (changes === false) return state
  const to = typeof rule.to === 'function' ? rule.to(state, event) : (rule.to ?? state.status)
  return { ...state, error: null, ...changes, status: to }
}

/** The statuses a failure can lead to, each only in a machine that has it. */
interface FailurePaths<S extends FlowState> {
  /**
   * Throttling waits in `rate_limited`, then goes back; a function says in which statuses it does
   * (elsewhere a throttled call goes back at once, with its error).
   */
  rateLimited?: 'rate_limited' extends S['status'] ? true | ((state: S) => boolean) : never
  /** The errors that end the flow `expired`, dropping its data. */
  expiresOn?: 'expired' extends S['status'] ? (error: MfaError) => boolean : never
}

export interface MachineConfig<S extends FlowState, E extends { type: string }> {
  /** The starting state; `reset` goes back to it (`state` is the one being reset). */
  initial: (state?: S) => S
  transitions: Transitions<S, E>
  /**
   * The statuses whose call can fail, and where a failure goes back to: a status, `'resume'` for
   * the one recorded in `resume` when the call started, or a function of the state.
   */
  onFail: { [K in S['status']]?: S['status'] | 'resume' | ((state: S) => S['status']) }
  failures: FailurePaths<S>
}

/**
 * A flow reducer: the flow's own transitions, plus the shared events. A failure in a status
 * listed in `onFail` ends `expired` when `failures.expiresOn` says so, waits in `rate_limited` when
 * throttled (if the flow has those statuses), and otherwise goes back with the error.
 */
export function machine<S extends FlowState, E extends { type: string }>(
  config: MachineConfig<S, E>,
): (state: S, event: E | SharedFlowEvent) => S {
  const { initial, transitions, onFail, failures } = config
  return (state, event) => {
    switch (event.type) {
      case 'reset':
        return initial(state)
      case 'retry_ready':
        return state.status === 'rate_limited' ? { ...state, status: state.resume } : state
      case 'fail': {
        const back: S['status'] | 'resume' | ((state: S) => S['status']) | undefined = onFail[state.status as S['status']]
        if (back === undefined) return state
        const { error } = event as Extract<SharedFlowEvent, { type: 'fail' }>
        if (failures.expiresOn?.(error)) return { ...initial(), status: 'expired' as S['status'], error }
        const to: S['status'] = back === 'resume' ? state.resume : typeof back === 'function' ? back(state) : back
        const { rateLimited } = failures
        const waits = error.code === 'rate_limited' && (typeof rateLimited === 'function' ? rateLimited(state) : !!rateLimited)
        const status = waits ? ('rate_limited' as S['status']) : to
        return { ...state, status, error, resume: to as S['resume'] }
      }
      default:
        return transition(transitions, state, event as E)
    }
  }
}
