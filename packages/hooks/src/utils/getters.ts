import type { ChangeEvent } from 'react'
import { mergeProps } from './compose'

/** Props of a required "I have saved it" checkbox. */
export interface AcknowledgeProps {
  type: 'checkbox'
  checked: boolean
  required: true
  onChange: (event: ChangeEvent<HTMLInputElement>) => void
}

/** Props of an action `<button>`. */
export interface ActionButtonProps {
  type: 'button'
  disabled: boolean
  onClick: () => void
}

/** A prop getter: your props merged over ours, your handlers first. */
export type PropGetter<O> = <P extends object = Record<never, never>>(props?: P) => O & P

const acknowledgeGetter =
  (checked: boolean, set: (value: boolean) => void): PropGetter<AcknowledgeProps> =>
  (props) =>
    mergeProps<AcknowledgeProps, NonNullable<typeof props>>(
      { type: 'checkbox', checked, required: true, onChange: (e) => set(e.currentTarget.checked) },
      props,
    )

export const buttonGetter =
  (disabled: boolean, action: () => unknown): PropGetter<ActionButtonProps> =>
  (props) =>
    mergeProps<ActionButtonProps, NonNullable<typeof props>>({ type: 'button', disabled, onClick: () => void action() }, props)

/** What an "I have saved the recovery code" step adds to a hook's result. */
export interface AcknowledgeParts {
  /** Records that the recovery code is safely stored. */
  acknowledge: (value: boolean) => void
  /** Ends the flow (`done`) once acknowledged. */
  finish: () => void
  /** The required "I have saved it" checkbox. */
  getAcknowledgeProps: PropGetter<AcknowledgeProps>
  /** The button that finishes; disabled until acknowledged. */
  getFinishProps: PropGetter<ActionButtonProps>
}

/**
 * The acknowledgement step of a flow whose reducer has `acknowledge` and `finish` events and a
 * `showing_recovery_code` status. `onFinish` runs once the flow is `done`.
 */
export function acknowledgeParts(
  state: { status: string; acknowledged: boolean },
  send: (event: { type: 'acknowledge'; acknowledged: boolean } | { type: 'finish' }) => boolean,
  onFinish: () => void,
): AcknowledgeParts {
  const acknowledge = (acknowledged: boolean) => void send({ type: 'acknowledge', acknowledged })
  const finish = () => void (send({ type: 'finish' }) && onFinish())
  return {
    acknowledge,
    finish,
    getAcknowledgeProps: acknowledgeGetter(state.acknowledged, acknowledge),
    getFinishProps: buttonGetter(!state.acknowledged || state.status !== 'showing_recovery_code', finish),
  }
}
