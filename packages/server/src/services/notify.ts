/**
 * Notices to the account holder: a factor was added, removed or turned off after too many failures,
 * the recovery code was replaced (OOB-08, REC-05, VER-11). They go to the proven email, else the proven phone, else the registration email, and to a
 * destination being removed, so that the owner learns of a change made with a stolen session.
 * A notice that cannot be delivered is logged, never answered as an error: the change is made.
 */

import type { MessageSender, OutgoingMessage } from '../delivery/types'
import { maskDestination } from '../logger'
import type { ContactChannel, UserRecord } from '../store/types'
import type { ServerContext } from './context'

export type NoticeEvent = 'factor_bound' | 'factor_unbound' | 'factor_turned_off' | 'recovery_code_replaced'

const NOTICE_TEXT: Record<NoticeEvent, (issuer: string, factor: string) => { subject: string; text: string }> = {
  factor_bound: (issuer, factor) => ({
    subject: `${issuer}: a sign-in factor was added`,
    text: `${factor} was added to your ${issuer} account. If this was not you, sign in and remove it, then change your password.`,
  }),
  factor_unbound: (issuer, factor) => ({
    subject: `${issuer}: a sign-in factor was removed`,
    text: `${factor} was removed from your ${issuer} account. If this was not you, sign in, add it again and change your password.`,
  }),
  factor_turned_off: (issuer, factor) => ({
    subject: `${issuer}: a sign-in factor was turned off`,
    text: `${factor} was turned off on your ${issuer} account after too many failed attempts. Someone may know your password: sign in with another factor, change your password, and bind it again if you want it back.`,
  }),
  recovery_code_replaced: (issuer) => ({
    subject: `${issuer}: your recovery code was replaced`,
    text: `A new recovery code was made for your ${issuer} account and the old one no longer works. If this was not you, sign in and change your password.`,
  }),
}

type Destination = { channel: ContactChannel; to: string }

/**
 * Where a notice goes: the proven email, else the proven phone, else the email the account was
 * registered with; plus any extra destination.
 */
function noticeDestinations(user: UserRecord, extra: Destination[] = []): Destination[] {
  const registered = user.email ?? user.mfaEmail
  const own: Destination[] =
    user.mfaEmail !== null && user.mfaEmailVerified
      ? [{ channel: 'email', to: user.mfaEmail }]
      : user.mfaPhone !== null && user.mfaPhoneVerified
        ? [{ channel: 'sms', to: user.mfaPhone }]
        : registered !== null
          ? [{ channel: 'email', to: registered }]
          : []
  return [...own, ...extra.filter((item) => !own.some((o) => o.channel === item.channel && o.to === item.to))]
}

export async function notifyUser(
  ctx: ServerContext,
  user: UserRecord,
  event: NoticeEvent,
  factor: string,
  extra: Destination[] = [],
): Promise<void> {
  const { subject, text } = NOTICE_TEXT[event](ctx.config.issuer, factor)
  for (const { channel, to } of noticeDestinations(user, extra)) {
    const message: OutgoingMessage = channel === 'email' ? { channel, to, subject, text, code: null } : { channel, to, text, code: null }
    ctx.outbox?.add(message)
    const sender: MessageSender | undefined = ctx.senders[channel]
    try {
      await sender?.send(message)
      ctx.log('info', 'notice.sent', { event, channel, to: maskDestination(to) })
    } catch (error) {
      ctx.log('warn', 'notice.failed', { event, channel, to: maskDestination(to), error: error instanceof Error ? error.name : 'unknown' })
    }
  }
}
