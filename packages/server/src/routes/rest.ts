import { paths, type ReverifyBody } from '@mfa-kit/protocol'
import type { Context, Hono } from 'hono'
import type { ClientInfo, RequestEnv } from '../http/client'
import { isLocalClient } from '../http/client'
import { optionalBoolean, optionalString, readJsonObject, requireString, type JsonObject } from '../http/body'
import { errors } from '../http/errors'
import { ok, verified } from '../http/respond'
import type { ServerContext } from '../services/context'
import {
  bindContactForSelf,
  checkBindable,
  contactTarget,
  sendCode,
  unbindContactForSelf,
  verifyCode,
  type CodePurpose,
} from '../services/oob'
import { logout, reverificationOptions, reverify, sendReverificationCode } from '../services/session'
import { requireAccessToken, requireAnyToken, requireMfaToken } from '../services/tokens'
import { associate, confirm, listAuthenticators, regenerateRecoveryCode, unbind, verifyRecoveryCode, verifyTotp } from '../services/totp'
import type { ContactChannel } from '../store/types'

const SMS_SCENES: Record<string, CodePurpose> = {
  'mfa-verify': 'mfa',
  'mfa-bind': 'mfa',
  'mfa-unbind': 'mfa',
  login: 'login',
  register: 'register',
}

const EMAIL_SCENES: Record<string, CodePurpose> = {
  MFA_VERIFY: 'mfa',
  MFA_VERIFY_CODE: 'mfa',
  VERIFY_CODE: 'any',
}

function smsPurpose(scene: string | undefined): CodePurpose {
  if (scene === undefined) return 'any'
  const purpose = Object.hasOwn(SMS_SCENES, scene) ? SMS_SCENES[scene] : undefined
  if (!purpose) throw errors.badRequest('This SMS scene is not supported by this server')
  return purpose
}

export function emailPurpose(scene: string | undefined): CodePurpose {
  if (scene === undefined) return 'any'
  const purpose = Object.hasOwn(EMAIL_SCENES, scene) ? EMAIL_SCENES[scene] : undefined
  if (!purpose) throw errors.badRequest('This email scene is not supported by this server')
  return purpose
}

const CODE_MAX = 64
const PHONE_MAX = 64
const EMAIL_MAX = 320
const COUNTRY_CODE_MAX = 8

/** What the transport told about the client (see `MfaServer.fetch`). */
export const clientOf = (c: Context<RequestEnv>): ClientInfo => ({ clientAddress: c.env?.clientAddress ?? null })

/** The phone or email of a body (`phone` + `phoneCountryCode`, or `email`), canonical. */
function bodyContact(ctx: ServerContext, body: JsonObject, channel: ContactChannel) {
  return channel === 'sms'
    ? contactTarget(
        ctx,
        'sms',
        requireString(body, 'phone', { max: PHONE_MAX }),
        optionalString(body, 'phoneCountryCode', { max: COUNTRY_CODE_MAX }),
      )
    : contactTarget(ctx, 'email', requireString(body, 'email', { max: EMAIL_MAX }))
}

function reverifyBody(body: JsonObject): ReverifyBody {
  const type = requireString(body, 'type', { max: 16 })
  if (type === 'password') return { type, password: requireString(body, 'password', { max: 8192 }) }
  if (type === 'totp' || type === 'sms' || type === 'email') return { type, code: requireString(body, 'code', { max: CODE_MAX }) }
  throw errors.badRequest('Field type must be one of totp, sms, email, password')
}

function channelField(body: JsonObject): ContactChannel {
  const channel = requireString(body, 'channel', { max: 8 })
  if (channel !== 'sms' && channel !== 'email') throw errors.badRequest('Field channel must be sms or email')
  return channel
}

export function registerRestRoutes(app: Hono<RequestEnv>, ctx: ServerContext): void {
  app.get(paths.authenticators, async (c) => {
    const credential = await requireAnyToken(ctx, c.req.raw)
    const type = c.req.query('type') ?? c.req.query('authenticator_type')
    return ok(await listAuthenticators(ctx, credential, type))
  })

  app.post(paths.totpAssociate, async (c) => {
    const credential = await requireAnyToken(ctx, c.req.raw)
    const body = await readJsonObject(c.req.raw)
    const type = optionalString(body, 'authenticator_type')
    optionalString(body, 'source')
    if (type !== undefined && type.toLowerCase() !== 'totp') throw errors.badRequest('Only authenticator_type "totp" is supported')
    return ok(await associate(ctx, credential))
  })

  app.delete(paths.totpAssociate, async (c) => {
    const credential = await requireAccessToken(ctx, c.req.raw)
    await unbind(ctx, credential)
    return ok(null)
  })

  app.post(paths.totpAssociateConfirm, async (c) => {
    const credential = await requireAnyToken(ctx, c.req.raw)
    const body = await readJsonObject(c.req.raw)
    const code = requireString(body, 'totp', { max: CODE_MAX })
    return ok(await confirm(ctx, credential, code))
  })

  const totpVerify = async (request: Request) => {
    const credential = await requireMfaToken(ctx, request)
    const body = await readJsonObject(request)
    const code = requireString(body, 'totp', { max: CODE_MAX })
    return verified(request, await verifyTotp(ctx, credential, code))
  }
  app.post(paths.totpVerify, (c) => totpVerify(c.req.raw))
  app.post(paths.applicationTotpVerify, (c) => totpVerify(c.req.raw))

  app.post(paths.totpRecovery, async (c) => {
    const credential = await requireMfaToken(ctx, c.req.raw)
    const body = await readJsonObject(c.req.raw)
    const code = requireString(body, 'recoveryCode', { max: 256 })
    const result = await verifyRecoveryCode(ctx, credential, code)
    return ok(result.user, { recoveryCode: result.recoveryCode })
  })

  app.post(paths.recoveryCodeRegenerate, async (c) => {
    const credential = await requireAccessToken(ctx, c.req.raw)
    await readJsonObject(c.req.raw)
    return ok(await regenerateRecoveryCode(ctx, credential))
  })

  app.post(paths.applicationSmsVerify, async (c) => {
    const credential = await requireMfaToken(ctx, c.req.raw)
    const body = await readJsonObject(c.req.raw)
    const phone = requireString(body, 'phone', { max: PHONE_MAX })
    const code = requireString(body, 'code', { max: CODE_MAX })
    const countryCode = optionalString(body, 'phoneCountryCode', { max: COUNTRY_CODE_MAX })
    return verified(c.req.raw, await verifyCode(ctx, credential, 'sms', phone, code, countryCode))
  })

  app.post(paths.applicationEmailVerify, async (c) => {
    const credential = await requireMfaToken(ctx, c.req.raw)
    const body = await readJsonObject(c.req.raw)
    const email = requireString(body, 'email', { max: EMAIL_MAX })
    const code = requireString(body, 'code', { max: CODE_MAX })
    return verified(c.req.raw, await verifyCode(ctx, credential, 'email', email, code, undefined))
  })

  app.post(paths.applicationCheck, async (c) => {
    const credential = await requireMfaToken(ctx, c.req.raw)
    const body = await readJsonObject(c.req.raw)
    const phone = optionalString(body, 'phone', { max: PHONE_MAX })
    const email = optionalString(body, 'email', { max: EMAIL_MAX })
    const countryCode = optionalString(body, 'phoneCountryCode', { max: COUNTRY_CODE_MAX })
    return ok(await checkBindable(ctx, credential, clientOf(c), phone, email, countryCode))
  })

  for (const [path, channel] of [
    [paths.smsAssociate, 'sms'],
    [paths.emailAssociate, 'email'],
  ] as const) {
    app.post(path, async (c) => {
      const credential = await requireAccessToken(ctx, c.req.raw)
      const body = await readJsonObject(c.req.raw)
      const target = bodyContact(ctx, body, channel)
      const code = requireString(body, 'code', { max: CODE_MAX })
      const useForLogin = channel === 'sms' && optionalBoolean(body, 'useForLogin') === true
      return ok(await bindContactForSelf(ctx, credential, { ...target, code, useForLogin }))
    })
    app.delete(path, async (c) => {
      const credential = await requireAccessToken(ctx, c.req.raw)
      await unbindContactForSelf(ctx, credential, channel)
      return ok(null)
    })
  }

  app.post(paths.smsSend, async (c) => {
    const body = await readJsonObject(c.req.raw)
    const { destination } = bodyContact(ctx, body, 'sms')
    const purpose = smsPurpose(optionalString(body, 'scene', { max: 64 }))
    return ok(await sendCode(ctx, c.req.raw, clientOf(c), { channel: 'sms', destination, purpose }))
  })

  app.post(paths.emailSend, async (c) => {
    const body = await readJsonObject(c.req.raw)
    const { destination } = bodyContact(ctx, body, 'email')
    const purpose = emailPurpose(optionalString(body, 'scene', { max: 64 }))
    return ok(await sendCode(ctx, c.req.raw, clientOf(c), { channel: 'email', destination, purpose }))
  })

  app.get(paths.logout, async (c) => {
    await logout(ctx, c.req.raw)
    return ok(null)
  })

  app.get(paths.reverification, async (c) => {
    const credential = await requireAccessToken(ctx, c.req.raw)
    return ok(await reverificationOptions(ctx, credential))
  })

  app.post(paths.reverification, async (c) => {
    const credential = await requireAccessToken(ctx, c.req.raw)
    const body = await readJsonObject(c.req.raw)
    return ok(await reverify(ctx, credential, reverifyBody(body)))
  })

  app.post(paths.reverificationSend, async (c) => {
    const credential = await requireAccessToken(ctx, c.req.raw)
    const body = await readJsonObject(c.req.raw)
    return ok(await sendReverificationCode(ctx, credential, clientOf(c), channelField(body)))
  })

  app.get(paths.wellKnown, async () => {
    const { publicKeyPem } = await ctx.rsa()
    return ok({ publicKey: publicKeyPem })
  })
}

/** The dev outbox: only with `dev`, and only to clients on this machine (or in this process). */
export function registerDevRoutes(app: Hono<RequestEnv>, ctx: ServerContext): void {
  const outbox = ctx.outbox
  if (!outbox) return
  const local = (c: Context<RequestEnv>) => {
    if (!isLocalClient(clientOf(c))) throw errors.notFound()
  }
  app.get(paths.devOutbox, (c) => {
    local(c)
    return ok(outbox.list())
  })
  app.delete(paths.devOutbox, (c) => {
    local(c)
    outbox.clear()
    return ok(null)
  })
}
